"""Categories, routing rules and department names feed per-process copies (case
intake): their changes touch the token "cases.routing" (core.config_cache)."""

from django.db import migrations

from jiceng.core.config_cache import watch


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_key_use_counts_gig_channel"),
        ("core", "0004_config_version"),
    ]

    operations = [
        watch("cases_category", "cases.routing"),
        watch("cases_routingrule", "cases.routing"),
        watch("core_department", "cases.routing"),
    ]
