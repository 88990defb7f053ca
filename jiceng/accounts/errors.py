"""Error codes of account opening and self-registration."""

from django.db import models


class AccountError(models.TextChoices):
    HAS_ACCOUNT = "has_account", "该人员已开通账号"
    PENDING = "pending", "已提交注册，正在等待社区审核"
    NO_MATCH = "no_match", "姓名与身份证号未在本社区登记"
    INVITATION = "invitation", "邀请码无效、已停用或已过期"
    LOCKED = "locked", "尝试次数过多，请稍后再试"
    USERNAME = "username", "该账号已被使用"
    STATE = "state", "该注册申请已处理"
    REASON = "reason", "请填写不通过的原因"
    NO_PROFILE = "no_profile", "账号未关联新就业群体登记"
    SELECTION = "selection", "所选人员为空或超出上限"
