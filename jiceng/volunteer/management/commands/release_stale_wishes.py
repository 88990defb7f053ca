"""Release 微心愿 claims past their deadline (run daily from cron or a timer)."""

from django.core.management.base import BaseCommand

from jiceng.volunteer import services


class Command(BaseCommand):
    help = "超期未完成的微心愿认领自动释放，心愿重新开放认领。"

    def handle(self, *args, **options):
        self.stdout.write(f"释放 {services.release_stale_claims()} 个超期认领")
