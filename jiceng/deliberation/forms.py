"""Forms of the deliberation pages; every choice list is restricted to the user."""

from django import forms
from django.utils import timezone

from jiceng.core.forms import DateInput, DateTimeInput
from jiceng.places.models import Place, PlaceKind
from jiceng.volunteer.forms import places_for  # one definition, shared with alliances

from .models import (
    BodyKind,
    CommitteeKind,
    CompoundKind,
    Coverage,
    DisputeKind,
    MediatorKind,
    ReferredTo,
    Side,
    VoteUnit,
)
from .rules import Rule
from .workflow import Grade

DATETIME = DateTimeInput()
DATE = DateInput()


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-control")


class TopicForm(StyledForm):
    place = forms.ModelChoiceField(Place.objects.none(), label="涉及范围")
    title = forms.CharField(label="议题", max_length=100)
    description = forms.CharField(
        label="具体内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class DeskTopicForm(TopicForm):
    raiser_name = forms.CharField(label="提出人（居民姓名）", max_length=50)


class GradeForm(StyledForm):
    grade = forms.ChoiceField(label="等级", choices=Grade.choices)
    reason = forms.CharField(label="定级理由", max_length=200, required=False)


class ReasonForm(StyledForm):
    reason = forms.CharField(label="理由", max_length=500)


class ConsultationForm(StyledForm):
    held_on = forms.DateField(label="协商日期", widget=DATE, initial=timezone.localdate)
    venue = forms.CharField(label="地点", max_length=100)
    participants = forms.CharField(
        label="参加人员", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(
        label="协商结果", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class UrgentForm(StyledForm):
    attendees = forms.CharField(label="参加急议的两委成员", max_length=500)
    decision = forms.CharField(
        label="决定", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PollForm(StyledForm):
    unit = forms.ChoiceField(label="计票单位", choices=VoteUnit.choices)
    rule = forms.ChoiceField(label="表决规则", choices=Rule.choices)
    secret = forms.BooleanField(label="无记名投票", required=False, initial=True)
    opens_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    closes_at = forms.DateTimeField(label="截止时间", widget=DATETIME)
    meeting = forms.ModelChoiceField(
        queryset=None, label="会议（会上登记时选择）", required=False
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class ChoiceForm(StyledForm):
    choice = forms.ChoiceField(label="您的选择", widget=forms.RadioSelect)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(c, c) for c in choices]


class ObjectionForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=50)
    contact = forms.CharField(label="联系方式", max_length=50, required=False)
    text = forms.CharField(
        label="异议内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(StyledForm):
    answer = forms.CharField(label="答复", max_length=1000)


class TasksForm(StyledForm):
    tasks = forms.CharField(
        label="执行任务（每行一项：任务｜责任方）",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_tasks(self):
        rows = []
        for line in self.cleaned_data["tasks"].splitlines():
            title, _, owner = line.replace("|", "｜").partition("｜")
            if title.strip():
                rows.append({"title": title.strip(), "owner": owner.strip()})
        return rows


class ResultForm(StyledForm):
    result = forms.CharField(label="完成情况", max_length=300)


class FinishForm(StyledForm):
    report_back = forms.CharField(
        label="办理结果反馈", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RateForm(StyledForm):
    satisfaction = forms.TypedChoiceField(
        label="满意度",
        coerce=int,
        choices=[
            (5, "非常满意"),
            (4, "满意"),
            (3, "基本满意"),
            (2, "不满意"),
            (1, "很不满意"),
        ],
    )
    note = forms.CharField(label="意见", max_length=200, required=False)


class BodyForm(StyledForm):
    community = forms.ModelChoiceField(Place.objects.none(), label="社区")
    kind = forms.ChoiceField(label="类型", choices=BodyKind.choices)
    name = forms.CharField(label="名称", max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = places_for(
            user, "deliberation.manage", [PlaceKind.COMMUNITY]
        )


class MemberForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=50)
    side = forms.ChoiceField(label="代表方", choices=Side.choices)
    position = forms.CharField(label="职务", max_length=30, required=False)
    term_start = forms.DateField(label="任期开始", widget=DATE)
    term_end = forms.DateField(label="任期结束", widget=DATE, required=False)


class MeetingForm(StyledForm):
    title = forms.CharField(label="会议名称", max_length=100)
    starts_at = forms.DateTimeField(label="召开时间", widget=DATETIME)
    venue = forms.CharField(label="地点", max_length=100)
    notice = forms.CharField(
        label="会议通知", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecordForm(StyledForm):
    present = forms.MultipleChoiceField(
        label="出席成员", required=False, widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(
        label="会议纪要", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (m.pk, f"{m.name}（{m.get_side_display()}）") for m in members
        ]


class DiscussForm(StyledForm):
    topic = forms.ModelChoiceField(queryset=None, label="议题")
    summary = forms.CharField(
        label="讨论情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics
        for side, label in Side.choices:
            self.fields[f"position_{side}"] = forms.CharField(
                label=f"{label}意见",
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def positions(self):
        return [
            (side, self.cleaned_data.get(f"position_{side}") or "")
            for side in Side.values
        ]


class DisputeForm(StyledForm):
    grid = forms.ModelChoiceField(Place.objects.none(), label="网格")
    kind = forms.ChoiceField(label="纠纷类型", choices=DisputeKind.choices)
    summary = forms.CharField(
        label="纠纷概况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    parties = forms.CharField(
        label="当事人（每行一人：姓名｜身份）",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    mediator_kind = forms.ChoiceField(label="调解人类型", choices=MediatorKind.choices)
    mediator_name = forms.CharField(label="调解人", max_length=50)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = places_for(
            user, "deliberation.mediate", [PlaceKind.GRID]
        )

    def clean_parties(self):
        rows = []
        for line in self.cleaned_data["parties"].splitlines():
            name, _, role = line.replace("|", "｜").partition("｜")
            if name.strip():
                rows.append({"name": name.strip(), "role": role.strip() or "当事人"})
        return rows


class SessionForm(StyledForm):
    held_on = forms.DateField(label="调解日期", widget=DATE, initial=timezone.localdate)
    mediator_name = forms.CharField(label="调解人", max_length=50)
    notes = forms.CharField(
        label="调解经过", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EscalateForm(StyledForm):
    mediator_kind = forms.ChoiceField(
        label="上一级调解人类型", choices=MediatorKind.choices
    )
    mediator_name = forms.CharField(label="调解人", max_length=50)


class AgreementForm(StyledForm):
    agreement = forms.CharField(
        label="调解协议", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReferForm(StyledForm):
    referred_to = forms.ChoiceField(label="移交至", choices=ReferredTo.choices)
    note = forms.CharField(label="说明", max_length=500, required=False)


class ScreeningForm(StyledForm):
    grid = forms.ModelChoiceField(Place.objects.none(), label="网格")
    period_start = forms.DateField(label="排查开始", widget=DATE)
    period_end = forms.DateField(label="排查结束", widget=DATE)
    households_visited = forms.IntegerField(label="走访户数", min_value=0, initial=0)
    note = forms.CharField(
        label="排查情况",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = places_for(
            user, "deliberation.mediate", [PlaceKind.GRID]
        )


class ProfileForm(StyledForm):
    kind = forms.ChoiceField(label="小区类型", choices=CompoundKind.choices)
    committee_kind = forms.ChoiceField(label="自治组织", choices=CommitteeKind.choices)
    property_company = forms.CharField(label="物业公司", max_length=100, required=False)
    contract_start = forms.DateField(label="物业合同开始", widget=DATE, required=False)
    contract_end = forms.DateField(label="物业合同到期", widget=DATE, required=False)
    branch_secretary = forms.CharField(
        label="小区党支部书记", max_length=50, required=False
    )
    covered = forms.BooleanField(label="已覆盖（三无小区）", required=False)
    coverage = forms.ChoiceField(
        label="覆盖方式", choices=[("", "—"), *Coverage.choices], required=False
    )
    coverage_note = forms.CharField(label="覆盖说明", max_length=200, required=False)


class CommitteeForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=50)
    position = forms.CharField(label="职务", max_length=20, initial="委员")
    is_party_member = forms.BooleanField(label="党员", required=False)
    term_start = forms.DateField(label="任期开始", widget=DATE)
    term_end = forms.DateField(label="任期结束", widget=DATE, required=False)
