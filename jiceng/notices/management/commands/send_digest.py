"""Daily (cron, e.g. 07:30): due-tomorrow reminders, then the digest, then a sweep
of deliveries whose retry is due."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from jiceng.notices import digest, reminders, services


class Command(BaseCommand):
    help = "发送每日汇总：先生成到期提醒，再为开启每日汇总的用户排队汇总消息"

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-reminders", action="store_true", help="不生成“明日到期”提醒"
        )

    def handle(self, *args, **options):
        now = timezone.now()
        if not options["no_reminders"]:
            for name, told in reminders.run_all(timezone.localdate(now)).items():
                self.stdout.write(f"到期提醒 {name}：{told} 人")
        summary = digest.send_digest(now=now)
        self.stdout.write(
            f"每日汇总：{summary['users']} 人有未读通知，排队 {summary['queued']} 条，"
            f"今日已发 {summary['already']} 人，无可用渠道 {summary['unreachable']} 人"
        )
        retried = services.retry_due(now=now)
        if retried:
            self.stdout.write(f"重试到期的发送 {len(retried)} 条")
