"""Users, departments, role assignments, API tokens and the append-only audit log."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import PLACE_ROLES, ROLE_PLACE_KINDS, Role


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username


class Department(models.Model):
    """A functional department (职能部门) that receives dispatched work."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    code = models.CharField(_("编码"), max_length=32, unique=True)
    duties = models.TextField(_("职责"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("职能部门")
        verbose_name_plural = _("职能部门")

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """A user holds a role over a place subtree, a unit or a department."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("辖区"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("单位"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("部门"),
    )
    active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        indexes = [models.Index(fields=["user", "active"])]

    def __str__(self):
        target = self.place or self.unit or self.department or _("本人")
        return f"{self.user} · {self.get_role_display()} · {target}"

    def clean(self):
        if self.role in PLACE_ROLES and not self.place_id:
            raise ValidationError({"place": _("该角色必须指定辖区")})
        if self.place_id and self.role in ROLE_PLACE_KINDS:
            if self.place.kind not in ROLE_PLACE_KINDS[self.role]:
                raise ValidationError({"place": _("辖区层级与角色不符")})
        if self.role == Role.UNIT_ORG and not self.unit_id:
            raise ValidationError({"unit": _("单位党组织角色必须指定单位")})
        if self.role == Role.DEPARTMENT and not self.department_id:
            raise ValidationError({"department": _("职能部门角色必须指定部门")})


class ConfigVersion(models.Model):
    """A random token per topic, rewritten by database triggers when a watched
    table changes: per-process copies compare it (core.config_cache)."""

    topic = models.CharField(primary_key=True, max_length=40)
    token = models.CharField(max_length=32)

    def __str__(self):
        return self.topic


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    MOVE = "move", _("移动")
    REVEAL = "reveal", _("查看敏感信息")
    EXPORT = "export", _("导出")
    DOWNLOAD = "download", _("下载导出文件")
    IMPORT = "import", _("导入")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    LOGOUT = "logout", _("退出")
    TOKEN = "token", _("API令牌")
    SECURITY = "security", _("安全设置")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit entries are append-only")

    def delete(self):
        raise PermissionError("audit entries are append-only")


class AuditEntry(models.Model):
    """Who saw or changed what, when, from where. Rows are never updated or deleted.

    The database enforces it as well: triggers reject UPDATE and DELETE
    (see migration 0003_audit_append_only).
    """

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    target_type = models.CharField(
        _("对象类型"), max_length=64, blank=True, db_index=True
    )
    target_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are append-only")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    revoked = models.BooleanField(_("已吊销"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate_raw() -> str:
        return "jc_" + secrets.token_urlsafe(32)

    @property
    def is_usable(self):
        return not self.revoked and (
            self.expires_at is None or self.expires_at > timezone.now()
        )
