"""Pages for case categories (time limits) and routing rules (派遣规则)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.models import Department
from jiceng.core.scope import get_visible_or_404, place_path_allowed, place_prefixes
from jiceng.places.models import Place, PlaceKind

from . import configuration
from .models import Category, RoutingRule


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "parent",
            "code",
            "name",
            "respond_hours",
            "handle_days",
            "verify_days",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Category.objects.filter(parent__isnull=True)
        if self.instance.pk:  # code and class are fixed once cases use them
            del self.fields["parent"], self.fields["code"]
        else:
            self.fields["parent"].required = True


class RuleForm(forms.Form):
    category = forms.ModelChoiceField(
        label="类别（大类规则适用于其下全部小类）",
        queryset=Category.objects.filter(active=True),
    )
    place = forms.ModelChoiceField(label="适用区域", queryset=Place.objects.none())
    department = forms.ModelChoiceField(
        label="派往部门", queryset=Department.objects.all(), required=False
    )
    to_grid = forms.BooleanField(label="派往所在网格（琐事不出网格）", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        prefixes = place_prefixes(user, "cases.configure")
        places = Place.objects.filter(
            kind__in=[
                PlaceKind.DISTRICT,
                PlaceKind.STREET,
                PlaceKind.COMMUNITY,
                PlaceKind.GRID,
            ]
        )
        condition = None
        for prefix in prefixes:
            part = Place.objects.filter(path__startswith=prefix)
            condition = part if condition is None else condition | part
        self.fields["place"].queryset = (
            places & condition if condition is not None else places.none()
        ).order_by("path")


def _require_configure(user):
    if not configuration.can_edit_rules(user):
        raise PermissionDenied


@login_required
def index(request):
    _require_configure(request.user)
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


@login_required
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


@login_required
@require_POST
def rule_delete(request, pk):
    rule = get_visible_or_404(RoutingRule.objects, request.user, "configure", pk=pk)
    try:
        configuration.delete_rule(actor=request.user, rule=rule)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已删除派遣规则")
    return redirect("cases:config")
