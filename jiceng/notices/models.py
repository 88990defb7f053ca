"""In-app notifications, what each person wants to hear of and where, and the log of
every message handed to an outside channel (SMS, WeChat, the demo's file outbox).

A notification belongs to its user alone: no place scope. Deliveries are read by
system administrators only (the staff page and `manage.py deliveries`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    """What a notification is about: each person mutes or routes kinds, not apps."""

    GENERAL = "general", _("其他通知")
    CASE_ASSIGNED = "case_assigned", _("案件待办")
    CASE_RETURNED = "case_returned", _("案件退单、督办与升级")
    CASE_CLOSED = "case_closed", _("我反映的案件办结")
    HOURS_DECIDED = "hours_decided", _("志愿服务时长审核结果")
    WISH_CLAIMED = "wish_claimed", _("微心愿被认领")
    WISH_FULFILLED = "wish_fulfilled", _("微心愿已完成待确认")
    BOOKING_DECIDED = "booking_decided", _("场地预约审批结果")
    VOTE_OPEN = "vote_open", _("表决开始")
    TOPIC = "topic", _("议题进展")
    MEETING = "meeting", _("会议通知")
    TASK_ASSIGNED = "task_assigned", _("新任务")
    TASK_DUE = "task_due", _("任务即将到期")
    APPLICATION = "application", _("办件进度与结果")
    APPOINTMENT = "appointment", _("预约与上门服务")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内")
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信")
    DIGEST = "digest", _("每日汇总")


# Channels that leave the platform through an adapter (notices/channels/).
OUTSIDE = (Channel.SMS, Channel.WECHAT)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(
        _("类型"),
        max_length=20,
        choices=NoticeKind.choices,
        default=NoticeKind.GENERAL,
    )
    # Text and link only: never personal data (names of residents, phones, IDs).
    message = models.CharField(_("内容"), max_length=200)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["created_at"], name="notice_created_idx"),
        ]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self):
        return self.message


class Preference(models.Model):
    """One user's choice for one kind on one channel; a missing row is the default
    (services.DEFAULTS: in-app on, SMS/WeChat/digest off)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preferences",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(_("开启"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="notice_preference_once"
            )
        ]
        indexes = [models.Index(fields=["channel", "enabled", "kind"])]
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.channel} {self.enabled}"


class Contact(models.Model):
    """Where a user is reached outside the platform: a mobile (SM4 ciphertext,
    decrypted only inside the SMS adapter's call) and a WeChat openid bound to the
    official account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_contact",
    )
    phone_cipher = models.BinaryField(null=True, blank=True, editable=False)
    phone_mask = models.CharField(_("手机号"), max_length=20, blank=True)
    wechat_openid = models.CharField(_("微信 openid"), max_length=64, blank=True)
    # Where the daily digest goes (one of the outside channels).
    digest_via = models.CharField(
        _("每日汇总发送到"),
        max_length=10,
        choices=[(c.value, c.label) for c in OUTSIDE],
        default=Channel.SMS,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("通知联系方式")
        verbose_name_plural = _("通知联系方式")

    def __str__(self):
        return f"{self.user_id} {self.phone_mask}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("失败待重试")
    GAVE_UP = "gave_up", _("已放弃")


class Delivery(models.Model):
    """One message handed (or to be handed) to one outside channel for one recipient.

    The recipient is kept as ciphertext (decrypted inside the adapter call) and as a
    mask for the log; last_error never carries the recipient or the message."""

    notification = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notice_deliveries",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient_cipher = models.BinaryField(null=True, blank=True, editable=False)
    recipient_mask = models.CharField(_("接收方"), max_length=40, blank=True)
    message = models.CharField(_("内容"), max_length=300)
    # Template parameters for gateways that fill a registered template (JSON).
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # The day of a digest: one digest per user, channel and day.
    digest_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel", "digest_on"],
                condition=models.Q(digest_on__isnull=False),
                name="notice_digest_once_a_day",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")

    def __str__(self):
        return f"{self.get_channel_display()} {self.recipient_mask} {self.status}"
