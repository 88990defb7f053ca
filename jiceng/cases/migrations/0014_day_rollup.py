"""Daily rows in the KPI rollup (dimension "day", per community), backfilled from
the timeline so the big screen's 30-day trend reads them instead of the events."""

from django.db import migrations, models


def backfill_days(apps, schema_editor):
    from jiceng.cases import kpi  # the rule the rollup keeps, run on these models

    case_event = apps.get_model("cases", "CaseEvent")
    case_stat = apps.get_model("cases", "CaseStat")
    case_stat.objects.filter(dimension="day").delete()
    rows = kpi.from_events(
        "day", events=case_event.objects.all(), path="case__place__path"
    )
    case_stat.objects.bulk_create(
        (case_stat(dimension="day", **row) for row in rows), batch_size=2000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_open311_use_from_cases"),
    ]

    operations = [
        migrations.AlterField(
            model_name="casestat",
            name="dimension",
            field=models.CharField(
                choices=[
                    ("place", "区域"),
                    ("category", "类别"),
                    ("department", "部门"),
                    ("day", "日"),
                ],
                max_length=16,
            ),
        ),
        migrations.RunPython(backfill_days, migrations.RunPython.noop),
    ]
