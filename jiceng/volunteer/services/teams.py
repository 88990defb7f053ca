"""Service teams (服务队) and the monthly 主题党日 themes of a community."""

from django.core.exceptions import ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope, require_place_in_scope

from ..models import Team, ThemePlan
from .common import MANAGE


@transaction.atomic
def create_team(*, actor, community, name, kind, specialities="", description=""):
    require_place_in_scope(community, actor, MANAGE)
    team = Team.objects.create(
        community=community,
        name=name.strip(),
        kind=kind,
        specialities=specialities.strip(),
        description=description.strip(),
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=team)
    require_in_scope(team, actor, "manage")
    return team


@transaction.atomic
def add_team_member(*, actor, team, volunteer, leader=False):
    """Add a volunteer of the team's community, optionally as its leader."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    require_in_scope(team, actor, "manage")
    if volunteer.community_id != team.community_id:
        raise ValidationError({"volunteer": "队员须为本社区的志愿者"})
    team.members.add(volunteer)
    if leader:
        team.leader = volunteer
        team.save(update_fields=["leader"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=team,
        changes={"member": volunteer.pk, "leader": bool(leader)},
    )
    require_in_scope(team, actor, "manage")
    return team


@transaction.atomic
def create_theme_plan(*, actor, community, year, month, theme, content=""):
    """一月一主题: the month's theme, once per community and month."""
    require_place_in_scope(community, actor, MANAGE)
    if ThemePlan.objects.filter(community=community, year=year, month=month).exists():
        raise ValidationError({"month": "该月已有主题"})
    plan = ThemePlan.objects.create(
        community=community,
        year=year,
        month=month,
        theme=theme.strip(),
        content=content.strip(),
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=plan)
    require_in_scope(plan, actor, "manage")
    return plan
