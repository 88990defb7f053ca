from django import forms
from django.db.models import Q

from jiceng.core.models import Department
from jiceng.core.roles import Role
from jiceng.core.scope import has_permission, path_prefix, place_prefixes, user_roles
from jiceng.places.models import Place, PlaceKind

from .models import Category, Channel
from .services import MAX_EXTENSION_DAYS, categories_for_reporting, handling_places
from .workflow import STEPS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input (the Django documentation's pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def grouped_categories():
    groups = {}
    for category in categories_for_reporting():
        label = f"{category.get_type_display()}·{category.parent.name}"
        groups.setdefault(label, []).append((category.pk, category.name))
    return [("", "请选择"), *groups.items()]


def channel_choices(user):
    """The channels this person reports through: a dispatcher also types in hotline
    calls, a grid worker files patrol findings, a building lead relays residents."""
    channels = [Channel.SNAPSHOT]
    roles = user_roles(user)
    if Role.GRID_WORKER in roles:
        channels.insert(0, Channel.PATROL)
    if Role.BUILDING_LEAD in roles:
        channels.insert(0, Channel.BUILDING)
    if has_permission(user, "cases.dispatch"):
        channels.append(Channel.HOTLINE)
    return [(c.value, c.label) for c in channels]


class ReportForm(forms.Form):
    channel = forms.ChoiceField(label="来源", required=False)
    category = forms.TypedChoiceField(label="问题类别", coerce=int)
    description = forms.CharField(
        label="问题描述",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="说清楚在哪里、什么问题",
    )
    photos = PhotosField(label="现场照片", help_text="可选多张，每张不超过10MB")
    grid = forms.ModelChoiceField(
        label="所在网格",
        queryset=Place.objects.none(),
        required=False,
        help_text="在地图上点选位置时可不选",
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(label="详细地址", max_length=200, required=False)
    reporter_name = forms.CharField(label="联系人", max_length=50, required=False)
    reporter_phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    anonymous = forms.BooleanField(label="匿名上报（不公开联系人）", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = grouped_categories()
        self.fields["channel"].choices = channel_choices(user)
        self.fields["channel"].initial = self.fields["channel"].choices[0][0]
        if len(self.fields["channel"].choices) == 1:
            self.fields["channel"].widget = forms.HiddenInput()
        self.fields["grid"].queryset = (
            Place.objects.visible_to(user).filter(kind=PlaceKind.GRID).order_by("code")
        )

    def clean_channel(self):
        return self.cleaned_data["channel"] or self.fields["channel"].initial

    def clean_category(self):
        category = Category.objects.filter(pk=self.cleaned_data["category"]).first()
        if category is None:
            raise forms.ValidationError("请选择问题类别")
        return category


class StepForm(forms.Form):
    step = forms.ChoiceField(
        choices=[(name, step.label) for name, step in STEPS.items()],
        widget=forms.HiddenInput,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    department = forms.ModelChoiceField(
        label="承办部门", queryset=Department.objects.all(), required=False
    )
    grid = forms.ModelChoiceField(
        label="承办网格/物业",
        queryset=Place.objects.none(),
        required=False,
        help_text="琐事不出网格：派给案件所在网格；小区内的物业问题可派给该小区的物业公司",
    )
    days = forms.IntegerField(
        label="延期工作日", min_value=1, max_value=MAX_EXTENSION_DAYS, required=False
    )
    photos = PhotosField(label="处置后照片")

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = handling_places(case).filter(
            pk__in=Place.objects.visible_to(user).values("pk")
        )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="满意度",
        coerce=int,
        choices=[
            (5, "非常满意"),
            (4, "满意"),
            (3, "基本满意"),
            (2, "不满意"),
            (1, "非常不满意"),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label="意见", max_length=300, required=False)
    reopen = forms.BooleanField(label="问题未解决，申请重新办理", required=False)


# --- configuration -------------------------------------------------------------------


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
        places = Place.objects.filter(
            kind__in=[
                PlaceKind.DISTRICT,
                PlaceKind.STREET,
                PlaceKind.COMMUNITY,
                PlaceKind.GRID,
            ]
        )
        within = Q(pk__in=[])
        for prefix in place_prefixes(user, "cases.configure"):
            within |= path_prefix(prefix)
        self.fields["place"].queryset = places.filter(within).order_by("path")
