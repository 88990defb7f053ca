"""Print a fresh API token for a user: manage.py api_token USERNAME."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from jiceng.core.services import create_api_token


class Command(BaseCommand):
    help = "为指定账号生成新的API令牌并打印（只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="命令行生成")
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, username, name, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"账号 {username} 不存在")
        _, raw = create_api_token(actor="manage.py", user=user, name=name, days=days)
        self.stdout.write(raw)
