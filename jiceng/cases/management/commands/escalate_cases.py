"""Escalate overdue cases one level (run every hour from cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from jiceng.cases import services


class Command(BaseCommand):
    help = "超期案件逐级升级督办（网格→社区→街道→区），挂账案件不升级。"

    def handle(self, *args, **options):
        self.stdout.write(f"升级 {services.escalate_overdue()} 件")
