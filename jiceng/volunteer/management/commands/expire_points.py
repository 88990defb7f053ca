"""Expire points unspent two years after they were earned (run monthly)."""

from django.core.management.base import BaseCommand

from jiceng.volunteer import services


class Command(BaseCommand):
    help = "积分过期：获得满两年仍未使用的积分按先进先出过期。"

    def handle(self, *args, **options):
        self.stdout.write(f"{services.expire_points()} 名志愿者有积分过期")
