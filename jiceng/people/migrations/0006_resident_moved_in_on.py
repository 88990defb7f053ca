"""The current stay moves onto the resident row (moved_in_on); Occupancy keeps past
stays only. Open occupancies become the resident's moved_in_on and are deleted."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery


def current_stay_to_resident(apps, schema_editor):
    Resident = apps.get_model("people", "Resident")
    Occupancy = apps.get_model("people", "Occupancy")
    open_stays = Occupancy.objects.filter(resident=OuterRef("pk"), ended_on=None)
    # Exists, not occupancies__ended_on=None: that join also matches residents
    # without any stay, whose subquery would be NULL.
    Resident.objects.filter(Exists(open_stays)).update(
        moved_in_on=Subquery(
            open_stays.order_by("-started_on", "-id").values("started_on")[:1]
        )
    )
    Occupancy.objects.filter(ended_on=None).delete()


def current_stay_to_occupancy(apps, schema_editor):
    Resident = apps.get_model("people", "Resident")
    Occupancy = apps.get_model("people", "Occupancy")
    Occupancy.objects.bulk_create(
        Occupancy(
            resident_id=pk,
            place_id=place_id,
            household_id=household_id,
            started_on=moved_in_on,
        )
        for pk, place_id, household_id, moved_in_on in Resident.objects.values_list(
            "pk", "place_id", "household_id", "moved_in_on"
        ).iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_unit_incubation"),
    ]

    operations = [
        migrations.AddField(
            model_name="resident",
            name="moved_in_on",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="入住日期"
            ),
        ),
        migrations.RunPython(current_stay_to_resident, current_stay_to_occupancy),
    ]
