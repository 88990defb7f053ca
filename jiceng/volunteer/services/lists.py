"""三张清单: needs, resources, projects; matching proposals; 项目认领 to evaluation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import (
    path_prefix,
    place_path_allowed,
    require_in_scope,
    require_permission,
    require_place_in_scope,
)

from .. import matching
from ..errors import Code
from ..models import (
    Match,
    MatchStatus,
    MemberRegistration,
    Need,
    NeedStatus,
    Project,
    ProjectStatus,
    ProjectUpdate,
    RegistrationStatus,
    Resource,
    UnitRegistration,
    split_tags,
)
from . import points as ledger
from .common import MANAGE, bad_state, can_at, require_all_in_scope, volunteer_of
from .registration import acts_for_unit
from .wishes import unit_of


def _location(place):
    """A place's point, or its nearest located ancestor's."""
    from jiceng.places.models import Place

    if place is None:
        return None, None
    if place.lat is not None and place.lng is not None:
        return place.lat, place.lng
    prefixes = [place.path[: i * place.steplen] for i in range(place.depth - 1, 0, -1)]
    for ancestor in Place.objects.filter(path__in=prefixes, lat__isnull=False).order_by(
        "-depth"
    )[:1]:
        return ancestor.lat, ancestor.lng
    return None, None


@transaction.atomic
def add_need(*, actor, community, title, place=None, **fields):
    require_place_in_scope(community, actor, MANAGE)
    if place is not None and not place_path_allowed(place.path, [community.path]):
        raise ValidationError({"place": "地点须在本社区内"})
    if fields.get("lat") is None:
        fields["lat"], fields["lng"] = _location(place or community)
    fields.setdefault("year", timezone.localdate().year)
    need = Need.objects.create(
        community=community,
        place=place,
        title=title.strip(),
        created_by=actor,
        **fields,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=need)
    require_in_scope(need, actor, "manage")
    return need


@transaction.atomic
def add_resource(*, actor, community, kind, title, as_unit=False, **fields):
    """Offer a resource: a unit or a member for themselves, or the community."""
    require_permission(actor, "volunteer.join", MANAGE)
    resource = Resource(community=community, kind=kind, title=title.strip(), **fields)
    if as_unit:
        unit = unit_of(actor)
        if unit is None:
            raise PermissionDenied("您不是单位党组织管理员")
        resource.unit = unit
    elif not can_at(actor, community, MANAGE):
        resource.volunteer = volunteer_of(actor)
    if resource.lat is None:
        resource.lat, resource.lng = _location(
            resource.unit.place if resource.unit else community
        )
    resource.save()
    audit.record(actor=actor, action=AuditAction.CREATE, target=resource)
    require_in_scope(resource, actor, "view")
    return resource


def _need_item(need):
    return matching.NeedItem(
        key=need.pk,
        lat=need.lat or 0.0,
        lng=need.lng or 0.0,
        skills=frozenset(split_tags(need.skills)),
        slots=frozenset(split_tags(need.time_slots)),
    )


def _resource_item(resource, used=0):
    return matching.ResourceItem(
        key=resource.pk,
        lat=resource.lat or 0.0,
        lng=resource.lng or 0.0,
        skills=frozenset(split_tags(resource.skills) | {resource.get_kind_display()}),
        slots=frozenset(split_tags(resource.time_slots)),
        capacity=max(resource.capacity - used, 0),
        radius=float(resource.max_distance),
    )


@transaction.atomic
def propose_matches(*, actor, community):
    """Run the matcher over the community's open needs and active resources (its own
    and those of units registered to it); replace the earlier proposals."""
    require_place_in_scope(community, actor, MANAGE)
    needs = list(
        Need.objects.filter(
            path_prefix(community.path, "community__path"), status=NeedStatus.OPEN
        ).exclude(lat=None)
    )
    resources = list(
        Resource.objects.filter(active=True)
        .filter(path_prefix(community.path, "community__path"))
        .exclude(lat=None)
        .annotate(used=Count("matches", filter=Q(matches__status=MatchStatus.ACCEPTED)))
    )
    Match.objects.filter(
        path_prefix(community.path, "need__community__path"),
        status=MatchStatus.PROPOSED,
    ).delete()
    need_items = [_need_item(n) for n in needs]
    resource_items = [_resource_item(r, r.used) for r in resources]
    result = matching.match(need_items, resource_items)
    decided = set(
        Match.objects.filter(need__in=needs).values_list("need_id", "resource_id")
    )
    created = []
    for i, j in result.pairs.items():
        if (needs[i].pk, resources[j].pk) in decided:
            continue
        distance = result.distances[i]
        created.append(
            Match(
                need=needs[i],
                resource=resources[j],
                distance=round(distance),
                score=matching.score(need_items[i], resource_items[j], distance),
            )
        )
    Match.objects.bulk_create(created)
    require_all_in_scope(created, actor, "manage")
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target_type="volunteer.match",
        target_repr=f"{community.name} 对单配餐建议 {len(created)} 条",
        changes={"needs": len(needs), "resources": len(resources)},
    )
    return created


@transaction.atomic
def decide_match(*, actor, match, accept):
    match = (
        Match.objects.select_for_update()
        .select_related("need", "resource")
        .get(pk=match.pk)
    )
    require_in_scope(match, actor, "manage")
    if match.status != MatchStatus.PROPOSED:
        raise bad_state("该建议已处理")
    if accept:
        used = match.resource.matches.filter(status=MatchStatus.ACCEPTED).count()
        if used >= match.resource.capacity:
            raise ValidationError("该资源可服务份数已用完", code=Code.FULL)
        if match.need.status != NeedStatus.OPEN:
            raise bad_state("该需求已对接")
        match.need.status = NeedStatus.MATCHED
        match.need.save(update_fields=["status"])
        # the need's other proposals go (this one is decided below)
        Match.objects.filter(need=match.need, status=MatchStatus.PROPOSED).exclude(
            pk=match.pk
        ).update(status=MatchStatus.WITHDRAWN)
    match.status = MatchStatus.ACCEPTED if accept else MatchStatus.REJECTED
    match.decided_by, match.decided_at = actor, timezone.now()
    match.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=match,
        changes={"status": match.status},
    )
    require_in_scope(match, actor, "manage")
    return match


def withdraw_suggestions(needs, *, actor, reason):
    """Proposals for needs that no longer wait for a match (已对接, 已立项, 已解决)
    are withdrawn, with one audit row, so no list suggests them again."""
    pending = Match.objects.filter(
        need__in=[n.pk for n in needs], status=MatchStatus.PROPOSED
    )
    withdrawn = list(pending.values_list("pk", flat=True))
    if withdrawn:
        Match.objects.filter(pk__in=withdrawn).update(status=MatchStatus.WITHDRAWN)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target_type="volunteer.match",
            target_repr=f"撤回对单配餐建议 {len(withdrawn)} 条（{reason}）",
            changes={"status": MatchStatus.WITHDRAWN, "matches": withdrawn},
        )
    return withdrawn


@transaction.atomic
def create_project(*, actor, community, title, needs=(), **fields):
    require_place_in_scope(community, actor, MANAGE)
    fields.setdefault("year", timezone.localdate().year)
    project = Project.objects.create(
        community=community, title=title.strip(), created_by=actor, **fields
    )
    # only needs of this community that the actor manages become its sources
    needs = list(
        Need.objects.visible_to(actor, "manage").filter(
            path_prefix(community.path, "community__path"),
            pk__in=[n.pk for n in needs],
        )
    )
    project.needs.set(needs)
    Need.objects.filter(pk__in=[n.pk for n in needs]).update(status=NeedStatus.PROJECT)
    withdraw_suggestions(needs, actor=actor, reason="需求已立项")
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=project,
        changes={"needs": [n.pk for n in needs]},
    )
    require_in_scope(project, actor, "manage")
    return project


@transaction.atomic
def claim_project(*, actor, project, as_unit=False, version=None):
    """项目认领 by a unit or a member registered (双报到, confirmed) to the community."""
    require_permission(actor, "volunteer.join")
    project = Project.objects.select_for_update().get(pk=project.pk)
    check_version(project, version)
    if project.status != ProjectStatus.OPEN:
        raise bad_state("该项目已被认领")
    if as_unit:
        unit = unit_of(actor)
        if unit is None:
            raise PermissionDenied("您不是单位党组织管理员")
        registered = UnitRegistration.objects.filter(
            unit=unit, community=project.community, status=RegistrationStatus.CONFIRMED
        ).exists()
        project.claim_unit, name = unit, unit.name
    else:
        volunteer = volunteer_of(actor)
        registered = MemberRegistration.objects.filter(
            volunteer=volunteer,
            community=project.community,
            status=RegistrationStatus.CONFIRMED,
        ).exists()
        project.claim_volunteer, name = volunteer, volunteer.name
    if not registered:
        raise ValidationError(
            "完成双报到并经社区确认后才能认领本社区项目", code=Code.NOT_REGISTERED
        )
    project.status, project.claimed_at = ProjectStatus.CLAIMED, timezone.now()
    project.version += 1
    project.save()
    ProjectUpdate.objects.create(
        project=project, progress=0, note="认领项目", by_name=name
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=project,
        changes={"status": "claimed"},
    )
    require_in_scope(project, actor, "view")
    return project


def is_claimant(actor, project):
    """Whether the actor claimed the project, themselves or for their unit."""
    if project.claim_unit_id and acts_for_unit(actor, project.claim_unit):
        return True
    return (
        bool(project.claim_volunteer_id) and project.claim_volunteer.user_id == actor.pk
    )


@transaction.atomic
def report_progress(*, actor, project, progress, note, version=None):
    project = Project.objects.select_for_update().get(pk=project.pk)
    check_version(project, version)
    if not is_claimant(actor, project):
        require_in_scope(project, actor, "manage")
    if project.status not in (ProjectStatus.CLAIMED, ProjectStatus.IN_PROGRESS):
        raise bad_state("项目当前不能更新进度")
    progress = int(progress)
    if not 0 <= progress <= 100 or progress < project.progress:
        raise ValidationError({"progress": "进度为0至100，且不能低于当前进度"})
    if not (note or "").strip():
        raise ValidationError({"note": "请填写进展情况"})
    project.progress = progress
    project.status = (
        ProjectStatus.DONE if progress == 100 else ProjectStatus.IN_PROGRESS
    )
    if progress == 100:
        project.done_at = timezone.now()
        project.needs.update(status=NeedStatus.DONE)
        withdraw_suggestions(project.needs.all(), actor=actor, reason="需求已解决")
    project.version += 1
    project.save()
    ProjectUpdate.objects.create(
        project=project, progress=progress, note=note.strip()[:300], by_name=str(actor)
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=project,
        changes={"progress": progress, "status": project.status},
    )
    require_in_scope(project, actor, "view")
    return project


@transaction.atomic
def evaluate_project(*, actor, project, score, comment="", version=None):
    project = Project.objects.select_for_update().get(pk=project.pk)
    check_version(project, version)
    require_in_scope(project, actor, "manage")
    if project.status != ProjectStatus.DONE:
        raise bad_state("项目完成后才能评议")
    if not 0 <= int(score) <= 100:
        raise ValidationError({"score": "评议得分为0至100"})
    project.status = ProjectStatus.EVALUATED
    project.score, project.evaluation = int(score), (comment or "").strip()[:300]
    project.version += 1
    project.save()
    if project.claim_volunteer_id and project.score >= 60:
        ledger.award_rule(
            volunteer=project.claim_volunteer,
            code="project_done",
            reason=project.title,
            actor=actor,
        )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=project,
        changes={"status": "evaluated", "score": project.score},
    )
    require_in_scope(project, actor, "manage")
    return project
