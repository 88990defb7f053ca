"""Error codes shared by the services' ValidationErrors and the API's JSON errors.

"Someone else changed this row" is core's Conflict (code "conflict", HTTP 409).
"""

from django.db import models


class Code(models.TextChoices):
    BAD_STATE = "bad_state", "当前状态不允许此操作"
    DUPLICATE = "duplicate", "重复"
    NOT_MEMBER = "not_member", "不是党员"
    NOT_IN_SERVICE = "not_in_service", "不是在职党员"
    NOT_HOME = "not_home", "不是居住地社区"
    NOT_REGISTERED = "not_registered", "尚未报到"
    NO_PROFILE = "no_profile", "没有志愿者档案"
    FULL = "full", "名额已满"
    WINDOW = "window", "不在签到时间内"
    LOCATION = "location", "不在活动地点"
    OVERLAP = "overlap", "服务时段重叠"
    NOT_SIGNED = "not_signed", "未报名"
    INSUFFICIENT = "insufficient", "积分不足"
    SOLD_OUT = "sold_out", "库存不足"
    NO_CONSENT = "no_consent", "未经本人同意公开"
    NO_EVIDENCE = "no_evidence", "缺少佐证"
    INVALID = "invalid", "无效"
