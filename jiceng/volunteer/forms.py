"""Forms: every choice list is restricted to what the user may act on."""

from django import forms
from django.utils import timezone

from jiceng.core.forms import DateInput, DateTimeInput
from jiceng.core.scope import path_prefix, place_prefixes
from jiceng.places.models import Place, PlaceKind
from jiceng.places.picker import PlaceMultiPicker

from .models import (
    ActivityKind,
    Grade,
    ItemKind,
    Need,
    Recurrence,
    ResourceKind,
    TeamKind,
    ThemePlan,
    TimeSlot,
    Volunteer,
    WishCategory,
)
from .models.wishes import MAX_CLAIM_DAYS, MAX_SHARES

DATETIME = DateTimeInput()


class TimeSlotsField(forms.MultipleChoiceField):
    """Ticked service times, stored as "weekday,weekend" for the matcher."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(choices=TimeSlot.choices, **kwargs)

    def clean(self, value):
        return ",".join(super().clean(value))


def places_for(user, permission, kinds):
    """Places of the given kinds inside the subtrees where the user holds permission."""
    prefixes = place_prefixes(user, permission)
    if not prefixes:
        return Place.objects.none()
    condition = path_prefix(prefixes[0])
    for prefix in prefixes[1:]:
        condition |= path_prefix(prefix)
    # a grid worker's own grid counts as well as its compounds and buildings
    return Place.objects.filter(condition, kind__in=kinds).order_by("path")


def communities_for(user, permission="volunteer.manage"):
    return places_for(user, permission, [PlaceKind.COMMUNITY])


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class MemberRegistrationForm(StyledForm):
    commitments = forms.CharField(
        label="服务承诺",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        help_text="如：每月参加一次社区志愿服务",
    )
    claimed_items = forms.CharField(
        label="认领事项",
        max_length=500,
        required=False,
        help_text="如：楼道卫生、政策宣讲",
    )
    skills = forms.CharField(label="特长技能", max_length=200, required=False)
    available = TimeSlotsField(label="可服务时间")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["available"].widget.attrs["class"] = ""


class UnitRegistrationForm(StyledForm):
    community = forms.ModelChoiceField(label="报到社区", queryset=Place.objects.none())
    compounds = forms.ModelMultipleChoiceField(
        label="结对小区",
        queryset=Place.objects.none(),
        required=False,
        help_text="先选报到社区，再按名称搜索或逐级选择社区内的小区，可选多个",
        widget=PlaceMultiPicker(
            permission="volunteer.join",
            kinds=("compound",),
            include="[name='community']",
        ),
    )
    commitments = forms.CharField(
        label="服务承诺", widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
    claimed_items = forms.CharField(label="认领事项", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # any community of the district may receive a unit's registration
        self.fields["community"].queryset = Place.objects.filter(
            kind=PlaceKind.COMMUNITY
        ).order_by("path")
        self.fields["compounds"].queryset = Place.objects.filter(
            kind=PlaceKind.COMPOUND
        ).order_by("path")


class DecisionForm(StyledForm):
    note = forms.CharField(label="说明", max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UnitServiceForm(StyledForm):
    served_on = forms.DateField(label="服务日期", widget=DateInput())
    title = forms.CharField(label="服务内容", max_length=200)
    participants = forms.IntegerField(label="参与人数", min_value=1, initial=1)
    hours = forms.DecimalField(label="服务时长（小时）", min_value=0, max_digits=8)
    funds = forms.DecimalField(
        label="投入资金（元）", min_value=0, required=False, initial=0
    )


class EvaluationForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    grade = forms.ChoiceField(label="评定等次", choices=Grade.choices)
    comment = forms.CharField(label="评语", max_length=300, required=False)


class PeriodForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="季度",
        coerce=int,
        choices=[(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
    )


class ActivityForm(StyledForm):
    title = forms.CharField(label="活动名称", max_length=120)
    kind = forms.ChoiceField(label="类型", choices=ActivityKind.choices)
    community = forms.ModelChoiceField(label="主办社区", queryset=Place.objects.none())
    venue = forms.CharField(label="活动地点", max_length=200)
    starts_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ends_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    capacity = forms.IntegerField(label="招募人数", min_value=1, initial=10)
    skills = forms.CharField(label="技能要求", max_length=200, required=False)
    target_group = forms.CharField(label="服务对象", max_length=100, required=False)
    need = forms.ModelChoiceField(
        label="对应需求清单", queryset=Need.objects.none(), required=False
    )
    theme_plan = forms.ModelChoiceField(
        label="主题党日计划", queryset=ThemePlan.objects.none(), required=False
    )
    points_per_hour = forms.IntegerField(label="每小时积分", min_value=0, initial=10)
    lat = forms.FloatField(label="纬度", required=False)
    lng = forms.FloatField(label="经度", required=False)
    checkin_radius = forms.IntegerField(
        label="签到范围（米）",
        min_value=50,
        required=False,
        help_text="填写经纬度和范围后，签到时核对手机定位",
    )
    description = forms.CharField(
        label="活动内容", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    recurrence = forms.ChoiceField(
        label="重复",
        choices=Recurrence.choices,
        required=False,
        help_text="逢六上街等常态化活动：每个日期单独报名、签到、计时",
    )
    repeat_until = forms.DateField(
        label="重复至",
        required=False,
        widget=DateInput(),
        help_text="选择重复时必填，一个系列最多60场",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = communities_for(user)
        self.fields["community"].queryset = communities
        self.fields["need"].queryset = Need.objects.visible_to(user).filter(
            status__in=["open", "matched", "project"]
        )
        self.fields["theme_plan"].queryset = ThemePlan.objects.visible_to(user)
        if communities.count() == 1:
            self.fields["community"].initial = communities.first()


class CampaignForm(StyledForm):
    community = forms.ModelChoiceField(label="社区", queryset=Place.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(
        label="名称",
        max_length=100,
        required=False,
        help_text="不填则为“某社区某年“微心愿”征集”",
    )
    collect_from = forms.DateField(label="征集开始", widget=DateInput())
    collect_until = forms.DateField(label="征集截止", widget=DateInput())
    fulfil_until = forms.DateField(label="完成期限", widget=DateInput())
    hotline = forms.CharField(label="心愿热线", max_length=30, required=False)
    description = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = communities_for(user)
        self.fields["community"].queryset = communities
        if communities.count() == 1:
            self.fields["community"].initial = communities.first()
        today = timezone.localdate()
        self.fields["year"].initial = today.year


class ThemePlanForm(StyledForm):
    community = forms.ModelChoiceField(label="社区", queryset=Place.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12)
    theme = forms.CharField(label="主题", max_length=100)
    content = forms.CharField(
        label="内容安排", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities_for(user)


class HoursForm(StyledForm):
    title = forms.CharField(label="服务内容", max_length=200)
    started_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ended_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    evidence = forms.ImageField(label="现场照片", required=False)
    evidence_note = forms.CharField(
        label="佐证说明",
        max_length=300,
        required=False,
        help_text="照片或说明至少提供一项，如服务对象、证明人",
    )


class TeamForm(StyledForm):
    name = forms.CharField(label="队伍名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=TeamKind.choices)
    community = forms.ModelChoiceField(label="所属社区", queryset=Place.objects.none())
    specialities = forms.CharField(label="服务特长", max_length=200, required=False)
    description = forms.CharField(
        label="简介", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities_for(user)


class TeamMemberForm(StyledForm):
    volunteer = forms.ModelChoiceField(label="队员", queryset=Volunteer.objects.none())
    leader = forms.BooleanField(label="设为队长", required=False)

    def __init__(self, *args, team, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = Volunteer.objects.visible_to(user).filter(
            community=team.community
        )


class AdjustForm(StyledForm):
    points = forms.IntegerField(label="调整积分（可为负数）")
    reason = forms.CharField(label="调整原因", max_length=150)


class MallItemForm(StyledForm):
    community = forms.ModelChoiceField(label="所属社区", queryset=Place.objects.none())
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=ItemKind.choices)
    points = forms.IntegerField(label="所需积分", min_value=1)
    stock = forms.IntegerField(label="库存", min_value=0)
    sponsor = forms.CharField(label="提供单位", max_length=100, required=False)
    description = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities_for(user)


class WishForm(StyledForm):
    place = forms.ModelChoiceField(
        label="所在网格/小区/楼栋", queryset=Place.objects.none()
    )
    title = forms.CharField(label="心愿", max_length=100)
    category = forms.ChoiceField(label="类别", choices=WishCategory.choices)
    story = forms.CharField(
        label="心愿说明（公开）",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="只写本人同意公开的内容，不写姓名、住址、电话和困难类别",
    )
    alias = forms.CharField(label="公开称呼", max_length=30, help_text="如“李奶奶”")
    consent = forms.BooleanField(label="心愿人同意在心愿墙公开", required=False)
    estimated_cost = forms.DecimalField(
        label="预计金额（元）", min_value=0, required=False, initial=0
    )
    shares = forms.IntegerField(
        label="可分份认领", min_value=1, max_value=MAX_SHARES, initial=1
    )
    claim_days = forms.IntegerField(
        label="认领后完成期限（天）", min_value=1, max_value=MAX_CLAIM_DAYS, initial=14
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = places_for(
            user,
            "volunteer.collect",
            [PlaceKind.GRID, PlaceKind.COMPOUND, PlaceKind.BUILDING],
        )
        if not queryset.exists():
            queryset = places_for(
                user, "volunteer.manage", [PlaceKind.GRID, PlaceKind.COMPOUND]
            )
        self.fields["place"].queryset = queryset


class FulfilForm(StyledForm):
    note = forms.CharField(label="完成说明", max_length=300)
    photo = forms.ImageField(label="完成照片")


class ConfirmForm(StyledForm):
    name = forms.CharField(label="确认人", max_length=50, required=False)
    feedback = forms.CharField(label="反馈", max_length=300, required=False)


class NeedForm(StyledForm):
    community = forms.ModelChoiceField(label="社区", queryset=Place.objects.none())
    title = forms.CharField(label="需求", max_length=120)
    skills = forms.CharField(
        label="所需技能/资源", max_length=200, required=False, help_text="用顿号分隔"
    )
    time_slots = TimeSlotsField(label="服务时间", help_text="不勾选表示不限")
    people = forms.IntegerField(label="需要份数", min_value=1, initial=1)
    description = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities_for(user)


class ResourceForm(StyledForm):
    community = forms.ModelChoiceField(label="服务社区", queryset=Place.objects.none())
    kind = forms.ChoiceField(label="资源类型", choices=ResourceKind.choices)
    title = forms.CharField(label="资源", max_length=120)
    skills = forms.CharField(label="技能/资源标签", max_length=200, required=False)
    time_slots = TimeSlotsField(label="可服务时间", help_text="不勾选表示不限")
    capacity = forms.IntegerField(label="可服务份数", min_value=1, initial=1)
    max_distance = forms.IntegerField(
        label="服务半径（米）", min_value=100, initial=3000
    )
    as_unit = forms.BooleanField(label="以本单位名义提供", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Place.objects.filter(
            kind=PlaceKind.COMMUNITY
        ).order_by("path")


class ProjectForm(StyledForm):
    community = forms.ModelChoiceField(label="社区", queryset=Place.objects.none())
    title = forms.CharField(label="项目名称", max_length=120)
    needs = forms.ModelMultipleChoiceField(
        label="来源需求", queryset=Need.objects.none(), required=False
    )
    year = forms.IntegerField(label="年度", initial=lambda: timezone.localdate().year)
    practical = forms.BooleanField(label="列入为民办实事", required=False)
    budget = forms.DecimalField(label="预算（元）", min_value=0, initial=0)
    due_on = forms.DateField(label="计划完成", required=False, widget=DateInput())
    description = forms.CharField(
        label="项目内容", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities_for(user)
        self.fields["needs"].queryset = Need.objects.visible_to(user).filter(
            status__in=["open", "matched"]
        )


class ProgressForm(StyledForm):
    progress = forms.IntegerField(label="进度（%）", min_value=0, max_value=100)
    note = forms.CharField(label="进展", max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProjectEvaluationForm(StyledForm):
    score = forms.IntegerField(label="评议得分", min_value=0, max_value=100)
    comment = forms.CharField(label="评议意见", max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class StatsForm(StyledForm):
    place = forms.ModelChoiceField(
        label="地区",
        queryset=Place.objects.none(),
        required=False,
        empty_label="全部辖区",
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="季度",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[
            ("", "全年"),
            (1, "一季度"),
            (2, "二季度"),
            (3, "三季度"),
            (4, "四季度"),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places_for(
            user,
            "volunteer.view",
            [PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY],
        )


class ActivityEditForm(StyledForm):
    title = forms.CharField(label="活动名称", max_length=120)
    venue = forms.CharField(label="活动地点", max_length=200)
    starts_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ends_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    capacity = forms.IntegerField(label="招募人数", min_value=1)
    skills = forms.CharField(label="技能要求", max_length=200, required=False)
    target_group = forms.CharField(label="服务对象", max_length=100, required=False)
    points_per_hour = forms.IntegerField(label="每小时积分", min_value=0)
    lat = forms.FloatField(label="纬度", required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label="经度", required=False, min_value=-180, max_value=180)
    checkin_radius = forms.IntegerField(
        label="签到范围（米）", min_value=50, required=False
    )
    description = forms.CharField(
        label="活动内容", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class NeedEditForm(StyledForm):
    title = forms.CharField(label="需求", max_length=120)
    skills = forms.CharField(label="所需技能/资源", max_length=200, required=False)
    time_slots = TimeSlotsField(label="服务时间", help_text="不勾选表示不限")
    people = forms.IntegerField(label="需要份数", min_value=1)
    description = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_slots"].widget.attrs["class"] = ""


class ResourceEditForm(StyledForm):
    kind = forms.ChoiceField(label="资源类型", choices=ResourceKind.choices)
    title = forms.CharField(label="资源", max_length=120)
    skills = forms.CharField(label="技能/资源标签", max_length=200, required=False)
    time_slots = TimeSlotsField(label="可服务时间", help_text="不勾选表示不限")
    capacity = forms.IntegerField(label="可服务份数", min_value=1)
    max_distance = forms.IntegerField(label="服务半径（米）", min_value=100)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_slots"].widget.attrs["class"] = ""
