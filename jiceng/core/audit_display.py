"""The audit log as people read it: Chinese names for actions, record types and
fields, and readable values (choice labels, related records' names, dates in the
site's time zone) instead of the raw keys the services store.

Core imports no app: the names come from the models' own verbose names and
choices, found through the app registry; an app whose audit rows carry keys that
are not fields (a workflow step's name) registers their labels in its
AppConfig.ready() with `register_values` / `register_keys`.
"""

from datetime import datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

# Keys the services write that are not model fields.
KEY_LABELS = {
    "step": "办理步骤",
    "created": "新建",
    "revoked": "撤销",
    "prefix": "令牌前缀",
    "grant": "授予角色",
    "revoke": "收回角色",
    "password": "密码",
    "totp": "双因素认证",
    "unlock": "解除锁定",
    "into": "合并至",
    "field": "字段",
    "filters": "筛选条件",
    "unmasked": "明文导出",
    "document": "文件",
    "review": "复核结论",
    "pair": "疑似重复记录",
    "same_person": "同一人",
    "roster": "名册条数",
    "count": "数量",
    "matches": "建议",
    "needs": "需求",
    "resources": "资源",
    "member": "成员",
    "leader": "队长",
    "item": "商品",
    "quantity": "数量",
    "entry": "积分流水",
    "rule": "规则",
    "wish_status": "心愿状态",
    "by": "确认人",
    "escalation": "升级至",
    "level": "升级层级",
    "filename": "文件名",
    "kind": "类型",
    "role": "角色",
    "username": "账号",
    "activity": "活动",
    "community": "社区",
    "unit": "单位",
    "points": "积分",
    "reason": "原因",
    "note": "说明",
    "year": "年度",
    "quarter": "季度",
    "grade": "等级",
    "score": "得分",
    "stock": "库存",
    "hours": "时长（小时）",
    "position": "职务",
    "org": "党组织",
    "place": "地点",
    "parent": "上级",
    "category": "类别",
    "channel": "来源",
    "status": "状态",
    "is_active": "启用",
    "checked_in_at": "签到时间",
    "lat": "纬度",
    "lng": "经度",
    "split_from": "分户自",
    "split_to": "分户至",
    "moved": "迁移成员",
    "merged": "并入的户",
    "merged_into": "并入",
    "joined": "加入",
    "members": "成员",
    "members_to": "党员转入",
    "transfer": "组织关系转接",
    "on": "日期",
    "to": "转往",
    "removed": "移除",
}
VALUE_LABELS = {
    "enabled": "已启用",
    "disabled": "已停用",
    "certificate": "证书",
    "beneficiary": "受助人",
    "staff": "工作人员",
    "expire": "到期清零",
}
_KEY_VALUES: dict[str, dict] = {}


def register_keys(labels: dict):
    """Name more non-field keys (an app's own audit vocabulary)."""
    KEY_LABELS.update(labels)


def register_values(key: str, labels: dict):
    """Readable values for one key across models (a workflow's step names)."""
    _KEY_VALUES.setdefault(key, {}).update(labels)


def model_for(target_type):
    try:
        return apps.get_model(target_type) if "." in (target_type or "") else None
    except LookupError:
        return None


def type_label(target_type) -> str:
    model = model_for(target_type)
    return str(model._meta.verbose_name) if model else (target_type or "—")


def _field(model, key):
    if model is None:
        return None
    for name in (key, key.removesuffix("_id")):
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def key_label(model, key) -> str:
    field = _field(model, key)
    if field is not None and getattr(field, "verbose_name", None):
        return str(field.verbose_name)
    return KEY_LABELS.get(key, key)


def _as_time(value):
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-":
        try:
            moment = parse_datetime(value)
        except ValueError:  # shaped like a time but not one (month 13)
            return None
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return moment
    return value if isinstance(value, datetime) else None


def _as_pk(value):
    """A primary key, or None: a long digit string is a code (地点编码, 户号), not a
    row id, and must neither name the wrong row nor overflow the database."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit() and len(value) <= 9:
        value = int(value)
    return value if isinstance(value, int) and 0 < value < 2**31 else None


class Reader:
    """Turn one page of entries into readable rows, with one query per related
    model for the names of the records their changes point to."""

    def __init__(self, entries):
        self.entries = list(entries)
        self.wanted: dict = {}  # related model -> ids
        for entry in self.entries:
            model = model_for(entry.target_type)
            for key, value in (entry.changes or {}).items():
                field = _field(model, key)
                if field is not None and field.is_relation and field.related_model:
                    for v in value if isinstance(value, list) else [value]:
                        pk = _as_pk(v)
                        if pk is not None:
                            self.wanted.setdefault(field.related_model, set()).add(pk)
        self.names = {
            related: {
                obj.pk: str(obj)
                for obj in related._default_manager.filter(pk__in=ids)[:500]
            }
            for related, ids in self.wanted.items()
        }

    def value(self, model, key, value) -> str:
        if value is None or value == "":
            return "（空）"
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, list) and key not in ("needs", "matches"):
            if len(value) == 2:
                return f"{self.value(model, key, value[0])} → {self.value(model, key, value[1])}"
        if isinstance(value, list):
            return "、".join(self.value(model, key, v) for v in value)
        if isinstance(value, dict):
            return "；".join(
                f"{key_label(None, k)}：{self.value(None, k, v)}"
                for k, v in value.items()
            )
        field = _field(model, key)
        if field is not None and field.is_relation and field.related_model:
            names = self.names.get(field.related_model, {})
            return names.get(_as_pk(value), str(value))
        if field is not None and field.choices:
            labels = {str(k): str(v) for k, v in field.flatchoices}
            if str(value) in labels:
                return labels[str(value)]
        if key in _KEY_VALUES and str(value) in _KEY_VALUES[key]:
            return str(_KEY_VALUES[key][str(value)])
        moment = _as_time(value)
        if moment is not None:
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, models.Choices):
            return str(value.label)
        return str(VALUE_LABELS.get(str(value), value))

    def rows(self):
        """The entries, each with type_label and readable (label, value) changes."""
        for entry in self.entries:
            model = model_for(entry.target_type)
            entry.type_label = type_label(entry.target_type)
            entry.readable_changes = [
                (key_label(model, key), self.value(model, key, value))
                for key, value in (entry.changes or {}).items()
            ]
        return self.entries
