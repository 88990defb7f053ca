"""Open311 keys feed a per-process copy (services.keys.use_open311_key): their
changes touch the token "cases.open311_keys" (core.config_cache)."""

from django.db import migrations

from jiceng.core.config_cache import watch


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_path_statistics"),
        ("core", "0004_config_version"),
    ]

    operations = [watch("cases_open311key", "cases.open311_keys")]
