"""List the demo accounts with their real roles and scopes."""

import json
import unicodedata

from django.core.management.base import BaseCommand

from jiceng.core.roles import Role
from jiceng.demo.accounts import SUPERUSER, describe_accounts


def width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text, size):
    return text + " " * (size - width(text))


class Command(BaseCommand):
    help = "列出演示账号（账号、密码、角色、范围）；--json 输出机器可读格式。"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, json: bool = False, **options):
        rows = describe_accounts()
        if json:
            self.stdout.write(_dumps(rows))
            return
        labels = {value: str(label) for value, label in Role.choices}
        labels[SUPERUSER] = "超级管理员"
        table = [("账号", "密码", "角色", "范围")] + [
            (r["username"], r["password"], labels.get(r["role"], r["role"]), r["scope"])
            for r in rows
        ]
        sizes = [max(width(row[i]) for row in table) for i in range(3)]
        for n, row in enumerate(table):
            self.stdout.write(
                "  ".join(pad(cell, sizes[i]) for i, cell in enumerate(row[:3]))
                + "  "
                + row[3]
            )
            if n == 0:
                self.stdout.write("  ".join("-" * s for s in sizes) + "  " + "-" * 20)


def _dumps(rows):
    return json.dumps(rows, ensure_ascii=False, indent=2)
