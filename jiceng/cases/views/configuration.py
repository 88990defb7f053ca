"""Pages for case categories (time limits) and routing rules (派遣规则)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.scope import (
    get_visible_or_404,
    permission_required,
    place_path_allowed,
    place_prefixes,
)
from jiceng.places.models import Place

from .. import configuration
from ..forms import CategoryForm, RuleForm
from ..models import Category, RoutingRule


@permission_required("cases.configure")
def index(request):
    form = RuleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            configuration.add_rule(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已新增派遣规则")
            return redirect("cases:config")
    big_classes = Category.objects.filter(parent__isnull=True).prefetch_related(
        "children"
    )
    # The street's own rules, and the district's above it (read-only here).
    prefixes = place_prefixes(request.user, "cases.configure")
    above = {a for p in prefixes for a in Place.lineage_paths(p, include_self=False)}
    rules = list(
        RoutingRule.objects.filter(
            Q(pk__in=RoutingRule.objects.visible_to(request.user, "configure"))
            | Q(place__path__in=above)
        )
        .select_related("category", "place", "department")
        .order_by("place__path", "category__code")
    )
    for rule in rules:
        rule.editable = place_path_allowed(rule.place.path, prefixes)
    return render(
        request,
        "cases/config.html",
        {
            "big_classes": big_classes,
            "rules": rules,
            "form": form,
            "can_edit_categories": configuration.can_edit_categories(request.user),
        },
        status=400 if form.errors else 200,
    )


@permission_required("cases.configure")
def category_edit(request, pk=None):
    if not configuration.can_edit_categories(request.user):
        raise PermissionDenied
    category = get_object_or_404(Category, pk=pk) if pk else Category()
    # The form validates a copy: the service compares old and new values to audit.
    form = CategoryForm(
        request.POST or None,
        instance=Category.objects.get(pk=pk) if pk else None,
        initial=None if pk else {"parent": request.GET.get("parent")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            configuration.save_category(
                actor=request.user, category=category, data=form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存类别“{category.name}”")
            return redirect("cases:config")
    return render(
        request,
        "cases/category_form.html",
        {"form": form, "category": category},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("cases.configure")
def rule_delete(request, pk):
    rule = get_visible_or_404(RoutingRule.objects, request.user, "configure", pk=pk)
    try:
        configuration.delete_rule(actor=request.user, rule=rule)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已删除派遣规则")
    return redirect("cases:config")
