"""矛盾纠纷 ledger, 排查 rounds and the rates by level (mediators and the community)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.htmx import paginate, query_without_page
from jiceng.core.scope import get_visible_or_404, permission_required

from .. import services
from ..filters import DisputeFilter
from ..forms import (
    AgreementForm,
    DisputeForm,
    EscalateForm,
    ReferForm,
    ScreeningForm,
    SessionForm,
)
from ..models import Dispute, DisputeKind, DisputeStatus, Level, ScreeningRound
from .common import act, flags, form_page


@permission_required("deliberation.mediate")
def dispute_list(request):
    visible = Dispute.objects.visible_to(request.user)
    rows = DisputeFilter(request.GET, queryset=visible).qs
    return render(
        request,
        "deliberation/dispute_list.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "rates": services.level_rates(visible),
            "statuses": DisputeStatus.choices,
            "kinds": DisputeKind.choices,
            "levels": Level.choices,
            "current": request.GET,
            **flags(request.user),
        },
    )


@permission_required("deliberation.mediate")
def dispute_new(request):
    form = DisputeForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: services.register_dispute(actor=request.user, **d),
        title="登记矛盾纠纷",
        submit="登记",
        success="纠纷已登记",
    )


@permission_required("deliberation.view")
def dispute_detail(request, pk):
    dispute = get_visible_or_404(
        Dispute.objects.select_related("place", "screening"), request.user, pk=pk
    )
    return render(
        request,
        "deliberation/dispute_detail.html",
        {
            "dispute": dispute,
            "parties": dispute.parties.all(),
            "sessions": dispute.sessions.all(),
            "session_form": SessionForm(
                initial={"mediator_name": dispute.mediator_name}
            ),
            "escalate_form": EscalateForm(),
            "agreement_form": AgreementForm(),
            "refer_form": ReferForm(),
            **flags(request.user),
        },
    )


def _dispute_step(request, pk, form_class, call, success):
    dispute = get_visible_or_404(Dispute.objects, request.user, "mediate", pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "请检查填写的内容")
        return redirect(dispute)
    return act(request, lambda: call(dispute, form.cleaned_data), success, dispute)


@require_POST
@permission_required("deliberation.mediate")
def dispute_session(request, pk):
    return _dispute_step(
        request,
        pk,
        SessionForm,
        lambda d, data: services.record_session(actor=request.user, dispute=d, **data),
        "调解经过已登记",
    )


@require_POST
@permission_required("deliberation.mediate")
def dispute_escalate(request, pk):
    return _dispute_step(
        request,
        pk,
        EscalateForm,
        lambda d, data: services.escalate(actor=request.user, dispute=d, **data),
        "已提交上一级调解",
    )


@require_POST
@permission_required("deliberation.mediate")
def dispute_settle(request, pk):
    return _dispute_step(
        request,
        pk,
        AgreementForm,
        lambda d, data: services.settle(actor=request.user, dispute=d, **data),
        "调解成功，已结案",
    )


@require_POST
@permission_required("deliberation.mediate")
def dispute_refer(request, pk):
    return _dispute_step(
        request,
        pk,
        ReferForm,
        lambda d, data: services.refer(actor=request.user, dispute=d, **data),
        "已移交",
    )


@permission_required("deliberation.mediate")
def screening_list(request):
    rows = ScreeningRound.objects.visible_to(request.user).select_related("grid")
    return render(
        request,
        "deliberation/screening_list.html",
        {"page": paginate(request, rows), **flags(request.user)},
    )


@permission_required("deliberation.mediate")
def screening_new(request):
    form = ScreeningForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: (
            services.record_screening(actor=request.user, **d)
            and "deliberation:screening_list"
        ),
        title="登记矛盾纠纷排查",
        submit="保存",
        success="排查情况已登记",
    )
