"""Community workers' careers (3岗18级): posts with grade ranges, pay tables that
take effect from a month on and never reach back, salary sheets frozen per month,
the history of posts, grades and certificates, recruitment and annual assessment."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.fields import EncryptedCharField, MaskField
from jiceng.core.roles import Role
from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.core.validators import mask_mobile


class Post(models.TextChoices):
    HEAD = "head", _("正职")
    DEPUTY = "deputy", _("副职")
    STAFF = "staff", _("干事")


# 3岗18级: heads on grades 7–18, deputies 4–15, staff 1–12.
POST_GRADES = {Post.HEAD: (7, 18), Post.DEPUTY: (4, 15), Post.STAFF: (1, 12)}
STEP_YEARS = 3  # one grade up every three years by default


class WorkerKind(models.TextChoices):
    COMMUNITY = "community", _("社区工作者")
    GRID = "grid", _("专职网格员")


class WorkerStatus(models.TextChoices):
    ACTIVE = "active", _("在岗")
    LEFT = "left", _("离岗")


class Worker(models.Model):
    name = models.CharField(_("姓名"), max_length=50)
    kind = models.CharField(
        _("类别"), max_length=12, choices=WorkerKind.choices, default=WorkerKind.GRID
    )
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="workers",
        verbose_name=_("所在社区"),
    )
    grids = models.ManyToManyField(
        "places.Place", blank=True, related_name="grid_workers", verbose_name=_("网格")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="worker",
        verbose_name=_("账号"),
    )
    phone = EncryptedCharField(_("手机号码"))
    phone_mask = MaskField(source="phone", masker=mask_mobile)
    post = models.CharField(_("岗位"), max_length=8, choices=Post.choices)
    grade = models.PositiveSmallIntegerField(_("等级"))
    grade_since = models.DateField(_("定级日期"))
    hired_on = models.DateField(_("入职日期"))
    status = models.CharField(
        _("状态"),
        max_length=8,
        choices=WorkerStatus.choices,
        default=WorkerStatus.ACTIVE,
    )
    version = models.PositiveIntegerField(default=1)

    # Managers see their subtree's workers; a worker sees their own record.
    scope = Scope(
        place="community",
        self_field="user",
        owner_roles=frozenset({Role.GRID_WORKER, Role.COMMUNITY_STAFF}),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["community", "-grade", "name"]
        verbose_name = _("社区工作者")
        verbose_name_plural = _("社区工作者")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__gte=1, grade__lte=18), name="worker_grade"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workforce:worker_detail", args=[self.pk])

    @property
    def grade_range(self):
        return POST_GRADES[Post(self.post)]


class EventKind(models.TextChoices):
    HIRE = "hire", _("入职")
    POST = "post", _("岗位变动")
    GRADE = "grade", _("晋级")
    CERTIFICATE = "certificate", _("取得证书")
    DISCIPLINE = "discipline", _("处分")
    LEAVE = "leave", _("离岗")


class CareerEvent(models.Model):
    """One line of a worker's history (posts, grades, certificates, sanctions)."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=12, choices=EventKind.choices)
    on = models.DateField(_("日期"))
    post = models.CharField(_("岗位"), max_length=8, choices=Post.choices, blank=True)
    grade = models.PositiveSmallIntegerField(_("等级"), null=True, blank=True)
    # A sanction blocks the step-up until this day (处分影响期).
    until = models.DateField(_("影响期至"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("履历")
        verbose_name_plural = _("履历")

    def __str__(self):
        return f"{self.worker} {self.get_kind_display()} {self.on}"


class PayTable(models.Model):
    """A district's pay standard from one month on (base + grade + 持证 allowance).

    A revision never reaches back: effective_from is never before the month it is
    made in, and salary sheets keep the amounts they were made with."""

    district = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    effective_from = models.DateField(_("起始月份"))
    base = models.DecimalField(_("基本工资"), max_digits=9, decimal_places=2)
    qualification = models.DecimalField(
        _("持证社工津贴"), max_digits=9, decimal_places=2
    )
    # {"1": "200.00", …, "18": "3600.00"}: the grade allowance per grade
    grade_allowances = models.JSONField(_("等级津贴"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(place="district")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("薪酬标准")
        verbose_name_plural = _("薪酬标准")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "effective_from"], name="pay_table_once"
            )
        ]

    def __str__(self):
        return f"{self.effective_from:%Y-%m}起薪酬标准"

    def allowance(self, grade) -> Decimal:
        return Decimal(str(self.grade_allowances.get(str(grade), "0")))


class SalarySheet(models.Model):
    """A community's salary sheet of one month, frozen once made."""

    community = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("月份"))
    table = models.ForeignKey(PayTable, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(place="community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "community"]
        verbose_name = _("工资表")
        verbose_name_plural = _("工资表")
        constraints = [
            models.UniqueConstraint(fields=["community", "month"], name="sheet_once")
        ]

    def __str__(self):
        return f"{self.community} {self.month:%Y年%m月}工资表"

    def get_absolute_url(self):
        return reverse("workforce:sheet_detail", args=[self.pk])


class SalaryLine(models.Model):
    sheet = models.ForeignKey(
        SalarySheet, on_delete=models.CASCADE, related_name="lines"
    )
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=50)
    post = models.CharField(max_length=8, choices=Post.choices)
    grade = models.PositiveSmallIntegerField()
    base = models.DecimalField(max_digits=9, decimal_places=2)
    grade_allowance = models.DecimalField(max_digits=9, decimal_places=2)
    qualification = models.DecimalField(max_digits=9, decimal_places=2)
    total = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["sheet", "-grade", "name"]

    def __str__(self):
        return f"{self.name} {self.total}"


class CertificateKind(models.TextChoices):
    JUNIOR = "junior", _("助理社会工作师")
    MIDDLE = "middle", _("社会工作师")
    SENIOR = "senior", _("高级社会工作师")
    OTHER = "other", _("其他职业资格")


class Certificate(models.Model):
    worker = models.ForeignKey(
        Worker, on_delete=models.CASCADE, related_name="certificates"
    )
    kind = models.CharField(_("证书"), max_length=8, choices=CertificateKind.choices)
    number = models.CharField(_("证书编号"), max_length=40, blank=True)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("职业资格证书")
        verbose_name_plural = _("职业资格证书")

    def __str__(self):
        return self.get_kind_display()

    def valid_on(self, day) -> bool:
        return self.issued_on <= day and (
            self.expires_on is None or day <= self.expires_on
        )


class RoundStatus(models.TextChoices):
    OPEN = "open", _("报名与考试")
    HIRED = "hired", _("已录用")


class RecruitmentRound(models.Model):
    """An open recruitment (公开招聘) by exam: written + interview, weighted."""

    street = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=100)
    positions = models.PositiveSmallIntegerField(_("招聘人数"))
    written_weight = models.PositiveSmallIntegerField(_("笔试权重%"), default=60)
    held_on = models.DateField(_("考试日期"))
    status = models.CharField(
        max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    version = models.PositiveIntegerField(default=1)

    scope = Scope(place="street")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("招聘")
        verbose_name_plural = _("招聘")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workforce:round_detail", args=[self.pk])

    @property
    def interview_weight(self):
        return 100 - self.written_weight


class Candidate(models.Model):
    round = models.ForeignKey(
        RecruitmentRound, on_delete=models.CASCADE, related_name="candidates"
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedCharField(_("手机号码"))
    phone_mask = MaskField(source="phone", masker=mask_mobile)
    community = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    written = models.DecimalField(
        _("笔试成绩"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    interview = models.DecimalField(
        _("面试成绩"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    total = models.DecimalField(
        _("总成绩"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    worker = models.ForeignKey(
        Worker, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["round", "-total", "name"]

    def __str__(self):
        return self.name


class AssessmentGrade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class Assessment(models.Model):
    """The annual assessment: automatic indicators plus the manager's score."""

    worker = models.ForeignKey(
        Worker, on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    case_score = models.DecimalField(_("事件办理"), max_digits=5, decimal_places=1)
    patrol_score = models.DecimalField(
        _("巡查走访覆盖"), max_digits=5, decimal_places=1
    )
    rating_score = models.DecimalField(_("居民评价"), max_digits=5, decimal_places=1)
    manager_score = models.DecimalField(_("组织评分"), max_digits=5, decimal_places=1)
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=1)
    grade = models.CharField(_("等次"), max_length=12, choices=AssessmentGrade.choices)
    basis = models.JSONField(_("依据"), default=dict)

    scope = Scope(
        place="worker__community",
        self_field="worker__user",
        owner_roles=frozenset({Role.GRID_WORKER, Role.COMMUNITY_STAFF}),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-total"]
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "year"], name="worker_assessment_once"
            )
        ]

    def __str__(self):
        return f"{self.worker} {self.year}年度 {self.get_grade_display()}"
