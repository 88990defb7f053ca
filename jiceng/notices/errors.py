"""Error codes for notifications."""

from django.db import models


class NoticeError(models.TextChoices):
    EMPTY_MESSAGE = "empty_message", "通知内容不能为空"
    UNSAFE_URL = "unsafe_url", "通知链接须为站内地址"
    BAD_OPENID = "bad_openid", "微信 openid 格式不正确"
    BAD_CHANNEL = "bad_channel", "请选择每日汇总的发送渠道"
    BAD_CHOICE = "bad_choice", "通知类型或渠道无效"
