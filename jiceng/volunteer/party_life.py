"""volunteer's contribution to party life (jiceng.party.contributions): the 主题党日
held in each community and month, and a member's 双报到, hours, points and 主题党日
attendance on their party-life record. Registered in VolunteerConfig.ready."""

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from jiceng.party.contributions import Contribution, contribute

from .models import (
    Activity,
    ActivityStatus,
    HoursStatus,
    MemberRegistration,
    ServiceHours,
    Signup,
    Volunteer,
)


def theme_days(community_ids, first, last):
    """主题党日 activities held (not cancelled) per community and month."""
    rows = (
        Activity.objects.filter(
            kind="theme_day",
            community_id__in=community_ids,
            starts_at__date__range=(first, last),
        )
        .exclude(status=ActivityStatus.CANCELLED)
        .annotate(y=ExtractYear("starts_at"), m=ExtractMonth("starts_at"))
        .values("community_id", "y", "m")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(r["community_id"], r["y"], r["m"]): r["n"] for r in rows}


def member_lines(member):
    volunteers = list(Volunteer.objects.filter(member=member))
    registrations = MemberRegistration.objects.filter(member=member).select_related(
        "community"
    )
    lines = [
        (
            "双报到",
            "、".join(
                f"{r.community.name}（{r.get_status_display()}）" for r in registrations
            )
            or "未报到",
        )
    ]
    if volunteers:
        hours = sum(
            ServiceHours.objects.filter(
                volunteer__in=volunteers, status=HoursStatus.CONFIRMED
            ).values_list("hours", flat=True),
            start=0,
        )
        theme = Signup.objects.filter(
            volunteer__in=volunteers,
            activity__kind="theme_day",
            checked_in_at__isnull=False,
        ).count()
        lines += [
            ("志愿服务时长", f"{hours} 小时"),
            (
                "积分",
                f"{sum(v.points_balance for v in volunteers)}（累计获得 "
                f"{sum(v.points_earned for v in volunteers)}）",
            ),
            ("参加主题党日", f"{theme} 次"),
        ]
    return lines


def register():
    contribute(
        "volunteer", Contribution(theme_days=theme_days, member_lines=member_lines)
    )
