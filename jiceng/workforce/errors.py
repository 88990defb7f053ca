"""Workforce error codes, shared by services and the API."""

from django.db import models


class Code(models.TextChoices):
    INVALID = "invalid", "无效"
    BAD_STATE = "bad_state", "当前状态不允许此操作"
    PAST_MONTH = "past_month", "不能修改已过去月份的薪酬标准"
    GRADE = "grade", "等级超出岗位范围"
    OVERLAP = "overlap", "同一时间已在其他岗位值守"
    TRACK = "track", "轨迹无效"
    DUPLICATE = "duplicate", "重复"
