"""Forms: every choice list is restricted to what the user may act on."""

from django import forms
from django.utils import timezone

from jiceng.core.forms import DateInput
from jiceng.core.models import Department
from jiceng.people.models import Unit
from jiceng.places.models import PlaceKind
from jiceng.volunteer.forms import DATETIME, StyledForm, places_for
from jiceng.volunteer.models import Activity, Project, Resource, UnitRegistration

from .models import (
    Agreement,
    Alliance,
    AllianceMember,
    CommitmentKind,
    Evaluation,
    FourCo,
    Meeting,
    Organisation,
    PairKind,
    Venue,
)

CHANGE = "alliances.change"
DATE = DateInput()
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def governing_places(user):
    """Streets and communities where the user runs co-governance."""
    return places_for(user, CHANGE, [PlaceKind.STREET, PlaceKind.COMMUNITY])


def units_for(user):
    """Units of the user's subtrees (and their own), for owner and partner lists."""
    return Unit.objects.visible_to(user).order_by("name")


class StyledModelForm(forms.ModelForm):
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


class BookingForm(StyledForm):
    starts_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ends_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    purpose = forms.CharField(label="用途", max_length=200)
    attendees = forms.IntegerField(label="参加人数", min_value=1, max_value=100000)
    meeting = forms.ModelChoiceField(
        label="关联会议", queryset=Meeting.objects.none(), required=False
    )
    activity = forms.ModelChoiceField(
        label="关联志愿活动", queryset=Activity.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.now()
        self.fields["meeting"].queryset = Meeting.objects.visible_to(
            user, "change"
        ).filter(starts_at__gte=now)
        self.fields["activity"].queryset = Activity.objects.visible_to(
            user, "manage"
        ).filter(starts_at__gte=now)
        if not self.fields["meeting"].queryset.exists():
            del self.fields["meeting"]
        if not self.fields["activity"].queryset.exists():
            del self.fields["activity"]


class DecisionForm(StyledForm):
    approve = forms.TypedChoiceField(
        label="审批",
        choices=[("1", "批准"), ("0", "不批准")],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label="意见", max_length=200, required=False)


class VenueForm(StyledModelForm):
    class Meta:
        model = Venue
        fields = [
            "name",
            "kind",
            "place",
            "owner_unit",
            "address",
            "capacity",
            "facilities",
            "opens_at",
            "closes_at",
            "max_hours",
            "needs_approval",
            "active",
            "note",
        ]
        widgets = {"opens_at": TIME, "closes_at": TIME}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = governing_places(user)
        self.fields["owner_unit"].queryset = units_for(user)


class SeriesForm(StyledForm):
    title = forms.CharField(label="会议名称", max_length=120)
    kind = forms.ChoiceField(
        label="会议类型", choices=Meeting._meta.get_field("kind").choices
    )
    cadence = forms.ChoiceField(
        label="召开周期",
        choices=[
            ("monthly", "每月"),
            ("quarterly", "每季度"),
            ("semiannual", "每半年"),
        ],
    )
    place = forms.ModelChoiceField(label="召集街道/社区", queryset=None)
    alliance = forms.ModelChoiceField(
        label="所属联盟", queryset=Alliance.objects.none(), required=False
    )
    first_on = forms.DateField(label="首次召开", widget=DATE)
    hour = forms.IntegerField(label="开始（时）", min_value=7, max_value=20, initial=9)
    location = forms.CharField(label="默认地点", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = governing_places(user)
        self.fields["alliance"].queryset = Alliance.objects.visible_to(user, "change")


class MeetingForm(StyledForm):
    title = forms.CharField(label="会议名称", max_length=120)
    kind = forms.ChoiceField(
        label="会议类型", choices=Meeting._meta.get_field("kind").choices
    )
    place = forms.ModelChoiceField(label="召集街道/社区", queryset=None)
    alliance = forms.ModelChoiceField(
        label="所属联盟", queryset=Alliance.objects.none(), required=False
    )
    starts_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ends_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    location = forms.CharField(label="地点", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = governing_places(user)
        self.fields["alliance"].queryset = Alliance.objects.visible_to(user, "change")


class TopicForm(StyledForm):
    title = forms.CharField(label="议题", max_length=200)


class InviteForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=50)
    unit = forms.ModelChoiceField(
        label="单位", queryset=Unit.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label="部门", queryset=Department.objects.all(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user)


class MinutesForm(StyledForm):
    chair = forms.CharField(label="主持人", max_length=50, required=False)
    minutes = forms.CharField(
        label="会议纪要", widget=forms.Textarea(attrs={"rows": 5})
    )


class TaskDecisionForm(StyledForm):
    title = forms.CharField(label="议定事项", max_length=200)
    tag = forms.ChoiceField(
        label="四共", choices=[("", "—"), *FourCo.choices], required=False
    )
    due_on = forms.DateField(label="完成时限", widget=DATE)
    owner_unit = forms.ModelChoiceField(
        label="责任单位", queryset=Unit.objects.none(), required=False
    )
    owner_department = forms.ModelChoiceField(
        label="责任部门", queryset=Department.objects.all(), required=False
    )
    owner_name = forms.CharField(label="责任人", max_length=50, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units_for(user)


class ProgressForm(StyledForm):
    progress = forms.IntegerField(label="进度（%）", min_value=0, max_value=100)
    note = forms.CharField(label="进展情况", max_length=300)


class AgreementForm(StyledForm):
    title = forms.CharField(label="协议名称", max_length=150)
    place = forms.ModelChoiceField(label="街道/社区", queryset=None)
    unit = forms.ModelChoiceField(label="共建单位", queryset=None)
    alliance = forms.ModelChoiceField(
        label="所属联盟", queryset=Alliance.objects.none(), required=False
    )
    starts_on = forms.DateField(label="协议期起", widget=DATE)
    ends_on = forms.DateField(label="协议期止", widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = governing_places(user)
        self.fields["unit"].queryset = units_for(user)
        self.fields["alliance"].queryset = Alliance.objects.visible_to(user, "change")


class CommitmentForm(StyledForm):
    kind = forms.ChoiceField(label="类别", choices=CommitmentKind.choices)
    tag = forms.ChoiceField(
        label="四共", choices=[("", "—"), *FourCo.choices], required=False
    )
    title = forms.CharField(label="承诺内容", max_length=200)
    quantity = forms.DecimalField(
        label="数量", min_value=0.1, max_digits=10, decimal_places=1
    )
    measure = forms.CharField(label="计量单位", max_length=10, initial="次")
    project = forms.ModelChoiceField(
        label="对应项目清单", queryset=Project.objects.none(), required=False
    )
    resource = forms.ModelChoiceField(
        label="对应资源清单", queryset=Resource.objects.none(), required=False
    )
    registration = forms.ModelChoiceField(
        label="对应双报到（单位）",
        queryset=UnitRegistration.objects.none(),
        required=False,
    )

    def __init__(self, *args, agreement, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit = agreement.unit_id
        self.fields["project"].queryset = Project.objects.visible_to(user)
        self.fields["resource"].queryset = Resource.objects.visible_to(user).filter(
            unit_id=unit
        )
        self.fields["registration"].queryset = UnitRegistration.objects.visible_to(
            user
        ).filter(unit_id=unit)


class SignForm(StyledForm):
    place_signatory = forms.CharField(label="街道/社区签字人", max_length=50)
    unit_signatory = forms.CharField(label="单位签字人", max_length=50)
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    scan = forms.FileField(label="协议扫描件（PDF/图片）", required=False)


class RenewForm(StyledForm):
    starts_on = forms.DateField(label="新协议期起", widget=DATE)
    ends_on = forms.DateField(label="新协议期止", widget=DATE)


class ReasonForm(StyledForm):
    reason = forms.CharField(label="原因", max_length=300)


class EvaluateForm(StyledForm):
    evaluation = forms.ChoiceField(label="评价", choices=Evaluation.choices)
    note = forms.CharField(label="说明", max_length=300, required=False)


class AllianceForm(StyledForm):
    name = forms.CharField(label="名称", max_length=120)
    kind = forms.ChoiceField(
        label="类型", choices=Alliance._meta.get_field("kind").choices
    )
    place = forms.ModelChoiceField(label="牵头街道/社区", queryset=None)
    term_months = forms.IntegerField(
        label="轮值任期（月）", min_value=1, max_value=24, initial=3
    )
    charter = forms.CharField(
        label="章程/议事规则", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = governing_places(user)


class MemberForm(StyledForm):
    unit = forms.ModelChoiceField(label="成员单位", queryset=None, required=False)
    organisation = forms.ModelChoiceField(
        label="社会组织/群团组织", queryset=None, required=False
    )
    representative = forms.CharField(label="联络人", max_length=50, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user)
        self.fields["organisation"].queryset = Organisation.objects.visible_to(user)


class RotationForm(StyledForm):
    members = forms.ModelMultipleChoiceField(
        label="轮值顺序（按选择顺序）",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    first_on = forms.DateField(label="首任开始", widget=DATE)

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = AllianceMember.objects.filter(
            alliance=alliance, active=True
        )


class HandOverForm(StyledForm):
    report = forms.CharField(
        label="任期工作报告", widget=forms.Textarea(attrs={"rows": 4})
    )
    handover_note = forms.CharField(
        label="交接事项", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PlanForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="计划名称", max_length=120)
    summary = forms.CharField(
        label="总体安排", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PlanItemForm(StyledForm):
    title = forms.CharField(label="事项", max_length=200)
    tag = forms.ChoiceField(label="四共", choices=FourCo.choices)
    lead = forms.ModelChoiceField(label="牵头成员", queryset=None, required=False)
    due_on = forms.DateField(label="完成时限", widget=DATE, required=False)

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = AllianceMember.objects.filter(alliance=alliance)


class PairForm(StyledForm):
    kind = forms.ChoiceField(label="包联类型", choices=PairKind.choices)
    place = forms.ModelChoiceField(label="包联对象（小区/楼栋/社区）", queryset=None)
    unit = forms.ModelChoiceField(label="包联单位", queryset=None, required=False)
    cadre = forms.CharField(label="包联干部/领导", max_length=50, required=False)
    cadre_title = forms.CharField(label="职务", max_length=60, required=False)
    since = forms.DateField(label="包联起始", widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places_for(
            user, CHANGE, [PlaceKind.COMMUNITY, PlaceKind.COMPOUND, PlaceKind.BUILDING]
        )
        self.fields["unit"].queryset = units_for(user)


class VisitForm(StyledForm):
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    findings = forms.CharField(
        label="走访情况/发现问题", widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.ImageField(label="照片", required=False)


class OrganisationForm(StyledModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "place",
            "federation",
            "leader",
            "instructor",
            "members_count",
            "services",
            "active",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = governing_places(user)
        self.fields["federation"].queryset = Organisation.objects.visible_to(
            user
        ).filter(kind="federation")


class AgreementStepForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def agreement_choices(user):
    return Agreement.objects.visible_to(user, "change")
