"""Demo 年度“微心愿”征集: the first community's campaign for this year, started
through the service before the wishes are collected, so that they belong to it.

The demo's wishes are collected over the year (心愿热线, 入户走访), so its period is
the whole year; the fulfilment deadline is the year's end.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from jiceng.core.models import Assignment
from jiceng.core.scope import path_prefix
from jiceng.volunteer import services
from jiceng.volunteer.models import ActivitySeries, WishCampaign

HOTLINE = "0917-3210000"


def seed_campaigns(district, *, seed, log=print):
    """One campaign for the first community this year, started by its community
    worker as the other volunteering demo rows are (nothing once one exists)."""
    if district is None:
        return
    staff = get_user_model().objects.filter(username="shegong").first()
    grant = Assignment.objects.filter(user=staff, place__isnull=False).first()
    if grant is None:
        return
    year = timezone.localdate().year
    community = grant.place
    if WishCampaign.objects.filter(community=community, year=year).exists():
        return
    services.start_campaign(
        actor=staff,
        community=community,
        year=year,
        collect_from=date(year, 1, 1),
        collect_until=date(year, 12, 31),
        fulfil_until=date(year, 12, 31),
        hotline=HOTLINE,
        description="年初入户走访集中征集，全年通过心愿热线、心愿贴常态化征集。",
    )
    log(f"年度微心愿征集：{community.name}{year}年")


def purge_campaigns(district):
    """The district's campaigns and activity series (their rows point to places)."""
    if district is None:
        return
    here = path_prefix(district.path, "community__path")
    WishCampaign.objects.filter(here).delete()
    ActivitySeries.objects.filter(here).delete()
