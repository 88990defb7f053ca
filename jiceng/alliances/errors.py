"""Error codes of co-governance, shared by the services' ValidationErrors and the
API's JSON errors. A booking whose slot is taken is a Conflict (HTTP 409)."""

from django.core.exceptions import ValidationError
from django.db import models

from jiceng.core.errors import Conflict


class Code(models.TextChoices):
    BAD_STATE = "bad_state", "当前状态不允许此操作"
    SLOT_TAKEN = "slot_taken", "该时段已被预约"
    CLOSED = "closed", "不在开放时间内"
    TOO_LONG = "too_long", "预约时长超出限制"
    OUT_OF_RANGE = "out_of_range", "时间超出可预约范围"
    CAPACITY = "capacity", "超出场地容量"
    WINDOW = "window", "不在签到时间内"
    DUPLICATE = "duplicate", "重复"
    INVALID = "invalid", "无效"


class SlotTaken(Conflict):
    """Another live booking of the venue overlaps the requested time (HTTP 409)."""

    def __init__(self, message="该时段已被预约，请选择其他时段"):
        ValidationError.__init__(self, message, code=Code.SLOT_TAKEN)


def bad_state(message):
    return ValidationError(message, code=Code.BAD_STATE)
