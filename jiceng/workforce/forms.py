"""Forms of the workforce pages; choice lists come from the user's scope."""

from django import forms

from jiceng.cases.services import categories_for_reporting

from .models import VisitKind


class PayTableForm(forms.Form):
    effective_from = forms.DateField(
        label="起始月份", widget=forms.DateInput(attrs={"type": "date"})
    )
    base = forms.DecimalField(label="基本工资（元/月）", min_value=0, max_digits=9)
    qualification = forms.DecimalField(
        label="持证社工津贴（元/月）", min_value=0, max_digits=9
    )
    grade_step = forms.DecimalField(
        label="等级津贴级差（元/级）",
        min_value=0,
        max_digits=9,
        help_text="1级津贴为级差×1，18级为级差×18",
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class FindingForm(forms.Form):
    description = forms.CharField(label="发现的问题", max_length=300)
    category = forms.ModelChoiceField(
        label="事件类别", queryset=None, required=False, empty_label="（稍后选择）"
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_for_reporting()


class VisitForm(forms.Form):
    household = forms.ModelChoiceField(label="户", queryset=None)
    kind = forms.ChoiceField(label="四员职责", choices=VisitKind.choices)
    notes = forms.CharField(
        label="走访情况", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    confirmed = forms.BooleanField(label="登记信息已核实无误", required=False)

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households


class ModeForm(forms.Form):
    area = forms.ModelChoiceField(label="范围", queryset=None)
    kind = forms.ChoiceField(label="类型")
    title = forms.CharField(label="名称", max_length=100)
    starts_at = forms.DateTimeField(
        label="开始", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label="预计结束", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, areas, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["kind"].choices = kinds
