"""Organisational life: 三会一课 rules and meetings with attendance, and 党支部标准化
(the district's weighted checklist, a branch's self-assessment, the review above,
the grade and the rectification of 后进 branches)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet


class MeetingKind(models.TextChoices):
    ASSEMBLY = "assembly", _("支部党员大会")
    COMMITTEE = "committee", _("支委会")
    GROUP = "group", _("党小组会")
    LESSON = "lesson", _("党课")
    # 主题党日 are organised in volunteer (activities of kind theme_day) and only
    # counted here, never entered twice.
    THEME_DAY = "theme_day", _("主题党日")


class MeetingForm(models.TextChoices):
    ORDINARY = "ordinary", _("常规")
    ONSITE = "onsite", _("现场教学")
    WARNING = "warning", _("警示教育")


class Period(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    HALF = "half", _("每半年")
    YEAR = "year", _("每年")


PERIOD_MONTHS = {
    Period.MONTH: 1,
    Period.QUARTER: 3,
    Period.HALF: 6,
    Period.YEAR: 12,
}


class MeetingRule(models.Model):
    """How often a branch must hold one kind of meeting, set by a district or
    street for the branches below it (the nearest rule up the tree applies)."""

    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        related_name="meeting_rules",
        verbose_name=_("适用范围"),
    )
    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices)
    period = models.CharField(_("频次"), max_length=8, choices=Period.choices)
    times = models.PositiveSmallIntegerField(_("每期次数"), default=1)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("三会一课频次")
        verbose_name_plural = _("三会一课频次")
        constraints = [
            models.UniqueConstraint(fields=["place", "kind"], name="rule_once"),
            models.CheckConstraint(
                condition=models.Q(times__gte=1), name="rule_times_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_period_display()}{self.times}次"


class Meeting(models.Model):
    org = models.ForeignKey(
        "PartyOrg",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("党组织"),
    )
    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices)
    form = models.CharField(
        _("形式"),
        max_length=16,
        choices=MeetingForm.choices,
        default=MeetingForm.ORDINARY,
    )
    topic = models.CharField(_("主题"), max_length=200)
    held_on = models.DateField(_("召开日期"))
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    minutes = models.TextField(_("会议记录"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="org__place", place_path="org__place_path")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("组织生活会议")
        verbose_name_plural = _("组织生活会议")
        indexes = [models.Index(fields=["org", "held_on"])]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}：{self.topic}"

    def get_absolute_url(self):
        return reverse("party:meeting_detail", args=[self.pk])


class MeetingPhoto(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("照片"), upload_to="party/meetings/%Y/%m/")

    def __str__(self):
        return self.image.name


class Attendance(models.Model):
    """One member at one meeting: present, or absent with a reason and made up later."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        "PartyMember",
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("党员"),
    )
    present = models.BooleanField(_("出席"), default=True)
    absence_reason = models.CharField(_("缺席原因"), max_length=100, blank=True)
    made_up_on = models.DateField(_("补学日期"), null=True, blank=True)
    made_up_note = models.CharField(_("补学方式"), max_length=200, blank=True)

    scope = Scope(
        place="meeting__org__place",
        place_path="meeting__org__place_path",
        self_field="member__resident__user",
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="attendance_once"
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.meeting}"

    @property
    def counted(self):
        """Attended, in person or by making the meeting up."""
        return self.present or self.made_up_on is not None


class StandardArea(models.TextChoices):
    SETUP = "setup", _("组织设置")
    MEETINGS = "meetings", _("三会一课")
    MEMBERS = "members", _("党员管理")
    DUES = "dues", _("党费收缴")
    ARCHIVES = "archives", _("档案资料")
    VENUE = "venue", _("活动阵地")


class Standard(models.Model):
    """One item of the district's 党支部标准化 checklist, with its weight."""

    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        related_name="branch_standards",
        verbose_name=_("制定单位"),
    )
    area = models.CharField(_("类别"), max_length=16, choices=StandardArea.choices)
    title = models.CharField(_("标准"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("分值权重"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("标准化条目")
        verbose_name_plural = _("标准化条目")

    def __str__(self):
        return self.title


class Grade(models.TextChoices):
    MODEL = "model", _("示范")
    PASS = "pass", _("达标")
    BEHIND = "behind", _("后进")


class AssessmentStatus(models.TextChoices):
    SELF = "self", _("已自评")
    REVIEWED = "reviewed", _("已审核")


class Assessment(models.Model):
    """A branch's standardisation assessment for one year: self-scored, then reviewed."""

    org = models.ForeignKey(
        "PartyOrg",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("党支部"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=16, choices=AssessmentStatus.choices
    )
    self_score = models.DecimalField(_("自评得分"), max_digits=5, decimal_places=1)
    review_score = models.DecimalField(
        _("审核得分"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    grade = models.CharField(_("等次"), max_length=8, choices=Grade.choices, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="org__place", place_path="org__place_path")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "org__path"]
        verbose_name = _("标准化评定")
        verbose_name_plural = _("标准化评定")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year"], name="branch_assessment_once"
            )
        ]

    def __str__(self):
        return f"{self.org} {self.year}年"


class AssessmentItem(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="items"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    self_score = models.PositiveSmallIntegerField(_("自评（百分制）"))
    review_score = models.PositiveSmallIntegerField(
        _("审核（百分制）"), null=True, blank=True
    )
    evidence = models.CharField(_("佐证材料"), max_length=300, blank=True)
    evidence_file = models.FileField(
        _("佐证附件"), upload_to="party/evidence/%Y/", blank=True
    )

    class Meta:
        ordering = ["standard__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "standard"], name="assessment_item_once"
            )
        ]

    def __str__(self):
        return f"{self.standard} {self.self_score}"


class Rectification(models.Model):
    """整改: one problem of a 后进 branch, its measure and deadline, tracked to done."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="rectifications"
    )
    problem = models.CharField(_("问题"), max_length=200)
    measure = models.CharField(_("整改措施"), max_length=300)
    due_on = models.DateField(_("整改时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    result = models.CharField(_("整改结果"), max_length=300, blank=True)

    scope = Scope(
        place="assessment__org__place", place_path="assessment__org__place_path"
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")

    def __str__(self):
        return self.problem
