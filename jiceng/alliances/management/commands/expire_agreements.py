"""Move every 共建协议 past its end date to 到期 (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from jiceng.alliances.services.agreements import expire_due
from jiceng.core.audit import SYSTEM_ACTOR_NAME


class Command(BaseCommand):
    help = "将已过协议期的共建协议标记为已到期"

    def handle(self, *args, **options):
        done = expire_due(actor=SYSTEM_ACTOR_NAME)
        self.stdout.write(f"已到期：{len(done)} 份协议")
