"""Applications (办件): accepted at any community window (全科受理), filed on the phone
by the resident, or by a grid worker for someone (代办); checked against the item's
materials, told once in full what is missing (一次性告知), handed to the handling
level with its deadline, decided, collected and rated."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.fields import EncryptedCharField, MaskField
from jiceng.core.roles import Role
from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.core.tokens import new_token
from jiceng.core.validators import mask_mobile

from .catalogue import Level, Material, ServiceItem


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口受理")
    ONLINE = "online", _("手机申请")
    PROXY = "proxy", _("网格员代办")
    HOME = "home", _("上门受理")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    INCOMPLETE = "incomplete", _("待补正")
    ACCEPTED = "accepted", _("已受理")
    HANDED = "handed", _("办理中")
    DECIDED = "decided", _("已办结")
    COLLECTED = "collected", _("已领取")
    WITHDRAWN = "withdrawn", _("已撤回")


FINISHED = (Status.DECIDED, Status.COLLECTED)
OPEN = (Status.SUBMITTED, Status.INCOMPLETE, Status.ACCEPTED, Status.HANDED)


class Result(models.TextChoices):
    APPROVED = "approved", _("准予办理")
    REJECTED = "rejected", _("不予办理")


class Collection(models.TextChoices):
    WINDOW = "window", _("窗口领取")
    MAIL = "mail", _("邮寄送达")
    HOME = "home", _("上门送达")
    ELECTRONIC = "electronic", _("电子证照")


class ApplicationQuerySet(ScopedQuerySet):
    def overdue(self, now=None):
        return self.filter(status__in=OPEN, deadline__lt=now or timezone.now())

    def finished(self):
        return self.filter(status__in=FINISHED)


class Application(models.Model):
    number = models.CharField(_("办件编号"), max_length=24, unique=True)
    item = models.ForeignKey(
        ServiceItem,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("事项"),
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    applicant_name = models.CharField(_("申请人"), max_length=50)
    applicant_phone = EncryptedCharField(_("联系电话"))
    applicant_phone_mask = MaskField(source="applicant_phone", masker=mask_mobile)
    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("居民档案"),
    )
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("受理社区"),
    )
    # The applicant's home (a dwelling) or the community: grid workers reach the
    # applications of the residents in their grids through it.
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    proxy_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代办人"),
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
    )
    note = models.CharField(_("申请说明"), max_length=300, blank=True)
    visits = models.PositiveSmallIntegerField(
        _("到窗口次数"), default=0, help_text=_("申请人本人为此件跑窗口的次数")
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("受理人"),
    )
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    deadline = models.DateTimeField(_("办结时限"), null=True, blank=True)
    handle_level = models.CharField(
        _("办理层级"), max_length=16, choices=Level.choices, blank=True
    )
    handling_place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办理单位"),
    )
    handling_department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办理部门"),
    )
    handed_at = models.DateTimeField(_("转办时间"), null=True, blank=True)
    result = models.CharField(
        _("办理结果"), max_length=16, choices=Result.choices, blank=True
    )
    result_note = models.CharField(_("结果说明"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    collection = models.CharField(
        _("领取方式"), max_length=16, choices=Collection.choices, blank=True
    )
    collected_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    rating_comment = models.CharField(_("评价"), max_length=300, blank=True)
    token = models.CharField(max_length=32, unique=True, default=new_token)
    version = models.PositiveIntegerField(default=1)

    # Windows see their subtree, grid workers their grids' residents, a department
    # only what was handed to it, a resident only their own.
    scope = Scope(
        place="place",
        department="handling_department",
        self_field="applicant_user",
        place_excluded_roles=frozenset({Role.DEPARTMENT}),
    )
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["community", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True)
                | models.Q(rating__gte=1, rating__lte=5),
                name="application_rating_1_to_5",
            )
        ]

    def __str__(self):
        return f"{self.number} {self.item.name}"

    def get_absolute_url(self):
        return reverse("onewindow:application_detail", args=[self.pk])

    def get_track_url(self):
        return reverse("onewindow:track", args=[self.token])

    @property
    def is_finished(self):
        return self.status in FINISHED

    @property
    def is_overdue(self):
        moment = self.decided_at or timezone.now()
        return bool(self.deadline and moment > self.deadline)

    @property
    def handler_label(self):
        if self.handling_department_id:
            return self.handling_department.name
        if self.handling_place_id:
            return self.handling_place.name
        return self.community.name


class ApplicationMaterial(models.Model):
    """One line of an application's checklist: ticked when provided, with a file."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="materials"
    )
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    provided = models.BooleanField(_("已提供"), default=False)
    file = models.FileField(_("电子材料"), upload_to="onewindow/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["material__position", "material_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "material"], name="application_material_once"
            )
        ]

    def __str__(self):
        return str(self.material)


class Notice(models.Model):
    """一次性告知书: every missing material, told once, printable."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="notice"
    )
    missing = models.JSONField(_("需补正材料"), default=list)
    note = models.CharField(_("其他说明"), max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("告知时间"), default=timezone.now)

    class Meta:
        verbose_name = _("一次性告知书")
        verbose_name_plural = _("一次性告知书")

    def __str__(self):
        return f"{self.application.number} 一次性告知书"
