"""Error codes for party operations, shared by forms, services and the API."""

from django.db import models


class PartyError(models.TextChoices):
    ORG_KIND = "org_kind", "上级党组织类别不符"
    ORG_PLACE_KIND = "org_place_kind", "驻地层级不正确"
    ORG_PLACE_OUTSIDE = "org_place_outside", "驻地不在上级党组织辖区内"
    MEMBER_EXISTS = "member_exists", "该居民已登记为党员"
    MEMBER_AGE = "member_age", "入党时应年满18周岁"
    NOT_JOINT = "not_joint", "不是大工委/大党委"
    JOINT_UNIT_EXISTS = "joint_unit_exists", "该单位已是成员单位"
    UNIT_NOT_FOUND = "unit_not_found", "单位不存在"
    PART_TIME_UNIT = "part_time_unit", "兼职委员须来自成员单位"
    ROSTER_UNREADABLE = "unreadable", "名单文件无法读取"
    ROSTER_EMPTY = "empty", "名单中没有人员"
    ORG_MOVE_CYCLE = "org_move_cycle", "不能移到本组织或其下级组织之下"
    ORG_HAS_CHILDREN = "org_has_children", "该组织仍有下级组织"
    ORG_TARGET = "org_target", "党员须转入另一个党组织"
    MEMBER_STATUS = "member_status", "党员状态不符"
    JOINT_UNIT_IN_USE = "joint_unit_in_use", "该单位仍有兼职委员"
