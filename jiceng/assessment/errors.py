"""Error codes of assessment's services, shared by pages and the API."""

from django.db import models


class AssessmentError(models.TextChoices):
    DUPLICATE = "duplicate", "本户本期已评价"
    REASON = "reason", "低分须说明理由"
    SCORES = "scores", "评分不完整"
    PERIOD = "period", "期次格式错误"
    NO_SET = "no_set", "本期未设置指标"
    STATE = "state", "当前状态不允许此操作"
    BUDGET = "budget", "超出预算"
    CONFLICT_OF_INTEREST = "coi", "回避"
    NOT_HOUSEHOLD = "household", "未登记住户"
