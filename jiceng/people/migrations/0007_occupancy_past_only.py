# A separate migration: PostgreSQL refuses to alter a table with pending deferred
# trigger events, which 0006's delete leaves until its transaction commits.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_resident_moved_in_on"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="occupancy",
            options={
                "ordering": ["-ended_on", "-id"],
                "verbose_name": "居住记录",
                "verbose_name_plural": "居住记录",
            },
        ),
        migrations.AlterField(
            model_name="occupancy",
            name="ended_on",
            field=models.DateField(verbose_name="迁出日期"),
        ),
    ]
