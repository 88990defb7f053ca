"""Recompute the monthly KPI rollup from the case timeline (repair or after a restore)."""

from django.core.management.base import BaseCommand

from jiceng.cases import kpi


class Command(BaseCommand):
    help = "按办理过程重算案件考核统计（月度汇总表）。"

    def handle(self, *args, **options):
        rows = kpi.rebuild()
        self.stdout.write(f"已重算考核统计：{rows} 行")
