"""新就业群体: a gig worker with an account reports 社情民意 and hazards from the
phone; each report is a case with the channel 新就业群体, counted in their record."""

from django.core.exceptions import ValidationError

from jiceng.cases.models import Case, Channel
from jiceng.cases.services import report_case
from jiceng.core.scope import require_permission

from ..errors import AccountError
from ..models import MemberAccount

REPORT_KINDS = {"opinion": "社情民意", "hazard": "安全隐患"}


def worker_of(user):
    """The gig worker record this account belongs to, or None."""
    account = (
        MemberAccount.objects.filter(user=user, gig_worker__isnull=False)
        .select_related("gig_worker__community")
        .first()
    )
    return account.gig_worker if account else None


def report_as_worker(*, actor, kind, category, description, **fields):
    """Report through cases' intake, with the channel 新就业群体."""
    require_permission(actor, "cases.report")
    worker = worker_of(actor)
    if worker is None:
        raise ValidationError(
            "您的账号未关联新就业群体登记，请联系报到社区", code=AccountError.NO_PROFILE
        )
    label = REPORT_KINDS.get(kind)
    if label is None:
        raise ValidationError({"kind": "请选择上报类型"})
    return report_case(
        actor=actor,
        category=category,
        description=f"【{label}】{(description or '').strip()}",
        channel=Channel.GIG,
        reporter_name=worker.name,
        reporter_phone=worker.phone or "",
        **fields,
    )


def service_record(worker):
    """The cases a gig worker reported through their channel (their service record)."""
    account = MemberAccount.objects.filter(gig_worker=worker).first()
    if account is None:
        return Case.objects.none()
    return Case.objects.filter(reporter_id=account.user_id, channel=Channel.GIG)
