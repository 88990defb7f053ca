"""suggest_dispatch FILE.jsonl: one line of top-3 suggestions per report line."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from ...services import dispatch


class Command(BaseCommand):
    help = "按当前模型为 JSONL 文件中的每条上报给出前三条派遣建议（每行输出一条 JSON）"

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help='每行 {"description": str, "lat": float|null, "lng": float|null}；"-" 为标准输入',
        )

    def handle(self, *args, file, **options):
        try:
            stream = sys.stdin if file == "-" else open(file, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
        with stream:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    report = json.loads(line)
                    text = str(report["description"])
                    lat, lng = report.get("lat"), report.get("lng")
                    lat = None if lat is None else float(lat)
                    lng = None if lng is None else float(lng)
                except (ValueError, KeyError, TypeError) as exc:
                    raise CommandError(f"第{number}行格式错误：{exc}") from exc
                found = dispatch.suggest_for_point(text, lat, lng)
                out = {"suggestions": [s.as_json() for s in found.items]}
                self.stdout.write(json.dumps(out, ensure_ascii=False))
