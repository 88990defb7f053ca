"""Recompute every balance from the points ledger; --fix rewrites the cached ones."""

from django.core.management.base import BaseCommand, CommandError

from jiceng.volunteer import services


class Command(BaseCommand):
    help = "核对积分：按积分流水重新计算余额，与缓存余额比对（--fix 以流水为准修正）。"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true")

    def handle(self, *args, fix, **options):
        wrong = services.check_ledger(fix=fix)
        for volunteer, cached, actual in wrong[:50]:
            self.stdout.write(
                f"志愿者 #{volunteer.pk}: 缓存 {cached}，流水合计 {actual}"
            )
        summary = f"不一致 {len(wrong)} 个" + ("，已修正" if fix and wrong else "")
        if wrong and not fix:
            # a non-zero exit lets cron and monitoring notice without reading output
            raise CommandError(summary)
        self.stdout.write(summary)
