"""Issue an Open311 API key for an outside reporting client."""

from django.core.management.base import BaseCommand

from jiceng.cases.open311 import create_key


class Command(BaseCommand):
    help = "生成 Open311 API 密钥（只显示一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="客户端名称，如：12345热线")

    def handle(self, *args, name, **options):
        self.stdout.write(create_key(name))
