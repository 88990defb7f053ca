"""Recompute the dashboards' figures (cron: every 10 minutes for the current month;
--months 12 backfills a year)."""

from django.core.management.base import BaseCommand

from jiceng.insight import services


class Command(BaseCommand):
    help = "重新汇总数据看板指标（默认当月；--months 12 回溯一年）"

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=1)

    def handle(self, *args, months, **options):
        if months < 1 or months > services.MAX_BACKFILL:
            self.stderr.write(f"--months 须在 1 到 {services.MAX_BACKFILL} 之间")
            return
        written = services.refresh_figures(months=months, actor=None)
        self.stdout.write(f"已汇总 {written} 项指标（{months} 个月）")
