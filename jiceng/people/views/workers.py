"""New-employment workers: list, 报到 registration, edit, detail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from jiceng.core.forms import add_service_errors
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    has_permission,
    permission_required,
)
from jiceng.places.errors import PlaceError
from jiceng.places.resolver import place_by_code

from .. import services
from ..filters import WorkerFilter
from ..forms import WorkerForm
from ..models import GigWorker
from .common import filtered_list

COMMUNITY_ERRORS = {
    PlaceError.NOT_FOUND: "community_code",
    PlaceError.WRONG_KIND: "community_code",
}


@permission_required("people.view")
def worker_list(request):
    return filtered_list(
        request,
        queryset=GigWorker.objects.visible_to(request.user).select_related("community"),
        filterset_class=WorkerFilter,
        template="people/worker_list.html",
        partial="people/partials/worker_table.html",
        extra={"can_create": has_permission(request.user, "people.change")},
    )


@login_required
def worker_detail(request, pk):
    worker = get_visible_or_404(
        GigWorker.objects.select_related("community", "resident", "employer"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "people/worker_detail.html",
        {
            "worker": worker,
            "can_reveal": can(request.user, worker, "reveal"),
            "can_change": can(request.user, worker, "change"),
            "can_open_account": has_permission(request.user, "accounts.manage"),
        },
    )


@permission_required("people.change")
def worker_form(request, pk=None):
    worker, initial = None, {}
    if pk is not None:
        worker = get_visible_or_404(
            GigWorker.objects.select_related("community"), request.user, "change", pk=pk
        )
        initial = {
            f: getattr(worker, f)
            for f in (
                "name",
                "occupation",
                "platform",
                "service_area",
                "reported_on",
                "is_party_member",
                "note",
            )
        }
        initial["community_code"] = worker.community.code
    form = WorkerForm(request.POST or None, initial=initial, editing=worker is not None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            data["community"] = place_by_code(
                request.user,
                data.pop("community_code"),
                permission="people.change",
                kinds={"community"},
            )
            if not data.get("reported_on"):
                data.pop("reported_on")
            if worker is None:
                worker = services.create_worker(actor=request.user, **data)
            else:
                services.update_worker(actor=request.user, worker=worker, **data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, code_fields=COMMUNITY_ERRORS)
        else:
            messages.success(request, f"已保存“{worker.name}”")
            return redirect(worker)
    return render(
        request,
        "people/record_form.html",
        {
            "form": form,
            "record": worker,
            "list_url": "people:worker_list",
            "title": "编辑新就业群体人员" if worker else "新就业群体报到登记",
        },
        status=400 if form.errors else 200,
    )
