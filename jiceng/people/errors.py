"""Error codes for registry operations, shared by forms, services and the API."""

from django.db import models


class PeopleError(models.TextChoices):
    ID_NUMBER_TAKEN = "id_number_taken", "身份证号已登记"
    FIELD_NOT_PROTECTED = "field_not_protected", "该字段不是敏感字段"
    CREDIT_CODE_TAKEN = "credit_code_taken", "统一社会信用代码已登记"
    TAG_EXISTS = "tag_exists", "该居民已有该类别的有效标签"
    TAG_ENDED = "tag_ended", "该标签已解除"
    HOUSEHOLD_NUMBER_TAKEN = "household_number_taken", "户号已登记"
    HOUSEHOLD_MEMBERS = "household_members", "所选成员不符"
    HOUSEHOLD_HEAD = "household_head", "户主须为本户成员"
    HOUSEHOLD_SAME = "household_same", "不能与本户合并"
