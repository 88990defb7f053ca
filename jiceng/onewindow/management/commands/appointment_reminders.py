"""Remind residents of tomorrow's appointments and record last day's no-shows
(run hourly from cron or a timer)."""

from django.core.management.base import BaseCommand

from jiceng.onewindow import services


class Command(BaseCommand):
    help = (
        "预约提醒：提醒24小时内的预约（每个预约只提醒一次），"
        "并把结束1小时仍未到场的预约记为爽约。"
    )

    def handle(self, *args, **options):
        reminded = services.send_reminders()
        missed = services.sweep_no_shows()
        self.stdout.write(f"已提醒 {reminded} 个预约，记录爽约 {missed} 个")
