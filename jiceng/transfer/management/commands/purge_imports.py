"""Delete old 台账 files: uploads and exports (run daily from cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from jiceng.transfer import services


class Command(BaseCommand):
    help = (
        "删除超过保留期的导入文件（未确认的预检、失败的导入）和后台导出文件；"
        "导入导出记录和被拒绝的行保留。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=services.FILE_RETENTION_DAYS,
            help="导入文件的保留天数",
        )
        parser.add_argument(
            "--export-days",
            type=int,
            default=services.EXPORT_RETENTION_DAYS,
            help="导出文件的保留天数（自生成起）",
        )

    def handle(self, *args, days, export_days, **options):
        imports = services.purge_old_files(days=days)
        exports = services.purge_old_exports(days=export_days)
        self.stdout.write(f"已删除 {imports} 个导入文件、{exports} 个导出文件")
