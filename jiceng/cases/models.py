"""Cases (事件/案卷): report → accept → dispatch → handle → verify → close → rate.

Categories follow CJ/T 214 (部件 and 事件, big and small classes with codes and
time limits); every step is a CaseEvent on the case's timeline. A version number
on the case lets two people act at once without losing either's update.
"""

import operator
from dataclasses import replace
from datetime import timedelta
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.fields import EncryptedCharField, MaskField
from jiceng.core.roles import ROLE_PERMISSIONS, ROLE_PLACE_KINDS, Role
from jiceng.core.scope import Scope, ScopedQuerySet, grants_for
from jiceng.core.tokens import new_token
from jiceng.core.validators import mask_mobile
from jiceng.places.models import PATH_OPCLASS, Place, PlaceKind, PlacePathMixin

from .workflow import EVENT_LABELS, OPEN_STATUSES, STAGE_LIMITS, STEPS, Status


class CategoryType(models.TextChoices):
    COMPONENT = "component", _("部件")
    EVENT = "event", _("事件")


class CategoryQuerySet(models.QuerySet):
    def reportable(self):
        """The classes a case can be reported in: see Category.is_reportable."""
        return self.filter(active=True, parent__isnull=False)


class Category(models.Model):
    """A CJ/T 214 class: big classes group small ones; small ones carry time limits."""

    type = models.CharField(_("类型"), max_length=16, choices=CategoryType.choices)
    code = models.CharField(_("编码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("大类"),
    )
    respond_hours = models.PositiveIntegerField(_("响应时限（工作小时）"), default=4)
    handle_days = models.PositiveIntegerField(_("处置时限（工作日）"), default=3)
    verify_days = models.PositiveIntegerField(_("核查时限（工作日）"), default=1)
    active = models.BooleanField(_("启用"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["type", "code"]
        verbose_name = _("案件类别")
        verbose_name_plural = _("案件类别")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_reportable(self):
        """Cases are reported in active small classes (big classes only group)."""
        return self.active and self.parent_id is not None

    @property
    def full_name(self):
        parts = [self.get_type_display()]
        if self.parent_id:
            parts.append(self.parent.name)
        parts.append(self.name)
        return " / ".join(parts)


class RoutingRule(models.Model):
    """Category + place subtree → the department or grid that handles it."""

    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("类别"),
        help_text=_("大类规则适用于其下全部小类"),
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("适用区域"),
    )
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("派往部门"),
    )
    to_grid = models.BooleanField(
        _("派往所在网格"), default=False, help_text=_("琐事不出网格：由所在网格处置")
    )

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("派遣规则")
        verbose_name_plural = _("派遣规则")

    def __str__(self):
        target = self.department or ("所在网格" if self.to_grid else "—")
        return f"{self.category.name} @ {self.place.name} → {target}"


class Channel(models.TextChoices):
    SNAPSHOT = "snapshot", _("随手拍")
    PATROL = "patrol", _("网格巡查")
    HOTLINE = "hotline", _("热线")
    BUILDING = "building", _("楼栋长")
    VIDEO = "video", _("城市之眼（视频）")
    OPEN311 = "open311", _("Open311")
    GIG = "gig", _("新就业群体")


DUE_SOON = timedelta(hours=24)


class CaseCounter(models.Model):
    """The last case number issued on a day; its row lock serialises numbering."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.day} {self.last}"


# Who handles a case: the department it is dispatched to, or whoever holds
# cases.handle over the place it is dispatched to (a grid, or a compound for its
# property company). Departments act through their department, never their place.
# A case goes only to a place inside its own grid (services.assignment), so a handler
# at or above the grid sees it through the case's place already; those placed
# below the grid (a compound's property company) see it through the handler clause.
HANDLE_ROLES = frozenset(
    role
    for role, permissions in ROLE_PERMISSIONS.items()
    if "cases.handle" in permissions
)
PLACE_HANDLER_ROLES = HANDLE_ROLES - {Role.DEPARTMENT}
BELOW_GRID = frozenset(
    {PlaceKind.COMPOUND, PlaceKind.BUILDING, PlaceKind.ENTRANCE, PlaceKind.DWELLING}
)
HANDLER_SCOPE = Scope(
    department="department",
    assignee_place="grid",
    assignee_roles=PLACE_HANDLER_ROLES,
)


class CaseQuerySet(ScopedQuerySet):
    def handled_by(self, user):
        """Cases dispatched to the user: to their department or into their subtree.

        The Scope's handler clauses alone (HANDLER_SCOPE), for the grants that carry
        cases.handle: "我承办的", the handling steps, the workbench and the
        notifications all ask this."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        grants = [g for g in grants_for(user) if g.allows("cases.handle")]
        condition = HANDLER_SCOPE.condition(grants, user, "handle", self.model)
        return self.none() if condition is None else self.filter(condition)

    def overdue(self, now=None):
        """Open cases past the limit of their current stage (workflow.STAGE_LIMITS)."""
        return self.filter(_past_stage_limit(now or timezone.now()))

    def by_current_due(self):
        """Earliest current limit first (Case.current_due, in the database)."""
        stage_due = models.Case(  # SQL CASE over the stage limits, not the model
            *(
                models.When(status=status, then=models.F(limit.field))
                for status, limit in STAGE_LIMITS.items()
            )
        )
        return self.annotate(stage_due=stage_due).order_by("stage_due", "pk")


def _past_stage_limit(moment) -> Q:
    """Cases whose current stage's limit lies before moment (hold pauses handling)."""
    parts = []
    for status, limit in STAGE_LIMITS.items():
        part = Q(status=status, **{f"{limit.field}__lt": moment})
        if limit.paused_on_hold:
            part &= Q(on_hold=False)
        parts.append(part)
    return reduce(operator.or_, parts)


class Case(PlacePathMixin):
    number = models.CharField(_("案卷号"), max_length=24, unique=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("类别")
    )
    description = models.TextField(_("问题描述"))
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("所在网格/地点"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    # The compound the case was reported in (from its point or its address, see
    # services.intake.compound_for): its property company sees the case there.
    compound = models.ForeignKey(
        "places.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="compound_cases",
        limit_choices_to={"kind": PlaceKind.COMPOUND},
        verbose_name=_("所在小区"),
    )
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    channel = models.CharField(_("来源"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=Status.choices,
        default=Status.REPORTED,
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_cases",
        verbose_name=_("上报人账号"),
    )
    reporter_name = models.CharField(_("上报人"), max_length=50, blank=True)
    reporter_phone = EncryptedCharField(_("联系电话"))
    reporter_phone_mask = MaskField(source="reporter_phone", masker=mask_mobile)
    anonymous = models.BooleanField(_("匿名"), default=False)
    public_token = models.CharField(max_length=32, unique=True, default=new_token)
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("承办部门"),
    )
    grid = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_cases",
        verbose_name=_("承办网格"),
    )
    respond_due = models.DateTimeField(_("响应期限"), null=True, blank=True)
    handle_due = models.DateTimeField(_("处置期限"), null=True, blank=True)
    verify_due = models.DateTimeField(_("核查期限"), null=True, blank=True)
    supervised = models.BooleanField(_("督办"), default=False)
    escalation = models.PositiveSmallIntegerField(
        _("升级层级"), default=0, help_text=_("0 网格，1 社区，2 街道，3 区")
    )
    on_hold = models.BooleanField(_("挂账"), default=False)
    held_at = models.DateTimeField(_("挂账时间"), null=True, blank=True)
    # When the deadline sweep may next raise the level (escalation keeps handle_due).
    escalate_after = models.DateTimeField(_("下次升级时间"), null=True, blank=True)
    extended = models.BooleanField(_("已延期"), default=False)
    result = models.TextField(_("处置结果"), blank=True)
    # Who reported the handling (处置反馈): 核查 is someone else's (workflow).
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处置人"),
    )
    media_url = models.URLField(_("外部照片链接"), max_length=500, blank=True)
    open311_key = models.ForeignKey(
        "Open311Key", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The sender's own id (a video alert's event id), so a resent alert is one case.
    external_ref = models.CharField(max_length=100, blank=True, db_index=True)
    rating = models.PositiveSmallIntegerField(_("评价"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("上报时间"), auto_now_add=True, db_index=True)
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
        verbose_name=_("已合并至"),
    )
    version = models.PositiveIntegerField(default=0)
    # Derived from status on every save: one indexed value lets "open cases, newest
    # first" read in order from an index instead of merging five status ranges.
    is_open = models.BooleanField(default=True, editable=False)

    # Who oversees its place, who handles it (HANDLER_SCOPE: beyond the place
    # clause only the handlers placed below the grid need it), the property company
    # of the compound it was reported in, and its reporter.
    scope = replace(
        HANDLER_SCOPE,
        assignee_place=("grid", "compound"),
        assignee_roles=frozenset(
            role
            for role in PLACE_HANDLER_ROLES
            if ROLE_PLACE_KINDS.get(role) and ROLE_PLACE_KINDS[role] <= BELOW_GRID
        ),
        place="place",
        place_path="place_path",
        self_field="reporter",
        owner_roles=frozenset(
            {Role.BUILDING_LEAD, Role.PROPERTY, Role.UNIT_ORG, Role.DEPARTMENT}
        ),
        place_excluded_roles=frozenset({Role.DEPARTMENT}),
    )
    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        indexes = [
            models.Index(fields=["status", "handle_due"]),
            # scoped lists: a grid's, a street's or a district's cases are one
            # range of the path copy, newest first, in a status or open
            models.Index(
                fields=["place_path", "created_at"],
                name="cases_case_path_created_idx",
                opclasses=[PATH_OPCLASS, "timestamptz_ops"],
            ),
            models.Index(
                fields=["status", "place_path", "created_at"],
                name="cases_case_status_path_idx",
                opclasses=["varchar_ops", PATH_OPCLASS, "timestamptz_ops"],
            ),
            models.Index(
                fields=["is_open", "place_path", "created_at"],
                name="cases_case_open_path_idx",
                opclasses=["bool_ops", PATH_OPCLASS, "timestamptz_ops"],
            ),
            models.Index(fields=["is_open", "created_at"]),
            # a queue, newest first (a street's 待受理, a department's 承办中): read
            # back through one status instead of filtering every case of a city
            models.Index(fields=["status", "created_at"]),
            # a department's queue is counted from this index alone: its cases in
            # a status and the ones its account reported (the department's scope),
            # not a visit to each row among a whole city's cases in that status
            models.Index(
                fields=["status", "department", "reporter"],
                name="cases_case_queue_count_idx",
            ),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, update_fields=None, **kwargs):
        self.is_open = self.status in OPEN_STATUSES
        if update_fields is not None and "status" in update_fields:
            update_fields = {*update_fields, "is_open"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.pk])

    def get_public_url(self):
        return reverse("cases:public", args=[self.public_token])

    @property
    def current_due(self):
        """The limit of the stage the case is in (workflow.STAGE_LIMITS), if any."""
        limit = STAGE_LIMITS.get(self.status)
        if limit is None or (limit.paused_on_hold and self.on_hold):
            return None
        return getattr(self, limit.field)

    @property
    def is_overdue(self):
        """Past its current limit: the row's side of CaseQuerySet.overdue."""
        due = self.current_due
        return due is not None and due < timezone.now()

    @property
    def time_flag(self):
        """ "overdue", "due_soon" (within DUE_SOON) or "" for the lists and badges."""
        if self.is_overdue:
            return "overdue"
        due = self.current_due
        return "due_soon" if due is not None and due < timezone.now() + DUE_SOON else ""

    def is_handled_by(self, user) -> bool:
        """Whether the case is dispatched to this user (CaseQuerySet.handled_by)."""
        return Case.objects.handled_by(user).filter(pk=self.pk).exists()

    def handlers(self):
        """The users handled_by finds this case for (its inverse, for notifications):
        the department's people, and the place handlers above the grid it went to.
        One join, not a subquery: a dispatch reads its audience through it, and a
        subquery costs Django more to build than the database to run."""
        from django.contrib.auth import get_user_model

        handling = []
        if self.department_id:
            handling.append(Q(assignments__department_id=self.department_id))
        if self.grid_id:
            handling.append(
                Q(
                    assignments__role__in=PLACE_HANDLER_ROLES,
                    assignments__place__path__in=Place.lineage_paths(self.grid.path),
                )
            )
        if not handling:
            return get_user_model().objects.none()
        # one filter() call: every condition is on the same assignment row
        return (
            get_user_model()
            .objects.filter(
                reduce(operator.or_, handling),
                assignments__active=True,
                assignments__role__in=HANDLE_ROLES,
            )
            .distinct()
        )


class CaseEvent(models.Model):
    """One step on a case's timeline: who did what, when, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=16)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(max_length=100, blank=True)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(auto_now_add=True)
    # What the step measured when it happened, so KPIs can be rebuilt from the
    # timeline: the department in charge, response/closure on time, seconds from
    # report to closure, the reporter's rating.
    department = models.ForeignKey(
        "core.Department", on_delete=models.SET_NULL, null=True, blank=True
    )
    on_time = models.BooleanField(null=True)
    elapsed_seconds = models.BigIntegerField(null=True)
    rating = models.PositiveSmallIntegerField(null=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["action", "at"]),
            # the newest steps of a place (the screen's ticker) read backwards in
            # time, not every step of the last days across a city
            models.Index(fields=["at", "id"], name="cases_event_at_idx"),
        ]

    def __str__(self):
        return f"{self.case} {self.action_label}"

    @property
    def action_label(self):
        step = STEPS.get(self.action)
        return step.label if step else EVENT_LABELS.get(self.action, self.action)


class CasePhoto(models.Model):
    """A photo as published: re-encoded without EXIF, with a thumbnail."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="cases/%Y/%m/")
    thumbnail = models.ImageField(upload_to="cases/%Y/%m/thumbs/")
    stage = models.CharField(
        max_length=16,
        choices=[("report", "上报"), ("handled", "处置后")],
        default="report",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.image.name

    def get_url(self, size="image"):
        """A signed link (core.media): the page showing it has checked the viewer."""
        from jiceng.core.media import signed_url

        return signed_url(self.thumbnail if size == "thumb" else self.image)


class Open311Key(models.Model):
    """An API key for an outside reporting client (Open311 GeoReport v2)."""

    name = models.CharField(_("名称"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Its use is counted from the cases it brought (services.keys); rotation
    # keeps the row, so the count goes on.
    rotated_at = models.DateTimeField(_("最近轮换"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311密钥")
        verbose_name_plural = _("Open311密钥")

    def __str__(self):
        return self.name


class StatDimension(models.TextChoices):
    PLACE = "place", _("区域")
    CATEGORY = "category", _("类别")
    DEPARTMENT = "department", _("部门")
    DAY = "day", _("日")


class CaseStat(models.Model):
    """Monthly KPI counters, kept current step by step (cases.kpi).

    place rows: key "" and place_path the case's place (a grid, usually).
    category / department rows: key the category or department id and place_path
    cut to the community, so a community sees its own breakdown.
    day rows: key the local day ("2026-12-04") and place_path cut to the
    community, for the daily trends of a community, street or district.
    """

    month = models.DateField()
    dimension = models.CharField(max_length=16, choices=StatDimension.choices)
    key = models.CharField(max_length=32, blank=True, default="")
    place_path = models.CharField(max_length=255)
    received = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)
    responded_on_time = models.PositiveIntegerField(default=0)
    dispatched = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    handle_seconds = models.BigIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "month", "key", "place_path"],
                name="case_stat_unique_cell",
            )
        ]
        indexes = [
            # a subtree's months: the path range first (a district of a city
            # read every district's rows of the months when the month led)
            models.Index(
                fields=["dimension", "place_path", "month"],
                name="cases_casestat_path_month_idx",
                opclasses=["varchar_ops", PATH_OPCLASS, "date_ops"],
            )
        ]

    def __str__(self):
        return f"{self.dimension} {self.month:%Y-%m} {self.key} {self.place_path}"


class VideoSource(models.Model):
    """A video-analytics system (城市之眼) allowed to post alerts to the webhook.

    The secret signs each request body (HMAC-SHA256); it is stored encrypted."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    code = models.SlugField(_("标识"), max_length=50, unique=True)
    secret = EncryptedCharField(_("签名密钥"))
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    use_count = models.PositiveIntegerField(_("使用次数"), default=0)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    rotated_at = models.DateTimeField(_("最近轮换"), null=True, blank=True)

    class Meta:
        verbose_name = _("视频监控来源")
        verbose_name_plural = _("视频监控来源")

    def __str__(self):
        return self.name
