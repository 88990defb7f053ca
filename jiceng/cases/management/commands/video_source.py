"""Register a video-analytics source (城市之眼) and print its webhook secret."""

from django.core.management.base import BaseCommand

from jiceng.cases.webhook import create_source


class Command(BaseCommand):
    help = "登记视频智能分析来源，输出告警接口地址和签名密钥（只显示一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="来源名称，如：城市之眼一期")

    def handle(self, *args, name, **options):
        code, secret = create_source(name)
        self.stdout.write(f"url: /api/v1/hooks/video/{code}\nsecret: {secret}")
