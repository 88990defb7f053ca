"""Recruitment rounds: written and interview scores, a weighted total, ranking
(ties broken by the written score, then the name) and hiring the first N."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope
from jiceng.core.validators import validate_mobile

from ..models import Candidate, Post, RecruitmentRound, RoundStatus
from .careers import hire_worker
from .common import MANAGE, bad_state, require_covers


@transaction.atomic
def open_round(*, actor, street, title, positions, held_on, written_weight=60):
    require_covers(actor, street, MANAGE)
    if not 0 <= int(written_weight) <= 100:
        raise ValidationError({"written_weight": "笔试权重应在0–100之间"})
    row = RecruitmentRound.objects.create(
        street=street,
        title=title.strip(),
        positions=positions,
        held_on=held_on,
        written_weight=written_weight,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=row)
    return row


def _open(round_, actor, version=None):
    locked = RecruitmentRound.objects.select_for_update().get(pk=round_.pk)
    check_version(locked, version)
    require_in_scope(locked, actor, "manage")
    if locked.status != RoundStatus.OPEN:
        raise bad_state("本次招聘已录用完毕")
    return locked


@transaction.atomic
def add_candidate(*, actor, round, name, community, phone=""):
    round_ = _open(round, actor)
    require_covers(actor, community, MANAGE)
    if not community.path.startswith(round_.street.path):
        raise ValidationError({"community": "报考社区须在本街道内"})
    candidate = Candidate.objects.create(
        round=round_,
        name=name.strip(),
        community=community,
        phone=validate_mobile(phone) if phone else "",
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=candidate)
    return candidate


def weighted(round_, written, interview) -> Decimal:
    total = (
        Decimal(written) * round_.written_weight
        + Decimal(interview) * round_.interview_weight
    ) / 100
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _score(value, label):
    value = Decimal(str(value))
    if not 0 <= value <= 100:
        raise ValidationError(f"{label}应在0–100之间")
    return value


@transaction.atomic
def score_candidate(*, actor, candidate, written=None, interview=None):
    round_ = _open(candidate.round, actor)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    before = {"written": candidate.written, "interview": candidate.interview}
    if written is not None:
        candidate.written = _score(written, "笔试成绩")
    if interview is not None:
        candidate.interview = _score(interview, "面试成绩")
    if candidate.written is not None and candidate.interview is not None:
        candidate.total = weighted(round_, candidate.written, candidate.interview)
    candidate.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=candidate,
        changes=audit.diff(
            before, {"written": candidate.written, "interview": candidate.interview}
        ),
    )
    return candidate


def ranking(round_):
    """Candidates with both scores, best first: total, then written, then name."""
    return list(
        round_.candidates.filter(total__isnull=False).order_by(
            "-total", "-written", "name"
        )
    )


@transaction.atomic
def hire(*, actor, round, on=None, version=None):
    """Hire the first `positions` of the ranking as 干事 on grade 1."""
    round_ = _open(round, actor, version)
    if round_.candidates.filter(total__isnull=True).exists():
        raise bad_state("还有考生未录入成绩")
    on = on or date.today()
    hired = []
    for candidate in ranking(round_)[: round_.positions]:
        worker = hire_worker(
            actor=actor,
            community=candidate.community,
            name=candidate.name,
            post=Post.STAFF,
            grade=1,
            hired_on=on,
            phone=candidate.phone,
        )
        candidate.worker = worker
        candidate.save(update_fields=["worker"])
        hired.append(worker)
    round_.status = RoundStatus.HIRED
    round_.version += 1
    round_.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=round_,
        changes={"status": ["open", "hired"], "hired": [None, len(hired)]},
    )
    return hired
