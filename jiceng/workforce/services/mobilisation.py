"""平急结合: declare a mode, set posts and shifts, assign people (never two posts at
once), confirm and check in/out by QR on the phone, live gaps, and hours to the
points ledger when the mode ends.

"Never two posts at once": assign() locks the volunteer's row, then looks for an
overlapping deployment of theirs (one indexed range query on the times copied
from the shift); two assigners of the same person queue on the lock."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope
from jiceng.places.models import PlaceKind
from jiceng.volunteer.models import EntryKind, Volunteer
from jiceng.volunteer.services import append_entry

from ..errors import Code
from ..models import Deployment, DutyPost, Mobilisation, ModeStatus, Shift
from .common import MOBILISE, bad_state, require_covers

POINTS_PER_HOUR = 10
CHECK_IN_EARLY = timedelta(minutes=30)


@transaction.atomic
def declare(*, actor, area, kind, title, starts_at, ends_at):
    require_covers(actor, area, MOBILISE, "只有街道可以在本辖区启动应急状态")
    if area.kind not in (PlaceKind.STREET, PlaceKind.COMMUNITY):
        raise ValidationError({"area": "范围须为街道或社区"})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "结束时间须晚于开始时间"})
    mode = Mobilisation.objects.create(
        area=area, kind=kind, title=title.strip(), starts_at=starts_at, ends_at=ends_at
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=mode)
    return mode


def _active(mode, actor, version=None):
    locked = Mobilisation.objects.select_for_update().get(pk=mode.pk)
    check_version(locked, version)
    require_in_scope(locked, actor, "manage")
    if locked.status != ModeStatus.ACTIVE:
        raise bad_state("应急状态已结束")
    return locked


@transaction.atomic
def add_post(*, actor, mobilisation, kind, name, place):
    mode = _active(mobilisation, actor)
    if not place.path.startswith(mode.area.path):
        raise ValidationError({"place": "点位须在应急范围内"})
    post = DutyPost.objects.create(
        mobilisation=mode, kind=kind, name=name.strip(), place=place
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=post)
    return post


@transaction.atomic
def add_shift(*, actor, post, starts_at, ends_at, needed=2):
    _active(post.mobilisation, actor)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "班次结束须晚于开始"})
    shift = Shift.objects.create(
        post=post, starts_at=starts_at, ends_at=ends_at, needed=needed
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=shift)
    return shift


def overlapping(volunteer, starts_at, ends_at):
    return Deployment.objects.filter(
        volunteer=volunteer, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).select_related("shift__post")


@transaction.atomic
def assign(*, actor, shift, volunteer, kind):
    shift = Shift.objects.select_related("post__mobilisation").get(pk=shift.pk)
    _active(shift.post.mobilisation, actor)
    Volunteer.objects.select_for_update().get(pk=volunteer.pk)  # one assigner at a time
    clash = overlapping(volunteer, shift.starts_at, shift.ends_at).first()
    if clash is not None:
        raise ValidationError(
            f"{volunteer.name}在{clash.starts_at:%m-%d %H:%M}–{clash.ends_at:%H:%M}"
            f"已在「{clash.shift.post.name}」值守，同一时间不能在两个岗位",
            code=Code.OVERLAP,
        )
    deployment = Deployment.objects.create(
        shift=shift,
        volunteer=volunteer,
        kind=kind,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=deployment)
    return deployment


def _own(deployment, actor):
    locked = (
        Deployment.objects.select_for_update()
        .select_related("shift__post__mobilisation", "volunteer")
        .get(pk=deployment.pk)
    )
    if locked.volunteer.user_id != actor.pk:
        raise PermissionDenied("这不是您的值守安排")
    if locked.shift.post.mobilisation.status != ModeStatus.ACTIVE:
        raise bad_state("应急状态已结束")
    return locked


@transaction.atomic
def confirm(*, actor, deployment, now=None):
    deployment = _own(deployment, actor)
    if deployment.confirmed_at is None:
        deployment.confirmed_at = now or timezone.now()
        deployment.save(update_fields=["confirmed_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=deployment,
            changes={"confirmed": [False, True]},
        )
    return deployment


def deployment_for_token(actor, token, now=None):
    """The actor's deployment at the post of this QR code, for the shift at hand."""
    now = now or timezone.now()
    post = DutyPost.objects.filter(token=token).first()
    if post is None:
        raise ValidationError("二维码无效", code=Code.INVALID)
    found = (
        Deployment.objects.filter(
            shift__post=post,
            volunteer__user=actor,
            starts_at__lte=now + CHECK_IN_EARLY,
            ends_at__gte=now - timedelta(hours=2),
        )
        .order_by("starts_at")
        .first()
    )
    if found is None:
        raise bad_state(f"您在「{post.name}」当前没有值守班次")
    return found


@transaction.atomic
def check_in(*, actor, deployment, now=None):
    deployment = _own(deployment, actor)
    now = now or timezone.now()
    if deployment.checked_in_at is not None:
        raise bad_state("已签到")
    if now < deployment.starts_at - CHECK_IN_EARLY:
        raise bad_state("班次开始前30分钟内才能签到")
    deployment.checked_in_at = now
    deployment.confirmed_at = deployment.confirmed_at or now
    deployment.save(update_fields=["checked_in_at", "confirmed_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=deployment,
        changes={"checked_in_at": [None, str(now)]},
    )
    return deployment


@transaction.atomic
def check_out(*, actor, deployment, now=None):
    deployment = _own(deployment, actor)
    now = now or timezone.now()
    if deployment.checked_in_at is None:
        raise bad_state("尚未签到")
    if deployment.checked_out_at is not None:
        raise bad_state("已签退")
    deployment.checked_out_at = now
    seconds = (
        min(now, deployment.ends_at)
        - max(deployment.checked_in_at, deployment.starts_at)
    ).total_seconds()
    deployment.hours = Decimal(max(seconds, 0) / 3600).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    deployment.save(update_fields=["checked_out_at", "hours"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=deployment,
        changes={"hours": [None, str(deployment.hours)]},
    )
    return deployment


def gaps(mobilisation, now=None):
    """Shifts now or ahead short of people: [(shift, needed, confirmed, on_post)]."""
    now = now or timezone.now()
    shifts = (
        Shift.objects.filter(post__mobilisation=mobilisation, ends_at__gt=now)
        .select_related("post")
        .annotate(
            confirmed=Count(
                "deployments", filter=Q(deployments__confirmed_at__isnull=False)
            ),
            on_post=Count(
                "deployments",
                filter=Q(
                    deployments__checked_in_at__isnull=False,
                    deployments__checked_out_at__isnull=True,
                ),
            ),
        )
        .order_by("starts_at", "post__name")
    )
    rows = []
    for shift in shifts:
        current = shift.starts_at <= now
        have = shift.on_post if current else shift.confirmed
        if have < shift.needed:
            rows.append(
                {
                    "shift": shift,
                    "current": current,
                    "have": have,
                    "short": shift.needed - have,
                }
            )
    return rows


@transaction.atomic
def end_mode(*, actor, mobilisation, now=None, version=None):
    """Back to normal: hours of everyone who served go to the points ledger once."""
    mode = _active(mobilisation, actor, version)
    now = now or timezone.now()
    mode.status, mode.ended_at = ModeStatus.ENDED, now
    mode.version += 1
    mode.save()
    credited = 0
    served = Deployment.objects.filter(
        shift__post__mobilisation=mode, hours__gt=0, points_entry__isnull=True
    ).select_related("volunteer", "shift__post")
    for deployment in served:
        entry = append_entry(
            volunteer=deployment.volunteer,
            kind=EntryKind.EARN,
            points=max(int(deployment.hours * POINTS_PER_HOUR), 1),
            reason=f"{mode.title}·{deployment.shift.post.name}值守{deployment.hours}小时",
            actor=actor,
            rule="mobilisation",
        )
        deployment.points_entry = entry
        deployment.save(update_fields=["points_entry"])
        credited += 1
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=mode,
        changes={"status": ["active", "ended"], "credited": [None, credited]},
    )
    return mode
