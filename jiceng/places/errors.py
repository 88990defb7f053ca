"""Error codes for place operations, shared by forms, services and the API."""

from django.db import models


class PlaceError(models.TextChoices):
    KIND_NOT_ALLOWED = "kind_not_allowed", "层级不允许"
    CODE_FORMAT = "code_format", "编码格式错误"
    CODE_TAKEN = "code_taken", "编码已存在"
    MOVE_INTO_DESCENDANT = "move_into_descendant", "不能移动到自身或下级之下"
    OUT_OF_SCOPE = "out_of_scope", "超出权限范围"
    GEOMETRY = "geometry", "空间范围无效"
    # A code that names no place, or one outside the caller's reach: one answer.
    NOT_FOUND = "place_not_found", "地点不存在或不在权限范围内"
    WRONG_KIND = "place_kind", "地点层级不正确"
