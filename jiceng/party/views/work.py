"""Transfers awaiting acceptance, 两个覆盖, flexible organisations, standardisation
grades, the recruitment pipeline and 党费 statements."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.actions import act
from jiceng.core.crypto import blind_index
from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    has_permission,
    permission_required,
)
from jiceng.people.models import Resident, Unit
from jiceng.places.models import Place
from jiceng.transfer.workbooks import xlsx_response

from .. import services
from ..forms import (
    AdvanceForm,
    CoverageForm,
    DuesForm,
    FlexOrgForm,
    MemberLinkForm,
    RecruitForm,
    SendTransferForm,
)
from ..models import (
    Assessment,
    FlexOrg,
    MemberTransfer,
    PartyMember,
    PartyOrg,
    Recruit,
    Stage,
    TransferStatus,
    UnitCoverage,
)
from ..services.life import BRANCH_KINDS
from ..services.membership import pipeline_warnings
from ..services.transfers import incoming
from ..services.work import new_units

FORM = "edit_form.html"


@permission_required("party.view")
def transfer_list(request):
    status = request.GET.get("status", "")
    rows = MemberTransfer.objects.visible_to(request.user).select_related(
        "member__resident"
    )
    if status in TransferStatus.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "party/transfer_list.html",
        {
            "page": paginate(request, rows),
            "incoming": incoming(request.user).select_related("member__resident"),
            "statuses": TransferStatus.choices,
            "status": status,
        },
    )


@permission_required("party.change")
def transfer_send(request, pk):
    member = get_visible_or_404(
        PartyMember.objects.select_related("resident", "org"),
        request.user,
        "change",
        pk=pk,
    )
    # any branch of the district may receive; the receiving side accepts
    orgs = PartyOrg.objects.filter(kind__in=BRANCH_KINDS).exclude(pk=member.org_id)
    form = SendTransferForm(
        request.POST or None, orgs=orgs, initial={"version": member.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.send_transfer(
                actor=request.user, member=member, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已发起转接，待接收党组织确认")
            return redirect(member)
    return render(
        request,
        FORM,
        {
            "form": form,
            "title": f"发起组织关系转接：{member.resident.name}",
            "lead": "转接在接收党组织确认后生效；确认前党员仍在原党组织。",
            "back": member,
            "submit": "发起转接",
        },
        status=400 if form.errors else 200,
    )


def _transfer(request, pk):
    return get_visible_or_404(
        MemberTransfer.objects.select_related("member", "to_org"), request.user, pk=pk
    )


@require_POST
@permission_required("party.change")
def transfer_decide(request, pk, decision):
    transfer = _transfer(request, pk)
    note = request.POST.get("note", "")
    if decision not in ("accept", "reject", "cancel"):
        raise Http404
    call = {
        "accept": lambda: services.accept_transfer(
            actor=request.user, transfer=transfer, note=note
        ),
        "reject": lambda: services.reject_transfer(
            actor=request.user, transfer=transfer, note=note
        ),
        "cancel": lambda: services.cancel_transfer(
            actor=request.user, transfer=transfer, note=note
        ),
    }[decision]
    done = {"accept": "已接收", "reject": "已退回", "cancel": "已撤回"}[decision]
    return act(request, call, done, "party:transfer_list")


def _place_param(request):
    code = request.GET.get("place", "").strip()
    if not code:
        return None, ""
    place = Place.objects.visible_to(request.user).filter(code=code).first()
    if place is None:
        messages.error(request, f"找不到地点编码“{code}”或超出权限范围")
    return place, code


@permission_required("party.view")
def coverage_view(request):
    place, code = _place_param(request)
    rates = services.coverage_rates(new_units(request.user, place))
    return render(
        request,
        "party/coverage.html",
        {
            **rates,
            "place": place,
            "code": code,
            "uncovered": paginate(request, rates["uncovered"]),
        },
    )


@permission_required("party.change")
def coverage_edit(request, unit_pk):
    unit = get_visible_or_404(
        Unit.objects.select_related("place"), request.user, pk=unit_pk
    )
    coverage = UnitCoverage.objects.filter(unit=unit).first()
    initial = (
        {
            "org_form": coverage.org_form,
            "work_covered": coverage.work_covered,
            "industry": coverage.industry,
            "assignee": coverage.assignee,
            "version": coverage.version,
        }
        if coverage
        else {}
    )
    form = CoverageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_coverage(actor=request.user, unit=unit, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存覆盖情况")
            return redirect("party:coverage")
    return render(
        request,
        FORM,
        {"form": form, "title": f"两个覆盖：{unit.name}", "back": "/party/coverage/"},
        status=400 if form.errors else 200,
    )


@permission_required("party.view")
def flex_list(request):
    orgs = (
        FlexOrg.objects.visible_to(request.user)
        .select_related("place", "lead_unit")
        .annotate(n=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("kind", "name")
    )
    return render(
        request,
        "party/flex_list.html",
        {
            "page": paginate(request, orgs),
            "perms_change": has_permission(request.user, "party.change"),
        },
    )


@permission_required("party.view")
def flex_detail(request, pk):
    org = get_visible_or_404(
        FlexOrg.objects.select_related("place", "lead_unit", "parent"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "party/flex_detail.html",
        {
            "org": org,
            "members": org.members.select_related("member__resident", "member__org"),
            "flows": org.flowing_members.select_related("member__resident"),
            "units": org.covered_units.select_related("unit"),
            "can_change": can(request.user, org, "change"),
        },
    )


@require_POST
@permission_required("party.change")
def flex_dissolve(request, pk):
    org = get_visible_or_404(FlexOrg.objects, request.user, "change", pk=pk)
    return act(
        request,
        lambda: services.dissolve_flex_org(
            actor=request.user,
            org=org,
            on=timezone.localdate(),
            note=request.POST.get("note", ""),
            version=request.POST.get("version"),
        ),
        "已撤销",
        org.get_absolute_url(),
    )


@permission_required("party.view")
def standard_list(request):
    assess = request.GET.get("assess", "")
    if assess.isdigit():
        return redirect("party:self_assess", org_pk=int(assess))
    assessments = (
        Assessment.objects.visible_to(request.user)
        .select_related("org")
        .prefetch_related("rectifications")
    )
    can_change = has_permission(request.user, "party.change")
    return render(
        request,
        "party/standards.html",
        {
            "page": paginate(request, assessments),
            "year": timezone.localdate().year,
            "can_change": can_change,
            "branches": PartyOrg.objects.visible_to(request.user, "change")
            .filter(kind__in=BRANCH_KINDS)
            .order_by("path")
            if can_change
            else [],
        },
    )


@permission_required("party.view")
def recruit_list(request):
    recruits = Recruit.objects.visible_to(request.user).select_related(
        "resident", "org"
    )
    return render(
        request,
        "party/recruits.html",
        {
            "page": paginate(request, recruits),
            "warnings": pipeline_warnings(recruits),
            "perms_change": has_permission(request.user, "party.change"),
        },
    )


@permission_required("party.view")
def dues_export(request, org_pk):
    """党费 annual statement of a branch, for the 党委 above."""
    org = get_visible_or_404(PartyOrg.objects, request.user, pk=org_pk)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    members = list(
        PartyMember.objects.visible_to(request.user)
        .filter(org=org)
        .select_related("resident")
        .order_by("resident__name")
    )
    statements = services.annual_statement(members, year)
    header = ["姓名", *[f"{m}月" for m in range(1, 13)], "合计（元）", "欠缴月份"]
    rows = [header] + [
        [
            s.member.resident.name,
            *[s.paid[m].amount if m in s.paid else None for m in range(1, 13)],
            s.total,
            "、".join(str(m) for m in s.owed_months),
        ]
        for s in statements
    ]
    return xlsx_response(rows, f"党费{year}-{org.name}.xlsx", title="党费")


def _form_page(request, form, call, *, title, back, success, lead=""):
    """Run call(cleaned_data) on a valid POST; show a refusal on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(
        request,
        FORM,
        {"form": form, "title": title, "back": back, "lead": lead},
        status=400 if form.errors else 200,
    )


def _place_by_code(user, code, field="place_code"):
    place = Place.objects.visible_to(user).filter(code=code.strip()).first()
    if place is None:
        raise ValidationError({field: "找不到该地点编码或超出权限范围"})
    return place


@permission_required("party.change")
def recruit_create(request):
    orgs = PartyOrg.objects.visible_to(request.user, "change").filter(
        kind__in=BRANCH_KINDS
    )
    form = RecruitForm(request.POST or None, orgs=orgs)

    def call(data):
        digest = blind_index(data["id_number"].strip().upper(), purpose="id_number")
        resident = (
            Resident.objects.visible_to(request.user)
            .filter(id_number_index=digest)
            .first()
        )
        if resident is None:
            raise ValidationError({"id_number": "辖区居民中没有该身份证号"})
        services.add_recruit(
            actor=request.user,
            resident=resident,
            org=data["org"],
            applied_on=data["applied_on"],
            introducers=data["introducers"],
        )

    return _form_page(
        request,
        form,
        call,
        title="登记入党申请人",
        back="/party/recruits/",
        success="已登记入党申请人",
    )


@permission_required("party.change")
def recruit_advance(request, pk):
    recruit = get_visible_or_404(
        Recruit.objects.select_related("resident", "org"), request.user, pk=pk
    )
    if recruit.stage == "full":
        raise Http404
    form = AdvanceForm(
        request.POST or None,
        initial={"on": timezone.localdate(), "version": recruit.version},
    )
    nxt = Stage.values[Stage.values.index(recruit.stage) + 1]
    return _form_page(
        request,
        form,
        lambda data: services.advance(
            actor=request.user, recruit=recruit, on=data["on"], version=data["version"]
        ),
        title=f"{recruit.resident.name}：确定为{Stage(nxt).label}",
        lead=f"当前阶段：{recruit.get_stage_display()}；系统按规定的最短期限核对日期。",
        back="/party/recruits/",
        success=f"已确定为{Stage(nxt).label}",
    )


@permission_required("party.change")
def flex_create(request):
    form = FlexOrgForm(request.POST or None)

    def call(data):
        data = dict(data)
        place = _place_by_code(request.user, data.pop("place_code"))
        services.create_flex_org(actor=request.user, place=place, **data)

    return _form_page(
        request,
        form,
        call,
        title="新建临时党支部/功能型党组织",
        back="/party/flex/",
        success="已新建",
    )


@permission_required("party.change")
def flex_attach(request, pk):
    org = get_visible_or_404(FlexOrg.objects, request.user, "change", pk=pk)
    member_pk = request.POST.get("member", "")
    member = (
        PartyMember.objects.visible_to(request.user).filter(pk=member_pk).first()
        if member_pk.isdigit()
        else None
    )
    if request.method != "POST" or member is None:
        messages.error(request, "请选择党员")
        return redirect(org)
    return act(
        request,
        lambda: services.attach_member(
            actor=request.user,
            org=org,
            member=member,
            role=request.POST.get("role", ""),
        ),
        f"{member}已加入，组织关系不变",
        org.get_absolute_url(),
    )


@permission_required("party.change")
def post_assign(request, member_pk):
    member = get_visible_or_404(
        PartyMember.objects, request.user, "change", pk=member_pk
    )
    form = MemberLinkForm(request.POST or None, initial={"since": timezone.localdate()})

    def call(data):
        data = dict(data)
        place = _place_by_code(request.user, data.pop("place_code"))
        services.assign_post(actor=request.user, member=member, place=place, **data)

    return _form_page(
        request,
        form,
        call,
        title=f"设岗定责：{member}",
        back=member.get_absolute_url(),
        success="已设岗",
    )


@permission_required("party.change")
def dues_pay(request, member_pk):
    member = get_visible_or_404(
        PartyMember.objects, request.user, "change", pk=member_pk
    )
    today = timezone.localdate()
    form = DuesForm(
        request.POST or None,
        initial={"year": today.year, "month": today.month, "paid_on": today},
    )
    return _form_page(
        request,
        form,
        lambda data: services.pay_dues(actor=request.user, member=member, **data),
        title=f"登记党费：{member}",
        lead="应缴金额按全区党费档次由缴费基数计算。",
        back=member.get_absolute_url(),
        success="已登记党费",
    )
