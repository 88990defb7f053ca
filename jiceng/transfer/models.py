"""Import jobs: one uploaded file, its progress, its counts and every rejected row."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.fields import EncryptedCharField


class JobStatus(models.TextChoices):
    NEEDS_SHEET = "needs_sheet", _("待选择工作表")
    NEEDS_MAPPING = "needs_mapping", _("待对应列")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("处理中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Progress:
    """A background job's state for its page: finished, and the percentage done
    from the rows handled (total) against the rows expected (size_estimate)."""

    @property
    def finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self):
        if self.status == JobStatus.DONE:
            return 100
        if not self.size_estimate:
            return 0
        return min(99, int(self.total * 100 / self.size_estimate))


class ImportJob(Progress, models.Model):
    """An import of one file. A dry run writes nothing; its commit is a new job."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=32)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("文件名"), max_length=255)
    # The workbook's sheet to read (0-based); empty for jobs from before the choice.
    sheet = models.PositiveSmallIntegerField(_("工作表"), null=True, blank=True)
    header = models.JSONField(_("文件表头"), default=list, blank=True)
    mapping = models.JSONField(_("列对应"), default=dict, blank=True)
    dry_run = models.BooleanField(_("仅预检"), default=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("导入人"),
    )
    checked_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commits",
        verbose_name=_("对应的预检"),
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    size_estimate = models.PositiveIntegerField(_("预计行数"), default=0)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    rejected = models.PositiveIntegerField(_("拒绝"), default=0)
    message = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self):
        return f"{self.filename}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("transfer:job", args=[self.pk])

    def summary(self):
        """The counts the CLI prints and the tests check; they add up to total."""
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


class ImportRejection(models.Model):
    """One rejected input row: its number in the file, the reason and its cells."""

    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="rejections"
    )
    row_number = models.PositiveIntegerField(_("行号"))
    reason = models.CharField(_("原因"), max_length=500)
    # The row as uploaded, JSON-encoded; it may hold ID numbers, so it is encrypted.
    cells = EncryptedCharField(_("原始内容"))

    class Meta:
        ordering = ["row_number", "id"]
        verbose_name = _("被拒绝的行")
        verbose_name_plural = _("被拒绝的行")

    def __str__(self):
        return f"第{self.row_number}行：{self.reason}"


class ExportJob(Progress, models.Model):
    """A large export written by the task worker, downloaded by the one who asked.

    The file is stored SM4-encrypted (it holds personal data) and deleted after
    the retention period (services.purge_old_files); the job stays as the record.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=32)
    label = models.CharField(_("名称"), max_length=64)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    unmasked = models.BooleanField(_("含完整信息"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="export_jobs",
        verbose_name=_("导出人"),
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    size_estimate = models.PositiveIntegerField(_("预计行数"), default=0)
    total = models.PositiveIntegerField(_("已写行数"), default=0)
    # The watermark above the header, fixed when the export was asked for.
    note = models.CharField(_("水印"), max_length=300)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=255)
    message = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")

    def __str__(self):
        return f"{self.filename}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("transfer:export_job", args=[self.pk])

    @property
    def downloadable(self):
        return self.status == JobStatus.DONE and bool(self.file)
