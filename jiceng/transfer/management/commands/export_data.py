"""Export a 台账 kind to xlsx within one user's scope, as the list page's button does."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from jiceng.core.ledgers import EXPORTERS, first_message
from jiceng.transfer import services
from jiceng.transfer.workbooks import write_workbook

from .import_data import acting_user


class Command(BaseCommand):
    help = "按用户权限范围导出台账为xlsx（默认脱敏）。"

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(EXPORTERS))
        parser.add_argument("--out", required=True, help="输出的xlsx文件")
        parser.add_argument("--user", help="按该用户的权限范围导出（默认超级管理员）")
        parser.add_argument(
            "--unmasked",
            action="store_true",
            help="导出完整身份证号和手机号（需查看权限，记入审计）",
        )

    def handle(self, *args, **options):
        user = acting_user(options["user"])
        try:
            rows, note, label = services.export_rows(
                user=user, kind=options["kind"], params={}, unmasked=options["unmasked"]
            )
            write_workbook(options["out"], rows, title=label, note=note)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(first_message(exc)) from exc
        self.stdout.write(f"已导出到 {options['out']}")
