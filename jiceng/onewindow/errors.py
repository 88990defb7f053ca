"""Error codes of one-window services, shared by the pages and the API."""

from django.db import models


class Code(models.TextChoices):
    BAD_STATE = "bad_state", "当前状态不允许此操作"
    REFUSED_PROOF = "refused_proof", "社区不予出具的证明事项"
    INACTIVE = "inactive", "事项已停用"
    CHANNEL = "channel", "该事项不支持此办理渠道"
    INCOMPLETE = "incomplete", "材料不齐全"
    COMPLETE = "complete", "材料已齐全"
    NOTICE_ONCE = "notice_once", "已一次性告知"
    FILE = "file", "文件不符合要求"
    NO_PROFILE = "no_profile", "未关联居民信息"
    FULL = "full", "时段已约满"
    DUPLICATE = "duplicate", "重复操作"
    PAST = "past", "时段已过"
    NOT_ELIGIBLE = "not_eligible", "不符合条件"
    NOT_LISTED = "not_listed", "不在准入清单内"
    RATED = "rated", "已评价"
