"""detect_hotspots: run one incremental detection; --json prints the open ones."""

import json

from django.core.management.base import BaseCommand

from ...models import ProactiveTask, TaskStatus
from ...services import hotspots


class Command(BaseCommand):
    help = "发现聚集、反复和上升（未诉先办），--json 输出全部待办的发现"

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="以 JSON 输出待办的发现"
        )
        parser.add_argument("--no-run", action="store_true", help="只输出，不运行检测")

    def handle(self, *args, **options):
        created = extended = 0
        if not options["no_run"]:
            created, extended = hotspots.detect()
        tasks = ProactiveTask.objects.filter(status=TaskStatus.OPEN).select_related(
            "category"
        )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [hotspots.as_json(t) for t in tasks], ensure_ascii=False, indent=1
                )
            )
        else:
            self.stdout.write(
                f"新发现 {created} 项，扩展 {extended} 项，待办共 {tasks.count()} 项"
            )
