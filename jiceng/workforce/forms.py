"""Forms of the workforce pages; choice lists come from the user's scope."""

from django import forms

from jiceng.cases.services import categories_for_reporting

from .models import (
    CertificateKind,
    CourseKind,
    Force,
    Post,
    TeamRole,
    VisitKind,
    WorkerKind,
)


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


def _date(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class WorkerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    community = forms.ModelChoiceField(label="社区", queryset=None)
    kind = forms.ChoiceField(label="类别", choices=WorkerKind.choices)
    post = forms.ChoiceField(label="岗位", choices=Post.choices)
    grade = forms.IntegerField(label="等级", min_value=1, max_value=18)
    hired_on = _date("入职日期")
    phone = forms.CharField(label="手机号码", max_length=20, required=False)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label="证书", choices=CertificateKind.choices)
    number = forms.CharField(label="证书编号", max_length=40, required=False)
    issued_on = _date("发证日期")
    expires_on = forms.DateField(
        label="有效期至",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RoundForm(forms.Form):
    street = forms.ModelChoiceField(label="街道", queryset=None)
    title = forms.CharField(label="名称", max_length=100)
    positions = forms.IntegerField(label="招聘人数", min_value=1, max_value=500)
    written_weight = forms.IntegerField(
        label="笔试权重%", min_value=0, max_value=100, initial=60
    )
    held_on = _date("考试日期")

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets


class CourseForm(forms.Form):
    place = forms.ModelChoiceField(label="主办区域", queryset=None)
    kind = forms.ChoiceField(label="类别", choices=CourseKind.choices)
    title = forms.CharField(label="课程", max_length=100)
    organiser = forms.CharField(label="主办部门", max_length=100, required=False)
    held_on = _date("日期")
    hours = forms.DecimalField(label="学时", min_value=0, max_digits=4, initial=2)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class MentorForm(forms.Form):
    mentor = forms.ModelChoiceField(label="导师", queryset=None)
    mentee = forms.ModelChoiceField(label="新网格员", queryset=None)
    starts_on = _date("开始")
    ends_on = _date("结束")

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = workers
        self.fields["mentee"].queryset = workers


class TeamMemberForm(forms.Form):
    grid = forms.ModelChoiceField(label="网格", queryset=None)
    role = forms.ChoiceField(label="职责", choices=TeamRole.choices)
    force = forms.ChoiceField(
        label="四支队伍", choices=[("", "—"), *Force.choices], required=False
    )
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
