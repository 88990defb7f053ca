"""retrain_dispatch: train a new dispatch model; kept only if it beats the current one."""

from django.core.management.base import BaseCommand

from ...services import dispatch


class Command(BaseCommand):
    help = "用已结案件训练新的派遣模型；只有在留出案件上超过当前版本时才采用"

    def handle(self, *args, **options):
        row = dispatch.retrain()
        if row is None:
            self.stdout.write(
                f"已结案件不足 {dispatch.min_cases()} 件，继续使用规则与关键词"
            )
        else:
            self.stdout.write(
                f"v{row.version}：{row.note}（类别首选 {row.category_top1:.1%}，"
                f"承办首选 {row.handler_top1:.1%}）"
            )
