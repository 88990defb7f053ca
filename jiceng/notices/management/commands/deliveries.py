"""Inspect the delivery log (recipients masked), or retry what is due."""

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import timezone

from jiceng.notices import services
from jiceng.notices.models import Delivery, DeliveryStatus


class Command(BaseCommand):
    help = "查看外发消息的发送记录（接收方已脱敏），或重试到期的失败消息"

    def add_arguments(self, parser):
        parser.add_argument("--status", choices=DeliveryStatus.values)
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--retry", action="store_true", help="重试到期的消息")

    def handle(self, *args, **options):
        if options["retry"]:
            done = services.retry_due(now=timezone.now())
            self.stdout.write(f"已重试 {len(done)} 条")
        totals = dict(
            Delivery.objects.values_list("status").annotate(n=Count("pk")).order_by()
        )
        self.stdout.write(
            "  ".join(f"{s.label} {totals.get(s.value, 0)}" for s in DeliveryStatus)
        )
        rows = Delivery.objects.order_by("-created_at", "-pk")
        if options["status"]:
            rows = rows.filter(status=options["status"])
        for row in rows[: max(1, min(options["limit"], 1000))]:
            when = timezone.localtime(row.created_at).strftime("%m-%d %H:%M")
            self.stdout.write(
                f"{row.pk}\t{when}\t{row.channel}\t{row.recipient_mask}\t"
                f"{row.get_status_display()}\t{row.attempts}次\t{row.last_error}"
            )
