"""The life of an application: submit (window, phone or 代办) → check materials →
一次性告知 when incomplete → resupply → accept (deadline on the working-day clock)
→ hand off to the handling level → decide → collect → rate.

最多跑一次: `visits` counts the applicant's own trips to a window for this matter;
an application finished with at most one visit counts toward the rate.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from jiceng.cases.workdays import add_working_days
from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import can, has_permission, require_in_scope
from jiceng.notices.models import NoticeKind
from jiceng.notices.services import notify

from ..errors import Code
from ..models import (
    FINISHED,
    Application,
    ApplicationMaterial,
    Channel,
    Collection,
    Level,
    Notice,
    Result,
    Status,
)
from . import files
from .common import (
    bad_state,
    community_of,
    covers,
    departments_of,
    require_covers,
    resident_of,
    street_of,
)


def refuse_if_cancelled_proof(item):
    """A 证明事项 communities no longer issue is not accepted: say why and what instead."""
    if item.refused_proof_id:
        raise ValidationError(item.refused_proof.refusal_text, code=Code.REFUSED_PROOF)


def _next_number(now):
    day = timezone.localtime(now).strftime("%Y%m%d")
    prefix = f"YC{day}"
    last = (
        Application.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{serial:04d}"


def _tick(application, provided=(), uploads=None):
    """Tick materials (ids of the item's materials) and store their files."""
    uploads = uploads or {}
    provided = {int(p) for p in provided} | {int(k) for k in uploads}
    prepared = {int(k): files.prepare(v) for k, v in uploads.items() if v}
    changed = []
    for line in application.materials.select_related("material"):
        if line.material_id in prepared:
            stored, content_type = prepared[line.material_id]
            line.file.save(stored.name, stored, save=False)
            line.content_type, line.size = content_type, stored.size
        if line.material_id in provided and not line.provided:
            line.provided = True
        elif line.material_id not in prepared:
            continue
        line.save()
        changed.append(line.material.name)
    return changed


def missing_materials(application):
    """Every required material not provided yet, in the item's order."""
    return [
        line.material
        for line in application.materials.select_related("material")
        if line.material.required and not line.provided
    ]


@transaction.atomic
def submit(
    *,
    actor,
    item,
    channel,
    applicant_name="",
    applicant_phone="",
    resident=None,
    community=None,
    provided=(),
    uploads=None,
    note="",
    now=None,
):
    """File an application.

    window: any community clerk accepts any item (全科受理) for their community;
    proxy: a grid worker files for a resident of their grids (代办);
    online: a resident files for themselves on the phone.
    """
    now = now or timezone.now()
    if not item.active:
        raise ValidationError("该事项已停用", code=Code.INACTIVE)
    refuse_if_cancelled_proof(item)
    applicant_user = None
    if channel == Channel.ONLINE:
        if not has_permission(actor, "onewindow.apply"):
            raise PermissionDenied("没有在线申请的权限")
        if not item.channel_online:
            raise ValidationError(
                "该事项暂不支持网上申请，请到社区窗口办理", code=Code.CHANNEL
            )
        resident = resident_of(actor)
        applicant_user = actor
        place = resident.place
        community = community_of(place)
    elif channel == Channel.PROXY:
        if resident is None:
            raise ValidationError({"resident": "代办须选择服务对象（居民）"})
        if not item.channel_proxy:
            raise ValidationError("该事项不支持代办", code=Code.CHANNEL)
        require_covers(actor, resident.place, "onewindow.proxy", "该居民不在您的网格内")
        place = resident.place
        community = community_of(place)
    elif channel in (Channel.WINDOW, Channel.HOME):
        if community is None and resident is not None:
            community = community_of(resident.place)
        if community is None:
            raise ValidationError({"community": "请选择受理社区"})
        require_covers(actor, community, "onewindow.accept", "不能以该社区名义受理")
        place = resident.place if resident is not None else community
        if community_of(place) != community:
            place = community
    else:
        raise ValidationError({"channel": "无效的办理渠道"})
    if resident is not None:
        applicant_name = applicant_name or resident.name
        applicant_phone = applicant_phone or resident.phone
        applicant_user = applicant_user or resident.user
    if not (applicant_name or "").strip():
        raise ValidationError({"applicant_name": "请填写申请人姓名"})
    application = Application.objects.create(
        number=_next_number(now),
        item=item,
        channel=channel,
        applicant_name=applicant_name.strip()[:50],
        applicant_phone=(applicant_phone or "").strip(),
        resident=resident,
        applicant_user=applicant_user,
        community=community,
        place=place,
        proxy_by=actor if channel == Channel.PROXY else None,
        note=(note or "").strip()[:300],
        visits=1 if channel == Channel.WINDOW else 0,
        submitted_at=now,
    )
    ApplicationMaterial.objects.bulk_create(
        ApplicationMaterial(application=application, material=m)
        for m in item.materials.all()
    )
    ticked = _tick(application, provided, uploads)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=application,
        changes={"item": item.pk, "channel": channel, "materials": ticked},
    )
    if channel != Channel.WINDOW:
        _tell_window(application, f"新的{application.get_channel_display()}待受理")
    return application


def _tell_window(application, text):
    from django.contrib.auth import get_user_model

    from jiceng.core.models import Assignment

    clerks = get_user_model().objects.filter(
        pk__in=Assignment.objects.filter(
            active=True,
            place=application.community,
            role__in=["community_secretary", "community_staff"],
        ).values("user")
    )
    notify(
        clerks,
        f"{text}：{application.item.name}（{application.applicant_name}）",
        application.get_absolute_url(),
    )


def _tell_applicant(application, text):
    if application.applicant_user_id:
        notify(
            [application.applicant_user],
            f"{application.item.name}：{text}",
            f"/onewindow/my/applications/{application.pk}/",
            kind=NoticeKind.APPLICATION,
        )


def _locked(application, version=None):
    row = Application.objects.select_for_update().get(pk=application.pk)
    check_version(row, version)
    return row


def _save(row, actor, changes, *fields):
    row.version += 1
    row.save(update_fields=[*fields, "version"])
    audit.record(actor=actor, action=AuditAction.UPDATE, target=row, changes=changes)
    return row


@transaction.atomic
def check_materials(*, actor, application, provided=(), uploads=None, version=None):
    """The window ticks what the applicant brought (and scans it)."""
    row = _locked(application, version)
    require_in_scope(row, actor, "accept")
    if row.status not in (Status.SUBMITTED, Status.INCOMPLETE):
        raise bad_state("已受理的办件不能再修改材料")
    ticked = _tick(row, provided, uploads)
    return _save(row, actor, {"materials": ticked})


@transaction.atomic
def issue_notice(*, actor, application, note="", version=None, now=None):
    """一次性告知: list every missing material at once; never a second time."""
    row = _locked(application, version)
    require_in_scope(row, actor, "accept")
    if Notice.objects.filter(application=row).exists():
        raise ValidationError(
            "该办件已出具一次性告知书，不得再次要求补正其他材料",
            code=Code.NOTICE_ONCE,
        )
    if row.status != Status.SUBMITTED:
        raise bad_state(f"办件当前为“{row.get_status_display()}”，不能告知补正")
    missing = missing_materials(row)
    if not missing:
        raise ValidationError("材料已齐全，可直接受理", code=Code.COMPLETE)
    notice = Notice.objects.create(
        application=row,
        missing=[
            {"id": m.pk, "name": m.name, "requirement": m.requirement, "note": m.note}
            for m in missing
        ],
        note=(note or "").strip()[:300],
        issued_by=actor,
        issued_at=now or timezone.now(),
    )
    row.status = Status.INCOMPLETE
    _save(
        row,
        actor,
        {"status": row.status, "missing": [m.name for m in missing]},
        "status",
    )
    _tell_applicant(
        row, f"需补正{len(missing)}项材料：" + "、".join(m.name for m in missing)
    )
    return notice


def is_applicant(actor, application) -> bool:
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and application.applicant_user_id == actor.pk
    )


@transaction.atomic
def resupply(*, actor, application, provided=(), uploads=None, at_window=False):
    """The applicant (on the phone) or the window (the applicant came back) adds
    what the notice asked for; once nothing is missing the file waits for acceptance."""
    row = _locked(application)
    if not is_applicant(actor, row):
        require_in_scope(row, actor, "accept")
    elif at_window:
        raise PermissionDenied
    if row.status not in (Status.INCOMPLETE, Status.SUBMITTED):
        raise bad_state("办件当前不需要补正材料")
    ticked = _tick(row, provided, uploads)
    fields = []
    if at_window:
        row.visits = F("visits") + 1
        fields.append("visits")
    if row.status == Status.INCOMPLETE and not missing_materials(row):
        row.status = Status.SUBMITTED
        fields.append("status")
        _tell_window(row, "补正材料已齐全，待受理")
    _save(row, actor, {"materials": ticked, "at_window": at_window}, *fields)
    row.refresh_from_db()
    return row


@transaction.atomic
def accept(*, actor, application, version=None, now=None):
    """Accept a complete application; the deadline counts from now in working days.

    An item handled above the community goes on to its handling level at once.
    """
    now = now or timezone.now()
    row = _locked(application, version)
    require_in_scope(row, actor, "accept")
    refuse_if_cancelled_proof(row.item)
    if row.status != Status.SUBMITTED:
        raise bad_state(f"办件当前为“{row.get_status_display()}”，不能受理")
    missing = missing_materials(row)
    if missing:
        raise ValidationError(
            "材料不齐全，请先出具一次性告知书：" + "、".join(m.name for m in missing),
            code=Code.INCOMPLETE,
        )
    row.status = Status.ACCEPTED
    row.accepted_by, row.accepted_at = actor, now
    row.deadline = add_working_days(now, row.item.time_limit_days)
    row.handle_level = row.item.handle_level
    _save(
        row,
        actor,
        {"status": row.status, "deadline": row.deadline.isoformat()},
        "status",
        "accepted_by",
        "accepted_at",
        "deadline",
        "handle_level",
    )
    _tell_applicant(row, f"已受理，承诺{row.item.time_limit_days}个工作日内办结")
    if row.handle_level != Level.COMMUNITY:
        hand_off(actor=actor, application=row, now=now)
        row.refresh_from_db()
    return row


@transaction.atomic
def hand_off(*, actor, application, now=None):
    """Send an accepted application to the street or department that handles it."""
    row = _locked(application)
    require_in_scope(row, actor, "accept")
    if row.status != Status.ACCEPTED:
        raise bad_state("只有已受理的办件可以转办")
    if row.handle_level == Level.DEPARTMENT:
        row.handling_department = row.item.department
    elif row.handle_level == Level.STREET:
        row.handling_place = street_of(row.community)
    else:
        raise bad_state("社区办理的事项无需转办")
    row.status, row.handed_at = Status.HANDED, now or timezone.now()
    _save(
        row,
        actor,
        {"status": row.status, "to": row.handler_label},
        "status",
        "handed_at",
        "handling_place",
        "handling_department",
    )
    if row.handling_department_id:
        from django.contrib.auth import get_user_model

        from jiceng.core.models import Assignment

        notify(
            get_user_model().objects.filter(
                pk__in=Assignment.objects.filter(
                    active=True, department=row.handling_department
                ).values("user")
            ),
            f"一窗受理转办：{row.item.name}（{row.number}）",
            row.get_absolute_url(),
            kind=NoticeKind.TASK_ASSIGNED,
        )
    return row


def may_handle(actor, application) -> bool:
    """Whether the actor works at the application's handling level."""
    if getattr(actor, "is_superuser", False):
        return True
    if application.status not in (Status.ACCEPTED, Status.HANDED):
        return False
    if application.handling_department_id:
        return application.handling_department_id in departments_of(
            actor, "onewindow.handle"
        )
    target = application.handling_place or application.community
    return covers(actor, target, "onewindow.handle") and can(
        actor, application, "handle"
    )


@transaction.atomic
def decide(*, actor, application, approve, note="", version=None, now=None):
    """The handling level finishes the matter: granted or refused, with a reason."""
    row = _locked(application, version)
    if not can(actor, row, "handle") or not may_handle(actor, row):
        raise PermissionDenied("该办件不由您办理")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": "不予办理时请说明理由"})
    row.status = Status.DECIDED
    row.result = Result.APPROVED if approve else Result.REJECTED
    row.result_note, row.decided_at = note[:300], now or timezone.now()
    _save(
        row,
        actor,
        {"status": row.status, "result": row.result, "on_time": not row.is_overdue},
        "status",
        "result",
        "result_note",
        "decided_at",
    )
    _tell_applicant(row, f"已办结（{row.get_result_display()}）")
    return row


@transaction.atomic
def collect(*, actor, application, method, now=None):
    """Record how the result reached the applicant; a trip to the window counts."""
    row = _locked(application)
    require_in_scope(row, actor, "accept")
    if row.status != Status.DECIDED:
        raise bad_state("办结后才能登记领取")
    if method not in Collection.values:
        raise ValidationError({"method": "请选择领取方式"})
    row.status, row.collection = Status.COLLECTED, method
    row.collected_at = now or timezone.now()
    fields = ["status", "collection", "collected_at"]
    if method == Collection.WINDOW:
        row.visits = F("visits") + 1
        fields.append("visits")
    _save(row, actor, {"status": row.status, "collection": method}, *fields)
    row.refresh_from_db()
    return row


@transaction.atomic
def rate(*, actor, application, score, comment=""):
    """The applicant rates the service once it is finished (by login or token)."""
    row = _locked(application)
    if actor is not None and getattr(actor, "is_authenticated", False):
        if not is_applicant(actor, row):
            require_in_scope(row, actor, "accept")
    if row.status not in FINISHED:
        raise bad_state("办结后才能评价")
    if row.rating is not None:
        raise ValidationError("您已评价过该办件", code=Code.RATED)
    if not 1 <= int(score) <= 5:
        raise ValidationError({"score": "满意度为1至5分"})
    row.rating, row.rating_comment = int(score), (comment or "").strip()[:300]
    who = actor or "申请人（凭进度链接）"
    return _save(row, who, {"rating": row.rating}, "rating", "rating_comment")


@transaction.atomic
def withdraw(*, actor, application):
    row = _locked(application)
    if not is_applicant(actor, row):
        require_in_scope(row, actor, "accept")
    if row.status not in (Status.SUBMITTED, Status.INCOMPLETE):
        raise bad_state("已受理的办件不能撤回")
    row.status = Status.WITHDRAWN
    return _save(row, actor, {"status": row.status}, "status")


def by_token(token):
    if not token or len(token) > 32:
        return None
    return (
        Application.objects.select_related("item", "community", "handling_place")
        .filter(token=token)
        .first()
    )


# 最多跑一次: the applicant came to a window at most once.
AT_MOST_ONE_VISIT = Q(visits__lte=1)


def one_visit_rates(queryset, by):
    """最多跑一次: per `by` ("community" or "item"), finished applications and how
    many of them took at most one visit, with the rate in percent."""
    label = {"community": "community__name", "item": "item__name"}[by]
    rows = (
        queryset.filter(status__in=FINISHED)
        .order_by()
        .values(by, label)
        .annotate(
            finished=Count("pk"),
            at_most_once=Count("pk", filter=AT_MOST_ONE_VISIT),
        )
        .order_by(label)
    )
    return [
        {
            "id": r[by],
            "name": r[label],
            "finished": r["finished"],
            "at_most_once": r["at_most_once"],
            "rate": round(100 * r["at_most_once"] / r["finished"], 1),
        }
        for r in rows
    ]


def timeline(application):
    """What the applicant sees on the progress page, oldest first."""
    a = application
    steps = [("提交申请", a.submitted_at, a.get_channel_display())]
    notice = getattr(a, "notice", None) if hasattr(a, "notice") else None
    if notice is not None:
        steps.append(
            (
                "一次性告知补正",
                notice.issued_at,
                "、".join(m["name"] for m in notice.missing),
            )
        )
    if a.accepted_at:
        steps.append(
            (
                "社区受理",
                a.accepted_at,
                f"承诺{a.item.time_limit_days}个工作日内办结"
                f"（{timezone.localtime(a.deadline):%Y-%m-%d}前）",
            )
        )
    if a.handed_at:
        steps.append(("转办理单位", a.handed_at, a.handler_label))
    if a.decided_at:
        steps.append(("办结", a.decided_at, a.get_result_display()))
    if a.collected_at:
        steps.append(("领取", a.collected_at, a.get_collection_display()))
    return [s for s in steps if s[1] is not None]


def due_soon(queryset, now=None, days=2):
    now = now or timezone.now()
    return queryset.filter(
        status__in=(Status.ACCEPTED, Status.HANDED),
        deadline__gte=now,
        deadline__lt=now + timedelta(days=days),
    )
