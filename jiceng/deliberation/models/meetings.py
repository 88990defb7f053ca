"""Deliberative bodies (居民议事会, 物管会, 三方联动, 联席会), their members with
terms, meetings with notice, attendance and minutes, and the topics discussed
with each side's position."""

from fractions import Fraction

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.places.models import Place


class BodyKind(models.TextChoices):
    COUNCIL = "council", _("居民议事会")
    PROPERTY_COMMITTEE = "property_committee", _("物管会")
    TRIPARTITE = "tripartite", _("三方联动")
    JOINT = "joint", _("联席会")


# Bodies whose quorate meeting may take up a 大事 (大事大议).
MAJOR_BODIES = (BodyKind.COUNCIL, BodyKind.TRIPARTITE, BodyKind.JOINT)


class Side(models.TextChoices):
    COMMUNITY = "community", _("社区")
    OWNERS = "owners", _("业委会/自管委")
    PROPERTY = "property", _("物业公司")
    RESIDENTS = "residents", _("居民代表")
    UNITS = "units", _("驻区单位")
    PARTY = "party", _("党组织")


# 三方联动: community, owners' committee and property company must all be present.
TRIPARTITE_SIDES = (Side.COMMUNITY, Side.OWNERS, Side.PROPERTY)


class Body(models.Model):
    community = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    compound = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("小区"),
        help_text=_("物管会、三方联动按小区设立时填写"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=BodyKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    # Share of the members in office who must attend (以上: at least).
    quorum_numerator = models.PositiveSmallIntegerField(
        _("法定人数（分子）"), default=2
    )
    quorum_denominator = models.PositiveSmallIntegerField(
        _("法定人数（分母）"), default=3
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(place="community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["community", "kind", "name"]
        verbose_name = _("议事机构")
        verbose_name_plural = _("议事机构")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("deliberation:body_detail", args=[self.pk])

    @property
    def quorum(self) -> Fraction:
        return Fraction(self.quorum_numerator, self.quorum_denominator)

    def members_on(self, day):
        return self.members.filter(term_start__lte=day).filter(
            models.Q(term_end__isnull=True) | models.Q(term_end__gte=day)
        )


class BodyMember(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    side = models.CharField(_("代表方"), max_length=16, choices=Side.choices)
    position = models.CharField(_("职务"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"), null=True, blank=True)

    class Meta:
        ordering = ["side", "pk"]

    def __str__(self):
        return self.name


class MeetingStatus(models.TextChoices):
    NOTIFIED = "notified", _("已通知")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class Meeting(models.Model):
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("机构")
    )
    community = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    title = models.CharField(_("会议名称"), max_length=100)
    starts_at = models.DateTimeField(_("召开时间"))
    venue = models.CharField(_("地点"), max_length=100)
    notice = models.TextField(_("会议通知"), max_length=2000)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=MeetingStatus.choices,
        default=MeetingStatus.NOTIFIED,
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    held_at = models.DateTimeField(_("召开于"), null=True, blank=True)
    # Attendance figures kept with the minutes: the quorum as it was that day.
    members_in_office = models.PositiveIntegerField(default=0)
    members_present = models.PositiveIntegerField(default=0)
    quorate = models.BooleanField(_("达到法定人数"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    scope = Scope(place="community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("会议")
        verbose_name_plural = _("会议")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("deliberation:meeting_detail", args=[self.pk])


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(BodyMember, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="delib_attendance_once"
            )
        ]

    def __str__(self):
        return f"{self.meeting_id}:{self.member_id}"


class Discussion(models.Model):
    """A topic taken up at a meeting: what was said, and the outcome."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="discussions"
    )
    topic = models.ForeignKey(
        "Topic", on_delete=models.CASCADE, related_name="discussions"
    )
    summary = models.TextField(_("讨论情况"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "topic"], name="delib_discussion_once"
            )
        ]

    def __str__(self):
        return f"{self.meeting_id}:{self.topic_id}"


class Position(models.Model):
    """One side's position on a topic at a meeting (社区、业委会、物业…)."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="positions"
    )
    side = models.CharField(_("代表方"), max_length=16, choices=Side.choices)
    statement = models.CharField(_("意见"), max_length=500)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.statement[:30]
