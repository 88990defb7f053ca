"""三张清单: needs, resources, matching proposals, projects; public 为民办实事."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.bounds import parse_id
from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page
from jiceng.core.scope import can, get_visible_or_404, permission_required

from .. import services
from ..filters import PracticalFilter
from ..forms import (
    NeedForm,
    ProgressForm,
    ProjectEvaluationForm,
    ProjectForm,
    ResourceForm,
    communities_for,
)
from ..models import Match, Need, Project, Resource
from ..services.edits import editable_resource_ids
from ..services.lists import is_claimant
from ..services.wishes import unit_of
from .common import act, flags


@permission_required("volunteer.view")
def needs(request):
    form = NeedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.add_need(actor=request.user, **data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已加入需求清单")
            return redirect("volunteer:needs")
    rows = Need.objects.visible_to(request.user).select_related("community", "place")
    return render(
        request,
        "volunteer/needs.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "form": form,
            **flags(request.user),
        },
        status=400 if form.errors else 200,
    )


@permission_required("volunteer.view")
def resources(request):
    form = ResourceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_resource(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已加入资源清单")
            return redirect("volunteer:resources")
    rows = Resource.objects.visible_to(request.user).select_related(
        "community", "unit", "volunteer"
    )
    page = paginate(request, rows)
    return render(
        request,
        "volunteer/resources.html",
        {
            "page": page,
            "editable": editable_resource_ids(request.user, list(page)),
            "query": query_without_page(request),
            "form": form,
            "is_unit": unit_of(request.user) is not None,
            **flags(request.user),
        },
        status=400 if form.errors else 200,
    )


@permission_required("volunteer.manage")
def matches(request):
    communities = communities_for(request.user)
    if request.method == "POST":
        community = get_object_or_404(
            communities, pk=parse_id(request.POST.get("community"))
        )
        return act(
            request,
            lambda: services.propose_matches(actor=request.user, community=community),
            lambda made: f"已生成 {len(made)} 条对单配餐建议",
            "volunteer:matches",
        )
    rows = (
        Match.objects.visible_to(request.user)
        .suggestions()
        .select_related("need", "resource", "resource__unit", "resource__volunteer")
    )
    return render(
        request,
        "volunteer/matches.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "communities": communities,
        },
    )


@permission_required("volunteer.manage")
@require_POST
def match_decide(request, pk):
    match = get_visible_or_404(Match.objects, request.user, "manage", pk=pk)
    accept = request.POST.get("decision") == "accept"
    return act(
        request,
        lambda: services.decide_match(actor=request.user, match=match, accept=accept),
        "已采纳，需求已对接" if accept else "已不采纳",
        "volunteer:matches",
    )


@permission_required("volunteer.view")
def projects(request):
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            project = services.create_project(
                actor=request.user, needs=list(data.pop("needs")), **data
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已加入项目清单，等待认领")
            return redirect(project)
    # staff: their communities' projects; members and units: the 项目认领 list
    # (open projects anywhere) and their own claims — both by Project.scope
    rows = Project.objects.visible_to(request.user).select_related(
        "community", "claim_unit", "claim_volunteer"
    )
    return render(
        request,
        "volunteer/projects.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "form": form,
            **flags(request.user),
        },
        status=400 if form.errors else 200,
    )


@permission_required("volunteer.view")
def project_detail(request, pk):
    project = get_visible_or_404(Project.objects, request.user, pk=pk)
    user = request.user
    return render(
        request,
        "volunteer/project_detail.html",
        {
            "project": project,
            "updates": project.updates.all(),
            "needs": project.needs.all(),
            "managing": can(user, project, "manage"),
            "claimant": is_claimant(user, project),
            "unit": unit_of(user),
            "progress_form": ProgressForm(
                initial={"progress": project.progress, "version": project.version}
            ),
            "evaluation_form": ProjectEvaluationForm(
                initial={"version": project.version}
            ),
            **flags(user),
        },
    )


@permission_required("volunteer.view")
@require_POST
def project_action(request, pk, action):
    project = get_visible_or_404(Project.objects, request.user, pk=pk)
    if action == "claim":
        call = lambda: services.claim_project(  # noqa: E731
            actor=request.user,
            project=project,
            as_unit=request.POST.get("as") == "unit",
            version=int(request.POST.get("version", project.version)),
        )
        done = "认领成功"
    elif action == "progress":
        form = ProgressForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写进度和进展")
            return redirect(project)
        call = lambda: services.report_progress(  # noqa: E731
            actor=request.user, project=project, **form.cleaned_data
        )
        done = "已更新进度"
    elif action == "evaluate":
        form = ProjectEvaluationForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写评议得分")
            return redirect(project)
        call = lambda: services.evaluate_project(  # noqa: E731
            actor=request.user, project=project, **form.cleaned_data
        )
        done = "已完成评议"
    else:
        raise PermissionDenied
    return act(request, call, done, project)


def practical(request):
    """为民办实事: the year's practical projects and their progress, public."""
    projects = PracticalFilter(request.GET, queryset=Project.objects.all())
    rows = (
        projects.qs.select_related("community", "claim_unit")
        .prefetch_related("updates")
        .order_by("community__path", "pk")
    )
    return render(
        request,
        "volunteer/practical.html",
        {"rows": rows, "year": int(projects.chosen_year)},
    )
