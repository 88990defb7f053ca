"""The controls every form shares (core/forms.FormRenderer), read the same on any phone:
dates as 年-月-日, Chinese file buttons that open the camera, 请选择 and 全部 for blanks,
filters folded behind 筛选 with a count."""

import datetime

import django_filters
import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from jiceng.core.forms import DateInput, DateTimeInput
from jiceng.core.models import AuditEntry


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=DateInput())
    born_on = forms.DateField(label="出生日期")  # Django's own widget, no type given
    starts_at = forms.DateTimeField(label="开始时间", widget=DateTimeInput())
    photo = forms.ImageField(label="现场照片")
    sheet = forms.FileField(label="台账文件")
    kind = forms.ChoiceField(label="类型", choices=[("", "---------"), ("a", "甲")])
    urgent = forms.BooleanField(label="紧急", required=False)


def test_a_date_shows_and_reads_as_year_month_day_whatever_the_browser():
    # given a form with a date already filled in
    form = VisitForm(initial={"visited_on": datetime.date(2026, 3, 5)})

    # when it renders
    html = str(form["visited_on"])

    # then a text field shows 2026-03-05 with a 年-月-日 hint and a calendar button
    assert 'type="text"' in html and 'value="2026-03-05"' in html
    assert 'placeholder="年-月-日"' in html and "打开日历" in html
    assert 'type="date"' not in html  # the browser's mm/dd/yyyy never shows
    assert 'placeholder="年-月-日"' in str(form["born_on"])
    assert 'placeholder="年-月-日 时:分"' in str(form["starts_at"])


def test_dates_typed_or_picked_are_read_back():
    form = VisitForm(
        data={
            "visited_on": "2026-03-05",
            "born_on": "1960/01/02",
            "starts_at": "2026-03-05T09:30",  # what the phone's picker gives
            "kind": "a",
        }
    )
    form.is_valid()
    assert form.cleaned_data["visited_on"] == datetime.date(2026, 3, 5)
    assert form.cleaned_data["born_on"] == datetime.date(1960, 1, 2)
    assert form.cleaned_data["starts_at"].hour == 9


def test_a_photo_input_has_a_chinese_button_and_opens_the_camera():
    form = VisitForm()
    photo, sheet = str(form["photo"]), str(form["sheet"])
    assert "选择照片" in photo and 'accept="image/*"' in photo
    assert 'capture="environment"' in photo
    assert "选择文件" in sheet and "capture" not in sheet


def test_an_empty_choice_reads_please_choose_and_a_checkbox_is_a_form_check():
    form = VisitForm()
    assert "---------" not in str(form["kind"]) and "请选择" in str(form["kind"])
    html = Template('{% include "includes/form_fields.html" %}').render(
        Context({"form": form})
    )
    assert '<div class="mb-3 form-check">' in html


class CaseLikeFilter(django_filters.FilterSet):
    class Meta:
        model = AuditEntry
        fields = []

    status = django_filters.ChoiceFilter(label="状态", choices=[("open", "办理中")])
    member = django_filters.BooleanFilter(label="党员")
    q = django_filters.CharFilter(label="关键词")


@pytest.mark.parametrize(
    ("query", "active"),
    [({}, 0), ({"status": "open", "member": "true", "q": "路灯"}, 2)],
)
def test_a_filter_form_folds_behind_a_button_counting_active_filters(query, active):
    # given a list's filters, some in use
    request = RequestFactory().get("/cases/", query)
    form = CaseLikeFilter(request.GET).form

    # when the shared filter panel renders
    html = Template('{% include "includes/filter_form.html" %}').render(
        Context({"form": form, "request": request})
    )

    # then the search box stays in view, a 筛选 button counts the other filters in
    # use, and every blank reads 全部
    folded = html[html.index('class="col-12 order-last') :]
    assert 'name="q"' in html and 'name="q"' not in folded and 'name="status"' in folded
    assert "筛选" in html and "data-filter-count" in html
    assert f">{active}</span>" in html
    assert ("data-filter-count hidden" in html) == (active == 0)
    assert "---------" not in html and "未知" not in html
    assert html.count(">全部</option>") == 2
