"""Operations for the migrations that add a place path copy (PlacePathMixin)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from jiceng.core.planner import refresh_statistics


def add_place_path(app_label, model_name):
    """The column of the copy, then its values (before the migration's indexes on it
    are built)."""
    return [
        migrations.AddField(
            model_name=model_name.lower(),
            name="place_path",
            field=models.CharField(
                db_default="",
                default="",
                editable=False,
                max_length=255,
                verbose_name="所在地点路径",
            ),
        ),
        fill_place_paths(app_label, model_name),
    ]


def fill_place_paths(app_label, model_name):
    """RunPython: copy each row's place path into the new column, then refresh the
    table's planner statistics (every row was rewritten: a bulk write)."""

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        place = apps.get_model("places", "Place")
        path = place.objects.filter(pk=OuterRef("place_id")).values("path")[:1]
        model.objects.update(place_path=Subquery(path))
        refresh_statistics(model, using=schema_editor.connection.alias)

    return migrations.RunPython(forwards, migrations.RunPython.noop)
