"""社区事务准入清单, 街道权责清单, 证明事项 and the departments' requests."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate
from jiceng.core.models import Department
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    grants_for,
    has_permission,
    permission_required,
)
from jiceng.places.models import Place, PlaceKind

from .. import services
from ..forms import MatterForm, RequestDecisionForm, RequestForm
from ..models import (
    CommunityMatter,
    PowerKind,
    ProofMatter,
    RequestStatus,
    StreetPower,
    TaskRequest,
)
from .common import act


def _district():
    return Place.objects.filter(kind=PlaceKind.DISTRICT).order_by("path").first()


@permission_required("onewindow.view")
def matter_list(request):
    matters = CommunityMatter.objects.visible_to(request.user).select_related(
        "department"
    )
    powers = StreetPower.objects.visible_to(request.user)
    counts = services.power_counts(powers)
    show = request.GET.get("show", "in_force")
    listed = matters.filter(removed_on__isnull=True) if show != "all" else matters
    return render(
        request,
        "onewindow/matters.html",
        {
            "page": paginate(request, listed, per_page=100),
            "show": show,
            "counts": services.matter_counts(matters),
            "powers": powers.select_related("department")[:500],
            "power_counts": [
                (label, counts.get(k, 0)) for k, label in PowerKind.choices
            ],
            "power_total": sum(counts.values()),
            "proofs": ProofMatter.objects.visible_to(request.user),
            "can_configure": has_permission(request.user, "onewindow.configure"),
            "form": MatterForm(),
        },
    )


@permission_required("onewindow.configure")
@require_POST
def matter_add(request):
    form = MatterForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写事项名称")
        return redirect("onewindow:matters")
    return act(
        request,
        lambda: services.add_matter(
            actor=request.user, district=_district(), **form.cleaned_data
        ),
        "已列入准入清单",
        "onewindow:matters",
    )


@permission_required("onewindow.configure")
@require_POST
def matter_remove(request, pk):
    matter = get_visible_or_404(CommunityMatter.objects, request.user, pk=pk)
    return act(
        request,
        lambda: services.remove_matter(
            actor=request.user, matter=matter, reason=request.POST.get("reason", "")
        ),
        "已移出准入清单",
        "onewindow:matters",
    )


@permission_required("onewindow.configure", "onewindow.request")
def request_list(request):
    rows = TaskRequest.objects.visible_to(request.user).select_related("department")
    return render(
        request,
        "onewindow/requests.html",
        {
            "page": paginate(request, rows),
            "can_request": has_permission(request.user, "onewindow.request"),
        },
    )


def _own_department(user):
    ids = [g.department_id for g in grants_for(user) if g.department_id]
    return Department.objects.filter(pk__in=ids).first()


@permission_required("onewindow.request")
def request_new(request):
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.file_request(
                actor=request.user,
                department=_own_department(request.user),
                district=_district(),
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已提交准入申请，等待区级审核")
            return redirect(row)
    return render(
        request,
        "onewindow/form.html",
        {
            "form": form,
            "title": "申请向社区交办事项",
            "submit": "提交申请",
            "lead": "未列入社区事务准入清单的事项，不得直接交由社区承担；区级对照清单审核。",
        },
        status=400 if form.errors else 200,
    )


@permission_required("onewindow.configure", "onewindow.request")
def request_detail(request, pk):
    row = get_visible_or_404(
        TaskRequest.objects.select_related("department", "matter"), request.user, pk=pk
    )
    matters = CommunityMatter.objects.visible_to(request.user).filter(
        removed_on__isnull=True
    )
    return render(
        request,
        "onewindow/request_detail.html",
        {
            "r": row,
            "can_decide": can(request.user, row, "configure")
            and row.status == RequestStatus.PENDING,
            "form": RequestDecisionForm(
                matters=matters, initial={"version": row.version}
            ),
        },
    )


@permission_required("onewindow.configure")
@require_POST
def request_decide(request, pk):
    row = get_visible_or_404(TaskRequest.objects, request.user, "configure", pk=pk)
    matters = CommunityMatter.objects.visible_to(request.user).filter(
        removed_on__isnull=True
    )
    form = RequestDecisionForm(request.POST, matters=matters)
    form.is_valid()
    data = form.cleaned_data
    return act(
        request,
        lambda: services.decide_request(
            actor=request.user,
            request=row,
            approve=request.POST.get("decision") == "approve",
            matter=data.get("matter"),
            note=data.get("note", ""),
            version=data.get("version"),
        ),
        "已审核",
        row,
    )
