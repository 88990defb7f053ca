"""Accounts for the people the platform serves: residents, party members and gig
workers (新就业群体).

A community opens them three ways: from a registry record, in a batch from a
selection of the registry, or by an invitation (a printed QR code or code) with
which a person registers on the phone; a self-registration waits (待审核) until
the community confirms that the person is the one in its registry.

Every account is linked to its Resident (people.Resident.user, which volunteering
and 随手拍 already read) and so to its PartyMember when there is one; a gig worker
who does not live in the district is linked to the GigWorker record instead.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.fields import BlindIndexField, EncryptedCharField, MaskField
from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.core.validators import mask_id_number, mask_mobile

# Letters and digits that cannot be misread on paper (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_code() -> str:
    """A random invitation code of 8 unambiguous characters (about 40 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Audience(models.TextChoices):
    RESIDENT = "resident", _("居民/党员")
    GIG = "gig", _("新就业群体")


class AccountSource(models.TextChoices):
    REGISTRY = "registry", _("社区按登记信息开通")
    BATCH = "batch", _("批量开通")
    INVITATION = "invitation", _("扫码/邀请码注册")


class Invitation(models.Model):
    """A community's invitation: a code (printed as a QR code) to register with.

    A personal invitation (from a batch) names the one resident who may use it.
    """

    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("社区"),
    )
    audience = models.CharField(
        _("对象"), max_length=16, choices=Audience.choices, default=Audience.RESIDENT
    )
    code = models.CharField(_("邀请码"), max_length=16, unique=True, default=new_code)
    title = models.CharField(_("名称"), max_length=100, blank=True)
    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("限定居民"),
    )
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(_("可用次数"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("已用次数"), default=0)
    active = models.BooleanField(_("有效"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    scope = Scope(place="community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("注册邀请")
        verbose_name_plural = _("注册邀请")

    def __str__(self):
        return self.title or f"{self.community.name}{self.get_audience_display()}邀请"

    def get_absolute_url(self):
        return reverse("accounts:invitation_detail", args=[self.pk])

    def get_register_url(self):
        return reverse("accounts:register", args=[self.code])

    @property
    def usable(self) -> bool:
        if not self.active:
            return False
        if self.expires_on and self.expires_on < timezone.localdate():
            return False
        return self.max_uses is None or self.uses < self.max_uses


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REFUSED = "refused", _("未通过")


class Registration(models.Model):
    """A person's self-registration with an invitation, until the community decides.

    The account exists from the start (inactive, so that nobody else takes the
    name); approval activates it and links it to the registry record it matched.
    """

    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("邀请"),
    )
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("社区"),
    )
    audience = models.CharField(_("对象"), max_length=16, choices=Audience.choices)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedCharField(_("身份证号"))
    id_number_index = BlindIndexField(source="id_number", db_index=True)
    id_number_mask = MaskField(source="id_number", masker=mask_id_number)
    phone = EncryptedCharField(_("手机号码"))
    phone_mask = MaskField(source="phone", masker=mask_mobile)
    username = models.CharField(_("登录账号"), max_length=150)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registration",
        verbose_name=_("账号"),
    )
    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("匹配居民"),
    )
    gig_worker = models.ForeignKey(
        "people.GigWorker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("匹配新就业群体"),
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
        db_index=True,
    )
    reason = models.CharField(_("不通过原因"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("注册申请")
        verbose_name_plural = _("注册申请")
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self):
        return f"{self.name}的注册申请"

    def get_absolute_url(self):
        return reverse("accounts:registration_detail", args=[self.pk])


class MemberAccount(models.Model):
    """How an account of a resident, member or gig worker came to be, and where.

    The Resident link itself is people.Resident.user; a gig worker's is here.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="member_account",
        verbose_name=_("账号"),
    )
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("社区"),
    )
    audience = models.CharField(_("对象"), max_length=16, choices=Audience.choices)
    gig_worker = models.OneToOneField(
        "people.GigWorker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account",
        verbose_name=_("新就业群体"),
    )
    source = models.CharField(
        _("开通方式"), max_length=16, choices=AccountSource.choices
    )
    must_change_password = models.BooleanField(_("须修改初始密码"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("开通人"),
    )
    created_at = models.DateTimeField(_("开通时间"), default=timezone.now)

    scope = Scope(place="community", self_field="user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("居民账号")
        verbose_name_plural = _("居民账号")

    def __str__(self):
        return str(self.user)


class RegistrationAttempt(models.Model):
    """A failed registration attempt (name and ID not in the registry), for the
    lockout.

    The login lockout's limits (AXES_FAILURE_LIMIT failures within
    AXES_COOLOFF_TIME hours) apply to one ID number, and to one invitation code
    tried from one address: guessing who is registered is stopped either way,
    and a shared address elsewhere is not.
    """

    code = models.CharField(max_length=16)
    ip = models.GenericIPAddressField(null=True, blank=True)
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["code", "ip", "at"])]
        verbose_name = _("注册失败记录")
        verbose_name_plural = _("注册失败记录")

    def __str__(self):
        return f"{self.code} {self.at:%Y-%m-%d %H:%M}"
