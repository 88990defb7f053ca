"""共建协议: list (with the expiring-soon view), draft, commitments, each lifecycle
step, and the evaluation of each commitment at term end."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.media import signed_url
from jiceng.core.scope import can, get_visible_or_404, permission_required

from ..filters import AgreementFilter
from ..forms import (
    AgreementForm,
    CommitmentForm,
    EvaluateForm,
    ReasonForm,
    RenewForm,
    SignForm,
)
from ..models import Agreement, Commitment
from ..services import agreements as services
from .common import act, flags, form_page


@permission_required("alliances.view")
def agreement_list(request):
    rows = Agreement.objects.visible_to(request.user).select_related("place", "unit")
    filters = AgreementFilter(request.GET or None, queryset=rows)
    return render_page(
        request,
        "alliances/agreement_list.html",
        {
            "page": paginate(request, filters.qs),
            "filter": filters,
            "query": query_without_page(request),
            "expiring": rows.expiring().order_by("ends_on")[:10],
            **flags(request.user),
        },
        partial="alliances/partials/agreement_rows.html",
    )


@permission_required("alliances.change")
def agreement_new(request):
    form = AgreementForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "草拟共建协议",
        lambda data: services.draft_agreement(actor=request.user, **data),
        submit="保存草稿",
    )


@permission_required("alliances.view")
def agreement_detail(request, pk):
    agreement = get_visible_or_404(
        Agreement.objects.select_related("place", "unit", "renewed_from"),
        request.user,
        pk=pk,
    )
    commitments = list(
        agreement.commitments.select_related("project", "registration", "resource")
    )
    for c in commitments:
        c.achieved = services.achieved(c)
        c.suggested = services.suggested_evaluation(c)
    manages = can(request.user, agreement, "change")
    ended = agreement.is_ended or agreement.ends_on <= timezone.localdate()
    return render(
        request,
        "alliances/agreement_detail.html",
        {
            "agreement": agreement,
            "commitments": commitments,
            "manages": manages,
            "ended": ended,
            "scan_url": signed_url(agreement.scan),
            "renewal": getattr(agreement, "renewal", None),
            "sign_form": SignForm(initial={"signed_on": timezone.localdate()}),
            "renew_form": RenewForm(),
            "reason_form": ReasonForm(),
            "evaluate_form": EvaluateForm(),
        },
    )


def _for_change(request, pk):
    return get_visible_or_404(Agreement.objects, request.user, "change", pk=pk)


@permission_required("alliances.change")
def commitment_new(request, pk):
    agreement = _for_change(request, pk)
    form = CommitmentForm(request.POST or None, agreement=agreement, user=request.user)

    def save(data):
        services.add_commitment(actor=request.user, agreement=agreement, **data)
        return agreement.get_absolute_url()

    return form_page(
        request,
        form,
        f"承诺事项：{agreement}",
        save,
        submit="添加",
        lead="关联已有的项目清单、资源清单或单位双报到后，完成情况从那里自动计数，不重复登记。",
    )


@permission_required("alliances.change")
def agreement_sign(request, pk):
    agreement = _for_change(request, pk)
    form = SignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_agreement(
                actor=request.user,
                agreement=agreement,
                version=request.POST.get("version") or None,
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "协议已签订")
            return redirect(agreement)
    return render(
        request,
        "alliances/form.html",
        {
            "form": form,
            "title": f"签订：{agreement}",
            "submit": "签订",
            "multipart": True,
        },
        status=400 if form.errors else 200,
    )


STEPS = {
    "start": services.start_performance,
    "expire": services.expire_agreement,
    "terminate": services.terminate_agreement,
    "renew": services.renew_agreement,
}


@require_POST
@permission_required("alliances.change")
def agreement_step(request, pk, step):
    """One lifecycle step: 履行 / 到期 / 终止 (with a reason) / 续签 (a new term)."""
    agreement = _for_change(request, pk)
    if step not in STEPS:
        messages.error(request, "未知操作")
        return redirect(agreement)
    extra = {}
    if step == "terminate":
        extra["reason"] = request.POST.get("reason", "")[:300]
    if step == "renew":
        form = RenewForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写新的协议期")
            return redirect(agreement)
        extra.update(form.cleaned_data)
    return act(
        request,
        lambda: STEPS[step](
            actor=request.user,
            agreement=agreement,
            version=request.POST.get("version") or None,
            **extra,
        ),
        "已续签，请完善新协议后签订" if step == "renew" else "协议状态已更新",
        agreement.get_absolute_url(),
    )


@require_POST
@permission_required("alliances.change")
def commitment_evaluate(request, pk):
    commitment = get_visible_or_404(
        Commitment.objects.select_related("agreement"), request.user, "change", pk=pk
    )
    form = EvaluateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择评价")
        return redirect(commitment.agreement)
    return act(
        request,
        lambda: services.evaluate_commitment(
            actor=request.user, commitment=commitment, **form.cleaned_data
        ),
        "评价已保存",
        commitment.agreement.get_absolute_url(),
    )


@require_POST
@permission_required("alliances.change")
def commitment_done(request, pk):
    commitment = get_visible_or_404(
        Commitment.objects.select_related("agreement"), request.user, "change", pk=pk
    )
    try:
        quantity = max(0, min(float(request.POST.get("quantity", "0")), 10**8))
    except ValueError:
        quantity = 0
    return act(
        request,
        lambda: services.record_done(
            actor=request.user, commitment=commitment, quantity=str(quantity)
        ),
        "完成数量已登记",
        commitment.agreement.get_absolute_url(),
    )
