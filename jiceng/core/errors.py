"""Errors every app shares, and core's own error codes.

Each app keeps its codes in its own `errors.py` (a TextChoices enum) and raises
`ValidationError(message, code=TheEnum.X)`. What several apps need alike lives here:
`Conflict`, the one "someone else changed this row" error, which the API answers
with 409 by its type (jiceng.api), never by matching its code.
"""

from django.core.exceptions import ValidationError
from django.db import models


class CoreError(models.TextChoices):
    CONFLICT = "conflict", "已被他人更新"
    INVALID = "invalid", "无效"
    OUT_OF_SCOPE = "out_of_scope", "超出权限范围"


class Conflict(ValidationError):
    """Someone else changed the row since the actor loaded it."""

    def __init__(self, message="该记录已被他人更新，请刷新页面查看最新状态后再操作"):
        super().__init__(message, code=CoreError.CONFLICT)


def check_version(row, version):
    """Raise Conflict when the caller read another version of the row than stored.

    Call it on a row fetched with select_for_update inside the same transaction
    that saves it; version None means the caller does not track versions.
    """
    if version is not None and row.version != int(version):
        raise Conflict()
