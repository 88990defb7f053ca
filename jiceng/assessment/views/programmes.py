"""示范项目/创投, community funds, honours and 述职评议 pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate
from jiceng.core.scope import get_visible_or_404, permission_required

from .. import services
from ..forms import AppraisalScoreForm
from ..models import (
    Application,
    ApplicationStatus,
    Appraisal,
    Budget,
    Call,
    Honour,
    Review,
    Spending,
)
from .common import act, flags, version_of


@permission_required("assessment.view")
def call_list(request):
    rows = Call.objects.visible_to(request.user).select_related("place")
    may = flags(request.user)
    return render(
        request,
        "assessment/call_list.html",
        {
            "page": paginate(request, rows),
            "open_calls": services.projects.open_calls(request.user)
            if may["can_apply"]
            else [],
            **may,
        },
    )


@permission_required("assessment.view")
def call_detail(request, pk):
    call = get_visible_or_404(Call.objects.select_related("place"), request.user, pk=pk)
    if request.method == "POST" and request.POST.get("step") == "allocate":
        return act(
            request,
            lambda: services.projects.rank_and_allocate(
                actor=request.user, call=call, version=version_of(request)
            ),
            "已完成排名和资助分配",
            call,
        )
    applications = call.applications.visible_to(request.user).select_related(
        "community", "unit"
    )
    return render(
        request,
        "assessment/call_detail.html",
        {
            "call": call,
            "applications": applications,
            "granted": sum(a.granted for a in applications),
            **flags(request.user),
        },
    )


@permission_required("assessment.view")
def application_list(request):
    rows = Application.objects.visible_to(request.user).select_related(
        "call", "community"
    )
    return render(
        request, "assessment/application_list.html", {"page": paginate(request, rows)}
    )


@permission_required("assessment.view")
def application_detail(request, pk):
    application = get_visible_or_404(
        Application.objects.select_related("call", "community", "unit"),
        request.user,
        pk=pk,
    )
    review = Review.objects.filter(
        application=application, expert__user=request.user
    ).first()
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "score":
            scores = {
                c["name"]: request.POST.get(f"c{n}")
                for n, c in enumerate(application.call.criteria)
            }
            return act(
                request,
                lambda: services.projects.score(
                    actor=request.user, application=application, scores=scores
                ),
                "评分已提交",
                application,
            )
        if step in ("eligible", "ineligible"):
            return act(
                request,
                lambda: services.projects.check_eligibility(
                    actor=request.user,
                    application=application,
                    eligible=step == "eligible",
                    note=request.POST.get("note", ""),
                ),
                "资格审查已记录",
                application,
            )
        if step == "evaluate":
            return act(
                request,
                lambda: services.projects.evaluate(
                    actor=request.user,
                    application=application,
                    grade=request.POST.get("grade", ""),
                    note=request.POST.get("note", ""),
                ),
                "结项评价已记录",
                application,
            )
    may_manage = flags(request.user)["can_projects"]
    return render(
        request,
        "assessment/application_detail.html",
        {
            "application": application,
            "review": review,
            "criteria": list(enumerate(application.call.criteria)),
            "reviews": application.reviews.select_related("expert")
            if may_manage
            else [],
            "milestones": application.milestones.all(),
            "files": application.files.all(),
            "S": ApplicationStatus,
            **flags(request.user),
        },
    )


@permission_required("assessment.funds")
def fund_list(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    rows = services.funds.summary(request.user, year)
    total = sum(r["budget"].amount for r in rows)
    used = sum(r["used"] for r in rows)
    return render(
        request,
        "assessment/fund_list.html",
        {
            "page": paginate(
                request,
                Budget.objects.visible_to(request.user)
                .filter(year=year)
                .select_related("community"),
            ),
            "rows": rows,
            "year": year,
            "total": total,
            "used": used,
            "rate": round(100 * used / total, 1) if total else None,
            "spendings": Spending.objects.visible_to(request.user)
            .filter(budget__year=year)
            .select_related("budget__community", "application", "activity", "wish")[
                :30
            ],
        },
    )


@permission_required("assessment.funds")
def fund_export(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    body = services.funds.export(request.user, year)
    response = HttpResponse(
        body,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="funds-{year}.xlsx"'
    return response


@permission_required("assessment.view")
def honour_list(request):
    rows = Honour.objects.visible_to(request.user).select_related("place")
    return render(
        request,
        "assessment/honour_list.html",
        {"page": paginate(request, rows), **flags(request.user)},
    )


@permission_required("assessment.view")
def honour_detail(request, pk):
    honour = get_visible_or_404(
        Honour.objects.select_related("place"), request.user, pk=pk
    )
    if request.method == "POST":
        return act(
            request,
            lambda: services.honours.advance(
                actor=request.user,
                honour=honour,
                reject=request.POST.get("step") == "reject",
            ),
            "已办理",
            honour,
        )
    return render(
        request,
        "assessment/honour_detail.html",
        {"honour": honour, **flags(request.user)},
    )


@permission_required("assessment.view")
def appraisal_list(request):
    rows = Appraisal.objects.visible_to(request.user).select_related("community")
    return render(
        request,
        "assessment/appraisal_list.html",
        {"page": paginate(request, rows), **flags(request.user)},
    )


@permission_required("assessment.view")
def appraisal_detail(request, pk):
    appraisal = get_visible_or_404(
        Appraisal.objects.select_related("community"), request.user, pk=pk
    )
    form = AppraisalScoreForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.honours.add_score(
                actor=request.user,
                appraisal=appraisal,
                kind=form.cleaned_data["kind"],
                scorer=form.cleaned_data["scorer"].strip() or str(request.user),
                score=form.cleaned_data["score"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "评分已记录")
            return redirect(appraisal)
    return render(
        request,
        "assessment/appraisal_detail.html",
        {
            "appraisal": appraisal,
            "scores": appraisal.scores.all(),
            "form": form,
            **flags(request.user),
        },
        status=400 if form.errors else 200,
    )
