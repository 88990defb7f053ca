"""Key-population pages: the tag list and due-for-review work list, tag and review."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import get_visible_or_404, has_permission, permission_required

from .. import services
from ..filters import TagFilter
from ..forms import CategoryForm, ReviewForm, TagForm
from ..models import KeyPopulation, Resident, ResidentTag

TAG_JOINS = ("category", "resident", "resident__place")


@permission_required("people.view")
def tag_list(request):
    params = request.GET.copy()
    params.setdefault("status", "open")
    filterset = TagFilter(
        params,
        queryset=ResidentTag.objects.visible_to(request.user)
        .select_related(*TAG_JOINS)
        .order_by("next_review_on", "pk"),
    )
    counts = dict(
        ResidentTag.objects.visible_to(request.user)
        .filter(ended_on=None)
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    page = paginate(request, filterset.qs)
    # 复核 only where the reader may change the tag (its page is 404 elsewhere)
    reviewable = set(
        ResidentTag.objects.visible_to(request.user, "change")
        .filter(pk__in=[t.pk for t in page])
        .values_list("pk", flat=True)
    )
    return render_page(
        request,
        "people/tag_list.html",
        {
            "filter": filterset,
            "page": page,
            "reviewable": reviewable,
            "query": query_without_page(request),
            "categories": [
                (c, counts[c.pk]) for c in KeyPopulation.objects.all() if c.pk in counts
            ],
            "today": date.today(),
            "can_configure": has_permission(request.user, "people.configure"),
        },
        partial="people/partials/tag_table.html",
    )


@login_required
def tag_create(request, pk):
    resident = get_visible_or_404(
        Resident.objects.select_related("place"), request.user, "change", pk=pk
    )
    form = TagForm(
        request.POST or None,
        categories=services.categories_for(request.user, resident),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_resident(
                actor=request.user, resident=resident, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已登记重点人群标签")
            return redirect(resident)
    return render(
        request,
        "people/tag_form.html",
        {
            "form": form,
            "resident": resident,
            "title": f"登记重点人群：{resident.name}",
        },
        status=400 if form.errors else 200,
    )


@login_required
def tag_review(request, pk):
    tag = get_visible_or_404(
        ResidentTag.objects.select_related(*TAG_JOINS), request.user, "change", pk=pk
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_tag(actor=request.user, tag=tag, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已记录复核")
            return redirect(tag.resident)
    return render(
        request,
        "people/tag_form.html",
        {
            "form": form,
            "resident": tag.resident,
            "tag": tag,
            "title": f"复核：{tag.resident.name} · {tag.category.name}",
        },
        status=400 if form.errors else 200,
    )


@permission_required("people.configure")
def category_list(request):
    categories = KeyPopulation.objects.annotate(
        open_count=Count("tags", filter=Q(tags__ended_on=None))
    )
    return render(request, "people/category_list.html", {"categories": categories})


@permission_required("people.configure")
def category_form(request, pk=None):
    category = get_object_or_404(KeyPopulation, pk=pk) if pk else None
    initial = (
        {f: getattr(category, f) for f in services.CATEGORY_FIELDS} if category else {}
    )
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_category(
                actor=request.user, category=category, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("people:category_list")
    return render(
        request,
        "people/tag_form.html",
        {
            "form": form,
            "title": f"重点人群类别：{category.name}"
            if category
            else "新增重点人群类别",
            "back": "people:category_list",
        },
        status=400 if form.errors else 200,
    )
