"""Error codes for notifications."""

from django.db import models


class NoticeError(models.TextChoices):
    EMPTY_MESSAGE = "empty_message", "通知内容不能为空"
    UNSAFE_URL = "unsafe_url", "通知链接须为站内地址"
