"""Forms of the assessment entry pages; every choice list is restricted to the user
through Scope, and the services still check everything."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from jiceng.core.forms import DateInput
from jiceng.people.models import Unit, UnitKind
from jiceng.places.models import Place, PlaceKind
from jiceng.volunteer.forms import places_for
from jiceng.volunteer.models import Activity, Wish

from . import periods, services
from .models import (
    Application,
    ApplicationStatus,
    Budget,
    CallKind,
    Direction,
    Expert,
    FundSource,
    HonourKind,
    IndicatorSource,
    Normalisation,
    ScorerKind,
)

DATE = DateInput()
INDICATOR_ROWS = 6
CRITERIA_ROWS = 5


class StyledForm(forms.Form):
    def style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            if isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def _year():
    return forms.IntegerField(
        label="年度", min_value=2000, max_value=2100, initial=timezone.localdate().year
    )


def _money(label, required=True):
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        required=required,
    )


def _rows(form, count, columns):
    """(values…) of the filled rows of a fixed-rows form; a half-filled row errs."""
    rows = []
    for n in range(count):
        row = [form.cleaned_data.get(f"{name}{n}") for name, _ in columns]
        if all(v in (None, "") for v in row):
            continue
        if any(v in (None, "") for v in row):
            labels = "、".join(label for _, label in columns)
            raise forms.ValidationError(f"第{n + 1}行请填全{labels}")
        rows.append(row)
    return rows


class IndicatorSetForm(StyledForm):
    """A period's indicators as a few fixed rows; empty rows are ignored."""

    COLUMNS = (
        ("code", "代码"),
        ("label", "名称"),
        ("source", "来源"),
        ("weight", "权重"),
    )
    period = forms.CharField(label="期次（如2026Q4）", max_length=8)
    name = forms.CharField(label="指标体系名称", max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(INDICATOR_ROWS):
            self.fields[f"code{n}"] = forms.SlugField(
                label=f"第{n + 1}项 代码（英文）", max_length=20, required=False
            )
            self.fields[f"label{n}"] = forms.CharField(
                label=f"第{n + 1}项 名称", max_length=50, required=False
            )
            self.fields[f"source{n}"] = forms.ChoiceField(
                label=f"第{n + 1}项 来源",
                choices=[("", "请选择"), *IndicatorSource.choices],
                required=False,
            )
            self.fields[f"weight{n}"] = forms.DecimalField(
                label=f"第{n + 1}项 权重",
                max_digits=5,
                decimal_places=2,
                min_value=Decimal(0),
                required=False,
            )
        self.style()

    def clean_period(self):
        value = self.cleaned_data["period"].strip().upper()
        try:
            periods.bounds(value)
        except Exception:
            raise forms.ValidationError("请填写有效的期次，如2026Q4") from None
        return value

    def clean(self):
        data = super().clean()
        rows = _rows(self, INDICATOR_ROWS, self.COLUMNS)
        if not rows:
            raise forms.ValidationError("至少填写一项指标")
        data["indicators"] = [tuple(r) for r in rows]
        return data


def inspector_choices(user):
    """Staff holding the inspect permission within the user's places."""
    from jiceng.core.models import Assignment
    from jiceng.core.roles import ROLE_PERMISSIONS

    roles = [
        r for r, perms in ROLE_PERMISSIONS.items() if "assessment.inspect" in perms
    ]
    places = places_for(user, "assessment.inspect", list(PlaceKind.values))
    ids = Assignment.objects.filter(
        role__in=roles, active=True, place__in=places
    ).values_list("user_id", flat=True)
    return get_user_model().objects.filter(pk__in=ids).order_by("username")


class PlanForm(StyledForm):
    title = forms.CharField(label="督察名称", max_length=100)
    topic = forms.CharField(label="督察主题", max_length=200)
    place = forms.ModelChoiceField(Place.objects.none(), label="组织单位辖区")
    targets = forms.ModelMultipleChoiceField(
        Place.objects.none(), label="督察对象（可多选）"
    )
    checklist = forms.CharField(
        label="检查清单（每行一项）", widget=forms.Textarea(attrs={"rows": 4})
    )
    inspectors = forms.ModelMultipleChoiceField(
        get_user_model().objects.none(), label="督察人员（可多选）", required=False
    )
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places_for(
            user, "assessment.inspect", [PlaceKind.DISTRICT, PlaceKind.STREET]
        )
        self.fields["targets"].queryset = places_for(
            user, "assessment.inspect", [PlaceKind.STREET, PlaceKind.COMMUNITY]
        )
        self.fields["inspectors"].queryset = inspector_choices(user)
        self.style()

    def clean_checklist(self):
        return [
            line.strip()
            for line in self.cleaned_data["checklist"].splitlines()
            if line.strip()
        ]


class CallForm(StyledForm):
    COLUMNS = (("criterion", "评审标准"), ("weight", "权重"))
    kind = forms.ChoiceField(label="类型", choices=CallKind.choices)
    title = forms.CharField(label="名称", max_length=100)
    place = forms.ModelChoiceField(Place.objects.none(), label="评选范围")
    budget = _money("总预算（元）")
    max_grant = _money("单个项目资助上限（元）")
    deadline = forms.DateField(label="申报截止", widget=DATE)
    normalisation = forms.ChoiceField(label="分数处理", choices=Normalisation.choices)
    eligibility = forms.CharField(
        label="申报条件",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places_for(
            user, "assessment.projects", [PlaceKind.DISTRICT, PlaceKind.STREET]
        )
        for n in range(CRITERIA_ROWS):
            self.fields[f"criterion{n}"] = forms.CharField(
                label=f"评审标准{n + 1}", max_length=50, required=False
            )
            self.fields[f"weight{n}"] = forms.DecimalField(
                label=f"标准{n + 1}权重",
                max_digits=5,
                decimal_places=2,
                min_value=Decimal(0),
                required=False,
            )
        self.style()

    def clean(self):
        data = super().clean()
        rows = _rows(self, CRITERIA_ROWS, self.COLUMNS)
        if not rows:
            raise forms.ValidationError("至少填写一项评审标准")
        data["criteria"] = [{"name": n, "weight": w} for n, w in rows]
        for n in range(CRITERIA_ROWS):
            data.pop(f"criterion{n}", None)
            data.pop(f"weight{n}", None)
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several attachments from one input (the Django documentation's pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ApplyForm(StyledForm):
    title = forms.CharField(label="项目名称", max_length=100)
    community = forms.ModelChoiceField(Place.objects.none(), label="实施社区")
    unit = forms.ModelChoiceField(
        Unit.objects.none(),
        label="申报的社会组织（社区申报不选）",
        required=False,
    )
    summary = forms.CharField(
        label="项目简介", max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    requested = _money("申请金额（元）")
    files = FilesField(label="附件（可多选，最多5个，每个不超过10MB）")

    def __init__(self, *args, user, call, **kwargs):
        super().__init__(*args, **kwargs)
        from jiceng.core.models import Assignment

        own_units = Assignment.objects.filter(
            user=user, active=True, unit__isnull=False
        ).values_list("unit_id", flat=True)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=own_units).exclude(
            kind=UnitKind.PROPERTY
        )
        # a social organisation may run a project in any community of the call
        communities = Place.objects.filter(
            kind=PlaceKind.COMMUNITY, path__startswith=call.place.path
        )
        if not self.fields["unit"].queryset.exists():
            communities = communities.filter(
                pk__in=Place.objects.visible_to(user).values("pk")
            )
        self.fields["community"].queryset = communities.order_by("path")
        self.style()


class PanelForm(StyledForm):
    experts = forms.ModelMultipleChoiceField(
        Expert.objects.select_related("unit", "street"),
        label="评审专家（至少3人，回避本单位、本街道的项目）",
        widget=forms.CheckboxSelectMultiple,
    )
    per_application = forms.IntegerField(
        label="每个项目的评审专家数（不填为全部）", min_value=3, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class MilestoneForm(StyledForm):
    title = forms.CharField(label="节点", max_length=100)
    due_on = forms.DateField(label="计划完成", widget=DATE)
    done_on = forms.DateField(label="实际完成", widget=DATE, required=False)
    spent = _money("本节点支出（元）")
    report = forms.CharField(
        label="进展报告", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class BudgetForm(StyledForm):
    community = forms.ModelChoiceField(Place.objects.none(), label="社区")
    year = _year()
    source = forms.ChoiceField(label="经费来源", choices=FundSource.choices)
    amount = _money("预算金额（元）")
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = places_for(
            user, "assessment.funds", [PlaceKind.COMMUNITY]
        )
        self.style()


class SpendingForm(StyledForm):
    budget = forms.ModelChoiceField(Budget.objects.none(), label="预算")
    spent_on = forms.DateField(label="支出日期", widget=DATE)
    amount = _money("金额（元）")
    purpose = forms.CharField(label="用途", max_length=200)
    application = forms.ModelChoiceField(
        Application.objects.none(), label="关联项目", required=False
    )
    activity = forms.ModelChoiceField(
        Activity.objects.none(), label="关联活动", required=False
    )
    wish = forms.ModelChoiceField(
        Wish.objects.none(), label="关联微心愿", required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = (
            Budget.objects.visible_to(user)
            .select_related("community")
            .order_by("-year", "community__path")
        )
        self.fields["budget"].label_from_instance = lambda b: (
            f"{b.year}年 {b.community.name} {b.get_source_display()}"
        )
        self.fields["application"].queryset = Application.objects.visible_to(
            user
        ).filter(status=ApplicationStatus.FUNDED)
        # the latest 200 of each: a choice list, not the whole history
        for name, model in (("activity", Activity), ("wish", Wish)):
            latest = model.objects.visible_to(user).order_by("-pk")
            self.fields[name].queryset = model.objects.filter(
                pk__in=list(latest.values_list("pk", flat=True)[:200])
            ).order_by("-pk")
        self.style()


class HonourForm(StyledForm):
    kind = forms.ChoiceField(label="荣誉类别", choices=HonourKind.choices)
    year = _year()
    title = forms.CharField(label="荣誉称号", max_length=100)
    nominee = forms.CharField(label="推荐对象（姓名或组织名称）", max_length=100)
    place = forms.ModelChoiceField(Place.objects.none(), label="推荐单位辖区")
    deeds = forms.CharField(
        label="主要事迹（至少10个字）", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places_for(
            user,
            "assessment.honours",
            [PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY],
        )
        self.style()


class AppraisalForm(StyledForm):
    community = forms.ModelChoiceField(Place.objects.none(), label="社区")
    year = _year()
    secretary = forms.CharField(label="社区书记", max_length=50)
    report = forms.CharField(label="述职报告", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = places_for(
            user, "assessment.honours", [PlaceKind.COMMUNITY]
        )
        self.style()


class MutualForm(StyledForm):
    direction = forms.ChoiceField(label="方向", choices=Direction.choices)
    company = forms.ModelChoiceField(Unit.objects.none(), label="物业公司")
    community = forms.ModelChoiceField(Place.objects.none(), label="社区")
    period = forms.CharField(label="期次", max_length=8)
    score = forms.DecimalField(
        label="得分（0-100）",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    comment = forms.CharField(label="评语", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        companies, communities = services.property.mutual_choices(user)
        self.fields["company"].queryset = companies
        self.fields["community"].queryset = communities
        self.style()


class AppraisalScoreForm(StyledForm):
    kind = forms.ChoiceField(label="评分方", choices=ScorerKind.choices)
    scorer = forms.CharField(
        label="评分人（不填为本人）", max_length=50, required=False
    )
    score = forms.DecimalField(
        label="分数（0-100）",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()
