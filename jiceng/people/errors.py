"""Error codes for registry operations, shared by forms, services and the API."""

from django.db import models


class PeopleError(models.TextChoices):
    ID_NUMBER_TAKEN = "id_number_taken", "身份证号已登记"
    PLACE_NOT_FOUND = "place_not_found", "住址不存在或不在权限范围内"
    PLACE_KIND = "place_kind", "住址层级不正确"
    FIELD_NOT_PROTECTED = "field_not_protected", "该字段不是敏感字段"
    CREDIT_CODE_TAKEN = "credit_code_taken", "统一社会信用代码已登记"
