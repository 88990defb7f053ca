"""Register a video-analytics source (城市之眼) and print its webhook secret."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jiceng.cases.models import VideoSource
from jiceng.cases.services.keys import set_video_source_active
from jiceng.cases.webhook import create_source


class Command(BaseCommand):
    help = "登记视频智能分析来源，输出告警接口地址和签名密钥（只显示一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="来源名称，如：城市之眼一期")
        parser.add_argument(
            "--disable", action="store_true", help="停用该来源（其告警将被拒绝）"
        )

    def handle(self, *args, name, disable, **options):
        if disable:
            source = VideoSource.objects.filter(name=name).first()
            if source is None:
                raise CommandError(f"没有名为“{name}”的视频来源")
            set_video_source_active(actor=None, source=source, active=False)
            self.stdout.write(f"已停用：{name}")
            return
        try:
            code, secret = create_source(name)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        self.stdout.write(f"url: /api/v1/hooks/video/{code}\nsecret: {secret}")
