"""What the 工作台 shows about volunteering, per role: (label, value, url, icon)."""

from django.db.models import Count, Q
from django.urls import reverse

from jiceng.core.scope import has_permission

from .models import (
    HoursStatus,
    MemberRegistration,
    RegistrationStatus,
    ServiceHours,
    UnitRegistration,
    Wish,
    WishStatus,
)


def volunteer_cards(user):
    cards = []
    if has_permission(user, "volunteer.manage"):
        # one query for both kinds of registration
        pending = (
            MemberRegistration.objects.visible_to(user, "manage")
            .filter(status=RegistrationStatus.PENDING)
            .order_by()
            .values("pk")
            .union(
                UnitRegistration.objects.visible_to(user, "manage")
                .filter(status=RegistrationStatus.PENDING)
                .order_by()
                .values("pk"),
                all=True,
            )
            .count()
        )
        url = reverse("volunteer:registrations") + "?status=pending"
        cards.append(("待确认双报到", pending, url, "person-check"))
        hours = (
            ServiceHours.objects.visible_to(user, "manage")
            .filter(status=HoursStatus.PENDING)
            .count()
        )
        cards.append(("待确认服务时长", hours, reverse("volunteer:hours"), "clock"))
    if has_permission(user, "volunteer.manage") or has_permission(
        user, "volunteer.collect"
    ):
        counts = Wish.objects.visible_to(user).aggregate(
            collected=Count("pk", filter=Q(status=WishStatus.COLLECTED)),
            fulfilled=Count("pk", filter=Q(status=WishStatus.FULFILLED)),
        )
        cards.append(
            (
                "待审核微心愿",
                counts["collected"],
                reverse("volunteer:wishes") + "?status=collected",
                "balloon-heart",
            )
        )
        cards.append(
            (
                "待确认实现的心愿",
                counts["fulfilled"],
                reverse("volunteer:wishes") + "?status=fulfilled",
                "check2-circle",
            )
        )
    if has_permission(user, "volunteer.join"):
        from .services import volunteer_of

        volunteer = volunteer_of(user, create=False)
        if volunteer is not None:
            me = reverse("volunteer:me")
            cards.append(("我的服务时长", volunteer.hours_total, me, "clock-history"))
            cards.append(("我的积分", volunteer.points_balance, me, "coin"))
        cards.append(
            (
                "心愿墙待认领",
                Wish.objects.public().filter(status=WishStatus.PUBLISHED).count(),
                reverse("volunteer:wall") + "?status=published",
                "balloon-heart",
            )
        )
    return cards
