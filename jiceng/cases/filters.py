"""The case list's filters, shared by the page, the map, the export and the API."""

from datetime import datetime, time

from django import forms
from django.utils import timezone

from jiceng.core.models import Department

from .models import Case, Category, Channel, Status
from .services import past_due


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label="案卷号/描述",
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "class": "form-control form-control-sm"}
        ),
    )
    status = forms.ChoiceField(
        label="状态",
        choices=[("", "全部"), ("open", "未结案"), *Status.choices],
        required=False,
    )
    category = forms.ModelChoiceField(
        label="大类",
        queryset=Category.objects.filter(parent__isnull=True),
        required=False,
        empty_label="全部",
    )
    channel = forms.ChoiceField(
        label="来源", choices=[("", "全部"), *Channel.choices], required=False
    )
    department = forms.ModelChoiceField(
        label="承办部门",
        queryset=Department.objects.all(),
        required=False,
        empty_label="全部",
    )
    since = forms.DateField(
        label="上报自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="上报至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    mine = forms.BooleanField(label="我承办的", required=False)
    overdue = forms.BooleanField(label="已超期", required=False)
    supervised = forms.BooleanField(label="督办", required=False)


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_cases(cases, data, *, assigned):
    """Apply cleaned filter data; assigned is the Q of cases dispatched to the user."""
    if data.get("q"):
        text = data["q"].strip()
        cases = cases.filter(number__icontains=text) | cases.filter(
            description__icontains=text
        )
    if data.get("status") == "open":
        # IN, not =True: Django writes a bare column for =True, which SQLite
        # cannot look up in the (place, is_open, created_at) index
        cases = cases.filter(is_open__in=[True])
    elif data.get("status"):
        cases = cases.filter(status=data["status"])
    if data.get("category"):
        cases = cases.filter(category__parent=data["category"])
    if data.get("channel"):
        cases = cases.filter(channel=data["channel"])
    if data.get("department"):
        cases = cases.filter(department=data["department"])
    if data.get("since"):
        cases = cases.filter(created_at__gte=_day_start(data["since"]))
    if data.get("until"):
        cases = cases.filter(
            created_at__lt=_day_start(data["until"]) + timezone.timedelta(days=1)
        )
    if data.get("mine"):
        cases = cases.filter(assigned)
    if data.get("overdue"):
        cases = past_due(cases)
    if data.get("supervised"):
        cases = cases.filter(supervised=True)
    # newest first, ties broken by id: pages must not repeat or skip a case
    return cases.order_by("-created_at", "-pk")


def cases_for(user, params, assigned):
    """The user's visible cases narrowed by request parameters (invalid ones ignored)."""
    form = CaseFilterForm(params or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    cases = filter_cases(Case.objects.visible_to(user), data, assigned=assigned)
    return form, cases
