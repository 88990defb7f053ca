"""Training (社工夜校, departments' courses) with attendance, and 导师帮带."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.roles import Role
from jiceng.core.scope import Scope, ScopedQuerySet


class CourseKind(models.TextChoices):
    NIGHT_SCHOOL = "night_school", _("社工夜校")
    DEPARTMENT = "department", _("部门培训")
    INDUCTION = "induction", _("岗前培训")


class Course(models.Model):
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("主办区域"),
    )
    kind = models.CharField(_("类别"), max_length=16, choices=CourseKind.choices)
    title = models.CharField(_("课程"), max_length=100)
    organiser = models.CharField(_("主办部门"), max_length=100, blank=True)
    held_on = models.DateField(_("日期"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=2)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "title"]
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workforce:course_detail", args=[self.pk])


class Attendance(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="roll")
    worker = models.ForeignKey(
        "Worker", on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(_("出勤"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "worker"], name="attend_once")
        ]

    def __str__(self):
        return f"{self.course_id}:{self.worker_id}"


class Mentorship(models.Model):
    """A new grid worker paired with a mentor for a period (导师帮带)."""

    mentor = models.ForeignKey("Worker", on_delete=models.PROTECT, related_name="+")
    mentee = models.ForeignKey(
        "Worker", on_delete=models.PROTECT, related_name="mentorships"
    )
    starts_on = models.DateField(_("开始"))
    ends_on = models.DateField(_("结束"))

    scope = Scope(
        place="mentee__community",
        self_field="mentee__user",
        owner_roles=frozenset({Role.GRID_WORKER, Role.COMMUNITY_STAFF}),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("导师帮带")
        verbose_name_plural = _("导师帮带")

    def __str__(self):
        return f"{self.mentor} 带 {self.mentee}"


class MentorNote(models.Model):
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="notes"
    )
    month = models.DateField(_("月份"))
    text = models.TextField(_("帮带记录"))

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "month"], name="mentor_note_monthly"
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}"
