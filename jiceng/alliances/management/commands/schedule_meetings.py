"""Create the coming half year's meetings of every active series (run monthly)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from jiceng.alliances.models import MeetingSeries
from jiceng.alliances.services.meetings import plan_series
from jiceng.core.audit import SYSTEM_ACTOR_NAME


class Command(BaseCommand):
    help = "按例会周期生成今后半年的联席会议"

    def handle(self, *args, **options):
        until = timezone.localdate() + timedelta(days=183)
        made = 0
        for series in MeetingSeries.objects.filter(active=True):
            with transaction.atomic():
                made += len(
                    plan_series(actor=SYSTEM_ACTOR_NAME, series=series, until=until)
                )
        self.stdout.write(f"已排期：{made} 次会议")
