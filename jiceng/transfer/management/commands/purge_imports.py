"""Delete old uploaded 台账 files (run daily from cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from jiceng.transfer import services


class Command(BaseCommand):
    help = "删除超过保留期的导入文件（未确认的预检、失败的导入）；导入记录和被拒绝的行保留。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=services.FILE_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        count = services.purge_old_files(days=days)
        self.stdout.write(f"已删除 {count} 个导入文件")
