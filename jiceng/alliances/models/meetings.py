"""联席会议 and the 四会制度 meetings: scheduled by cadence, an agenda drawn from
open and overdue tasks, attendance with absence reasons, minutes, and decisions
that become tasks (owner unit / department / person, due date, progress reports)
which the next meeting of the series reports on until they are done."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.roles import Role
from jiceng.core.scope import Scope, ScopedQuerySet

from .alliances import FourCo


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    SEMIANNUAL = "semiannual", _("每半年")


CADENCE_MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.SEMIANNUAL: 6}


class MeetingKind(models.TextChoices):
    """四会制度, with the 联席会 first."""

    JOINT = "joint", _("联席会")
    DELIBERATION = "deliberation", _("议事会")
    PROGRESS = "progress", _("推进会")
    REVIEW = "review", _("评议会")


class MeetingSeries(models.Model):
    title = models.CharField(_("会议名称"), max_length=120)
    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices)
    cadence = models.CharField(_("召开周期"), max_length=16, choices=Cadence.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="meeting_series",
        verbose_name=_("召集街道/社区"),
    )
    alliance = models.ForeignKey(
        "Alliance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="series",
        verbose_name=_("所属联盟"),
    )
    location = models.CharField(_("默认地点"), max_length=200, blank=True)
    first_on = models.DateField(_("首次召开"))
    hour = models.PositiveSmallIntegerField(_("开始（时）"), default=9)
    active = models.BooleanField(_("有效"), default=True)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["place__path", "title"]
        verbose_name = _("例会安排")
        verbose_name_plural = _("例会安排")

    def __str__(self):
        return self.title


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待召开")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class Meeting(models.Model):
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("例会"),
    )
    title = models.CharField(_("会议名称"), max_length=120)
    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("召集街道/社区"),
    )
    alliance = models.ForeignKey(
        "Alliance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("所属联盟"),
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=MeetingStatus.choices,
        default=MeetingStatus.SCHEDULED,
        db_index=True,
    )
    chair = models.CharField(_("主持人"), max_length=50, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("会议")
        verbose_name_plural = _("会议")

    def __str__(self):
        return f"{self.title}（{timezone.localtime(self.starts_at):%Y-%m-%d}）"

    def get_absolute_url(self):
        return reverse("alliances:meeting_detail", args=[self.pk])


class AgendaKind(models.TextChoices):
    OVERDUE = "overdue", _("逾期事项督办")
    OPEN_TASK = "open_task", _("上次议定事项进展")
    TOPIC = "topic", _("本次议题")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("类别"), max_length=16, choices=AgendaKind.choices)
    title = models.CharField(_("议题"), max_length=200)
    task = models.ForeignKey(
        "Task", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    scope = Scope(place="meeting__place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("议程")
        verbose_name_plural = _("议程")

    def __str__(self):
        return self.title


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("待参会")
    PRESENT = "present", _("出席")
    ABSENT = "absent", _("缺席")


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances"
    )
    name = models.CharField(_("姓名"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_attendances",
        verbose_name=_("账号"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("单位"),
    )
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部门"),
    )
    status = models.CharField(
        _("出席"), max_length=16, choices=AttendanceStatus.choices, default="invited"
    )
    absence_reason = models.CharField(_("缺席原因"), max_length=200, blank=True)

    # The invited see their own invitations (my meetings) whatever their role.
    scope = Scope(
        place="meeting__place",
        unit="unit",
        department="department",
        self_field="user",
        owner_roles=frozenset(Role),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")

    def __str__(self):
        return self.name


class TaskStatus(models.TextChoices):
    OPEN = "open", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


OPEN_TASK = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class TaskQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_TASK)

    def overdue(self, today: date | None = None):
        """Open tasks past their due date: the one rule pages, agenda and API share."""
        today = today or timezone.localdate()
        return self.open().filter(due_on__lt=today)


class Task(models.Model):
    """A decision to carry out (会议议定事项 / 督办任务)."""

    title = models.CharField(_("事项"), max_length=200)
    detail = models.TextField(_("要求"), blank=True)
    tag = models.CharField(_("四共"), max_length=8, choices=FourCo.choices, blank=True)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="co_tasks",
        verbose_name=_("街道/社区"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("议定会议"),
    )
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("跟踪例会"),
    )
    owner_unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_tasks",
        verbose_name=_("责任单位"),
    )
    owner_department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任部门"),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="co_tasks",
        verbose_name=_("责任人账号"),
    )
    owner_name = models.CharField(_("责任人"), max_length=50, blank=True)
    due_on = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=TaskStatus.choices,
        default=TaskStatus.OPEN,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    # A unit or department sees the tasks it owns, a person those named for them.
    scope = Scope(
        place="place",
        unit="owner_unit",
        department="owner_department",
        self_field="owner_user",
        owner_roles=frozenset(Role),
    )
    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="task_progress_percent"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("alliances:task_detail", args=[self.pk])

    @property
    def owner(self):
        return self.owner_unit or self.owner_department or self.owner_name or "—"

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status in OPEN_TASK and self.due_on < today


class TaskReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    progress = models.PositiveSmallIntegerField(_("进度（%）"))
    note = models.CharField(_("进展情况"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    by_name = models.CharField(max_length=120, blank=True)
    at = models.DateTimeField(default=timezone.now)

    scope = Scope(
        place="task__place",
        unit="task__owner_unit",
        department="task__owner_department",
        self_field="task__owner_user",
        owner_roles=frozenset(Role),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self):
        return f"{self.task} {self.progress}%"
