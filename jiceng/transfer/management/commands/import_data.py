"""Import a 台账 file from the command line: the same import as the web page."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from jiceng.core.ledgers import IMPORTERS, first_message
from jiceng.core.tabular import TabularError, sheet_names
from jiceng.transfer import services
from jiceng.transfer.models import JobStatus


def acting_user(username):
    """The named user, or the first superuser when none is named."""
    users = get_user_model().objects
    user = (
        users.filter(username=username)
        if username
        else users.filter(is_superuser=True).order_by("pk")
    ).first()
    if user is None:
        raise CommandError(f"找不到用户：{username or '（超级管理员）'}")
    return user


def sheet_index(path, wanted):
    """The 0-based index of the sheet named or numbered (from 1) on the command line."""
    if not wanted:
        return None
    try:
        names = sheet_names(path, path.name)
    except TabularError as exc:
        raise CommandError(str(exc)) from exc
    if wanted in names:
        return names.index(wanted)
    if wanted.isdigit() and 1 <= int(wanted) <= len(names):
        return int(wanted) - 1
    listed = "、".join(f"{i}. {n}" for i, n in enumerate(names, 1))
    raise CommandError(f"找不到工作表：{wanted}（文件中的工作表：{listed}）")


class Command(BaseCommand):
    help = "从Excel/CSV导入台账（居民、户、单位、党员、地点），与网页导入相同。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=sorted(IMPORTERS))
        parser.add_argument("--dry-run", action="store_true", help="只预检，不保存")
        parser.add_argument("--json", action="store_true", help="以JSON输出结果")
        parser.add_argument("--user", help="以该用户的权限范围导入（默认超级管理员）")
        parser.add_argument(
            "--sheet",
            help="导入哪个工作表：名称，或从1起的序号（默认自动查找表头所在的工作表）",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        user = acting_user(options["user"])
        sheet = sheet_index(path, options["sheet"])
        try:
            with path.open("rb") as handle:
                job = services.start_import(
                    actor=user,
                    kind=options["kind"],
                    upload=File(handle, name=path.name),
                    dry_run=options["dry_run"],
                    defer=False,
                    sheet=sheet,
                )
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(first_message(exc)) from exc
        for notice in job.notices:
            self.stderr.write(notice)
        if job.status == JobStatus.NEEDS_MAPPING:
            raise CommandError(
                "缺少必填列：" + "、".join(services.missing_columns(job))
            )
        job = services.run_job(job)
        result = job.summary() | {
            "errors": [
                {"row": r.row_number, "reason": r.reason} for r in job.rejections.all()
            ],
        }
        if job.status == JobStatus.FAILED:
            result["errors"].insert(0, {"row": 0, "reason": job.message})
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"共{job.total}行：新增{job.created}，更新{job.updated}，"
                f"未变{job.unchanged}，拒绝{job.rejected}"
                + ("（预检，未保存）" if job.dry_run else "")
            )
            for error in result["errors"][:50]:
                self.stdout.write(f"  第{error['row']}行：{error['reason']}")
        if job.status == JobStatus.FAILED:
            raise CommandError(job.message)
