"""Error codes of the case loop, shared by the services' ValidationErrors and the
API's JSON errors (someone else's change is jiceng.core.errors.Conflict)."""

from django.core.exceptions import ValidationError
from django.db import models


class CaseError(models.TextChoices):
    BAD_STATE = "bad_state", "当前状态不允许此操作"
    UNKNOWN_STEP = "unknown_step", "未知操作"
    NOTE_REQUIRED = "note_required", "需要填写说明"
    NO_ASSIGNEE = "no_assignee", "未选择承办单位"
    BAD_DAYS = "bad_days", "延期天数无效"
    DESCRIPTION = "description", "问题描述无效"
    CATEGORY = "category", "类别无效"
    PLACE = "place", "位置无效"
    DEPARTMENT = "department", "部门无效"
    PHOTO = "photo", "照片无效"
    RATING = "rating", "评价无效"
    RATED = "rated", "已评价"
    SATISFIED = "satisfied", "满意的案件不能重新办理"
    TOO_LATE = "too_late", "已超过重新办理期限"
    SELF_MERGE = "self_merge", "不能合并到自身"
    BAD_TARGET = "bad_target", "合并目标无效"
    BAD_PAYLOAD = "bad_payload", "请求体无效"
    DUPLICATE = "duplicate", "重复"
    PARENT = "parent", "缺少所属大类"
    CODE = "code", "编码无效"
    LIMIT = "limit", "时限无效"
    RULE = "rule", "派遣规则无效"
    SELF_CHECK = "self_check", "核查须由处置人以外的人员进行"


def field_error(field, message, code: CaseError) -> ValidationError:
    """A ValidationError on one field that carries its code (forms show it there)."""
    return ValidationError({field: ValidationError(message, code=code)})
