"""议题: raised from the phone, the desk, a case or a 微心愿; graded and carried
through its grade's procedure (workflow.py); 公示 objections, execution tasks and
the raiser's satisfaction."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.roles import Role
from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.places.models import Place

from ..workflow import Grade, Status


class RaisedBy(models.TextChoices):
    RESIDENT = "resident", _("居民")
    GRID_WORKER = "grid_worker", _("网格员")
    BUILDING_LEAD = "building_lead", _("楼栋长")
    MEMBER = "member", _("党员")
    UNIT = "unit", _("单位")
    COMMUNITY = "community", _("社区")


class Source(models.TextChoices):
    PHONE = "phone", _("手机提交")
    DESK = "desk", _("窗口登记")
    CASE = "case", _("事件转议题")
    WISH = "wish", _("微心愿转议题")


def lived_topic_rows(user):
    """Topics put to the member's own compound, grid or community (or their building):
    the places on the way up from where they live, from the community down."""
    from jiceng.people.models import Resident

    resident = Resident.objects.filter(user=user).select_related("place").first()
    if resident is None:
        return None
    return models.Q(place__path__in=Place.lineage_paths(resident.place.path))


class Topic(models.Model):
    community = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="topics",
        verbose_name=_("涉及范围"),
        help_text=_("议题涉及的社区、网格、小区或楼栋；表决的户数按这里计算"),
    )
    title = models.CharField(_("议题"), max_length=100)
    description = models.TextField(_("具体内容"), max_length=2000)
    raised_by_kind = models.CharField(
        _("提出人身份"), max_length=16, choices=RaisedBy.choices
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提出人账号"),
    )
    raiser_name = models.CharField(_("提出人"), max_length=50)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源事件"),
    )
    wish = models.ForeignKey(
        "volunteer.Wish",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源微心愿"),
    )
    grade = models.CharField(_("等级"), max_length=8, choices=Grade.choices, blank=True)
    grade_reason = models.CharField(_("定级理由"), max_length=200, blank=True)
    graded_at = models.DateTimeField(_("定级时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.RAISED
    )
    # 急事急议: the 两委 decide by this time.
    urgent_due = models.DateTimeField(_("急议时限"), null=True, blank=True)
    decision = models.TextField(_("决议内容"), blank=True)
    decided_at = models.DateTimeField(_("决议时间"), null=True, blank=True)
    # 急事: the meeting that confirmed the 两委's decision.
    confirmed_at_meeting = models.ForeignKey(
        "Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="confirmed_topics",
        verbose_name=_("追认会议"),
    )
    publicity_starts = models.DateTimeField(_("公示开始"), null=True, blank=True)
    publicity_ends = models.DateTimeField(_("公示截止"), null=True, blank=True)
    report_back = models.TextField(_("办理结果反馈"), blank=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"), null=True, blank=True, help_text=_("1–5")
    )
    satisfaction_note = models.CharField(_("评价意见"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    # Units follow the topics they raised; members also see their own area's.
    scope = Scope(
        place="place",
        self_field="raised_by",
        owner_roles=frozenset({Role.UNIT_ORG}),
        member_rows=lived_topic_rows,
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("deliberation:topic_detail", args=[self.pk])

    @property
    def is_decided(self):
        from ..workflow import DECIDED_STATUSES

        return self.status in DECIDED_STATUSES


class TopicEvent(models.Model):
    """One step in a topic's history, shown to the raiser and the community."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(_("步骤"), max_length=24)
    text = models.CharField(_("说明"), max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.text[:30]


class Consultation(models.Model):
    """小事小议: the grid's or building's recorded consultation that settles it."""

    topic = models.OneToOneField(
        Topic, on_delete=models.CASCADE, related_name="consultation"
    )
    held_on = models.DateField(_("协商日期"))
    venue = models.CharField(_("地点"), max_length=100)
    participants = models.TextField(_("参加人员"), max_length=1000)
    outcome = models.TextField(_("协商结果"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.outcome[:30]


class UrgentDecision(models.Model):
    """急事急议: the 两委's decision, within 24 hours of grading."""

    topic = models.OneToOneField(
        Topic, on_delete=models.CASCADE, related_name="urgent_decision"
    )
    attendees = models.TextField(_("参加的两委成员"), max_length=500)
    decision = models.TextField(_("决定"), max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    def __str__(self):
        return self.decision[:30]


class Objection(models.Model):
    """An objection raised during the 公示 period, and the community's answer."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="objections"
    )
    name = models.CharField(_("姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=50, blank=True)
    text = models.TextField(_("异议内容"), max_length=1000)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]

    def __str__(self):
        return f"{self.name}：{self.text[:20]}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    DONE = "done", _("已完成")


class ExecutionTask(models.Model):
    """One piece of carrying out a resolution; may be handed to the case loop."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("任务"), max_length=100)
    owner = models.CharField(_("责任方"), max_length=100)
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转办事件"),
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    result = models.CharField(_("完成情况"), max_length=300, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.title
