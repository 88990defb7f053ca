"""Correcting what the volunteering pages create: an activity's details, a need or a
resource (and ending them), a mall item off the shelf, a team's members and leader.

Each function locks its row, checks the version the form was read at (a second
editor is told, not overwritten), checks scope, saves and writes its audit row.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import can, require_in_scope

from ..models import (
    Activity,
    ActivityStatus,
    MallItem,
    Need,
    NeedStatus,
    Resource,
    Team,
)
from .common import bad_state
from .wishes import unit_of

ACTIVITY_FIELDS = (
    "title",
    "venue",
    "starts_at",
    "ends_at",
    "capacity",
    "skills",
    "target_group",
    "description",
    "points_per_hour",
    "lat",
    "lng",
    "checkin_radius",
)
NEED_FIELDS = ("title", "skills", "time_slots", "people", "description")
RESOURCE_FIELDS = ("kind", "title", "skills", "time_slots", "capacity", "max_distance")


def _lock(model, row, actor, version, action="manage"):
    row = model.objects.select_for_update().get(pk=row.pk)
    require_in_scope(row, actor, action)
    check_version(row, version)
    return row


def _apply(actor, row, names, fields):
    """Set fields on row, bump its version, save, and audit what changed."""
    unknown = set(fields) - set(names)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = {n: getattr(row, n) for n in names}
    for name, value in fields.items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    row.version += 1
    row.save()
    changes = audit.diff(before, {n: getattr(row, n) for n in names})
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=row, changes=changes
        )
    return row


@transaction.atomic
def update_activity(*, actor, activity, version=None, **fields) -> Activity:
    """Correct a published activity; signed-up volunteers keep their places (the
    capacity may not drop below those already signed)."""
    activity = _lock(Activity, activity, actor, version)
    if activity.status != ActivityStatus.PUBLISHED:
        raise bad_state("活动已取消或已结束，不能修改")
    starts = fields.get("starts_at", activity.starts_at)
    ends = fields.get("ends_at", activity.ends_at)
    if ends <= starts:
        raise ValidationError({"ends_at": "结束时间须晚于开始时间"})
    if ends - starts > timedelta(hours=24):
        raise ValidationError({"ends_at": "单次活动不超过24小时"})
    signed = activity.signups.filter(status="signed").count()
    if fields.get("capacity", activity.capacity) < max(signed, 1):
        raise ValidationError(
            {"capacity": f"已有{signed}人报名，招募人数不能少于已报名人数"}
        )
    radius = fields.get("checkin_radius", activity.checkin_radius)
    lat, lng = fields.get("lat", activity.lat), fields.get("lng", activity.lng)
    if radius and (lat is None or lng is None):
        raise ValidationError({"checkin_radius": "核对位置需要填写活动地点的经纬度"})
    return _apply(actor, activity, ACTIVITY_FIELDS, fields)


@transaction.atomic
def cancel_activity(*, actor, activity, version=None) -> Activity:
    """Cancel a published activity (报名中 → 已取消)."""
    activity = _lock(Activity, activity, actor, version)
    if activity.status != ActivityStatus.PUBLISHED:
        raise bad_state("活动已取消或已结束")
    activity.status = ActivityStatus.CANCELLED
    activity.version += 1
    activity.save(update_fields=["status", "version"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=activity,
        changes={"status": [ActivityStatus.PUBLISHED, ActivityStatus.CANCELLED]},
    )
    return activity


@transaction.atomic
def update_need(*, actor, need, version=None, **fields) -> Need:
    need = _lock(Need, need, actor, version)
    if need.status in (NeedStatus.DONE, NeedStatus.CLOSED):
        raise bad_state("需求已解决或已撤销，不能修改")
    return _apply(actor, need, NEED_FIELDS, fields)


@transaction.atomic
def close_need(*, actor, need, version=None) -> Need:
    """撤销 a need no longer wanted (not one already made a project)."""
    need = _lock(Need, need, actor, version)
    if need.status not in (NeedStatus.OPEN, NeedStatus.MATCHED):
        raise bad_state("已立项、已解决或已撤销的需求不能撤销")
    before = need.status
    need.status = NeedStatus.CLOSED
    need.version += 1
    need.save(update_fields=["status", "version"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=need,
        changes={"status": [before, NeedStatus.CLOSED]},
    )
    return need


def may_change_resource(actor, resource) -> bool:
    """The community that manages it, or whoever offered it (a member, a unit)."""
    if can(actor, resource, "manage"):
        return True
    if resource.volunteer_id and resource.volunteer.user_id == actor.pk:
        return True
    unit = unit_of(actor) if resource.unit_id else None
    return unit is not None and unit.pk == resource.unit_id


def _lock_resource(resource, actor, version):
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not may_change_resource(actor, resource):
        raise PermissionDenied("对象不在您的权限范围内")
    check_version(resource, version)
    return resource


@transaction.atomic
def update_resource(*, actor, resource, version=None, **fields) -> Resource:
    resource = _lock_resource(resource, actor, version)
    return _apply(actor, resource, RESOURCE_FIELDS, fields)


@transaction.atomic
def set_resource_active(*, actor, resource, active, version=None) -> Resource:
    """Withdraw a resource from the list (无效), or offer it again."""
    resource = _lock_resource(resource, actor, version)
    return _apply(actor, resource, ("active",), {"active": bool(active)})


@transaction.atomic
def set_item_listed(*, actor, item, listed, version=None) -> MallItem:
    """下架 / 上架 a mall item; redemptions already placed are kept."""
    item = _lock(MallItem, item, actor, version)
    return _apply(actor, item, ("active",), {"active": bool(listed)})


@transaction.atomic
def remove_team_member(*, actor, team, volunteer, version=None) -> Team:
    """Take a member off the team; the leader hands over first."""
    team = _lock(Team, team, actor, version)
    if not team.members.filter(pk=volunteer.pk).exists():
        raise bad_state("该志愿者不在本队")
    if team.leader_id == volunteer.pk:
        raise ValidationError(
            {"volunteer": "该队员是队长，请先移交队长再移除"}, code="bad_state"
        )
    team.members.remove(volunteer)
    team.version += 1
    team.save(update_fields=["version"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=team,
        changes={"removed": str(volunteer)},
    )
    return team


@transaction.atomic
def hand_over_leader(*, actor, team, volunteer, version=None) -> Team:
    """Make another member the team's leader (交接队长)."""
    team = _lock(Team, team, actor, version)
    if not team.members.filter(pk=volunteer.pk).exists():
        raise ValidationError({"volunteer": "新队长须为本队队员"}, code="bad_state")
    before = str(team.leader or "")
    team.leader = volunteer
    team.version += 1
    team.save(update_fields=["leader", "version"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=team,
        changes={"leader": [before, str(volunteer)]},
    )
    return team


def editable_resource_ids(actor, rows) -> set:
    """Which of these resources the actor may change (may_change_resource, in one
    query for the community's and one for the actor's own)."""
    ids = [r.pk for r in rows]
    managed = set(
        Resource.objects.visible_to(actor, "manage")
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    unit = unit_of(actor)
    own = {
        r.pk
        for r in rows
        if (r.volunteer_id and r.volunteer.user_id == actor.pk)
        or (unit is not None and r.unit_id == unit.pk)
    }
    return managed | own
