"""Party forms; every choice list is limited to what the user may act on."""

from django import forms
from django.db.models import Q

from jiceng.core.forms import DateInput
from jiceng.core.scope import path_prefix, place_prefixes
from jiceng.people.models import Unit
from jiceng.places.models import Place

from .models import (
    FlexKind,
    FlowDirection,
    Industry,
    MeetingForm,
    MeetingKind,
    MemberStatus,
    PartyOrg,
    PartyOrgKind,
    Period,
    PostKind,
    StandardArea,
)
from .models import OrgForm as CoverageKind
from .services import unit_ids
from .services.life import RECORDED_KINDS


class OrgForm(forms.Form):
    name = forms.CharField(label="组织名称", max_length=120)
    kind = forms.ChoiceField(label="组织类别", choices=PartyOrgKind.choices)
    place_code = forms.CharField(
        label="驻地编码",
        max_length=32,
        help_text="组织所在的网格、小区、楼栋等地点编码",
    )
    is_joint_committee = forms.BooleanField(label="大工委/大党委", required=False)
    founded_on = forms.DateField(label="成立日期", required=False, widget=DateInput())
    note = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MemberForm(forms.Form):
    org = forms.ModelChoiceField(
        label="所在党组织",
        queryset=PartyOrg.objects.none(),
        required=False,
        empty_label="（组织关系在工作单位）",
    )
    # 已转出 is reached only by a transfer (party.services.transfer_out)
    status = forms.ChoiceField(
        label="党员状态",
        choices=[c for c in MemberStatus.choices if c[0] != "transferred_out"],
    )
    joined_on = forms.DateField(label="入党日期", required=False, widget=DateInput())
    is_probationary = forms.BooleanField(label="预备党员", required=False)
    note = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, org_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_choices


class JointUnitForm(forms.Form):
    credit_code = forms.CharField(label="成员单位统一社会信用代码", max_length=24)
    joined_on = forms.DateField(label="加入日期", required=False, widget=DateInput())


class CheckForm(forms.Form):
    community = forms.ModelChoiceField(label="社区", queryset=Place.objects.none())
    unit = forms.ModelChoiceField(
        label="单位",
        queryset=Unit.objects.none(),
        required=False,
        help_text="名单来自哪家单位；不选则与社区全部在职党员比对",
    )
    file = forms.FileField(
        label="单位在职党员名单", help_text="xlsx/xls/csv，需有“姓名”和“身份证号”列"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = Place.objects.filter(kind="community")
        prefixes = place_prefixes(user, "party.change")
        if prefixes:
            # a community (or street) checks the rosters units send it
            within = Q(pk__in=[])
            for prefix in prefixes:
                within |= path_prefix(prefix)
            self.fields["community"].queryset = communities.filter(within)
            self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by(
                "name"
            )
        else:
            # a unit checks its own roster against any community its members live in
            self.fields["community"].queryset = communities
            self.fields["unit"].queryset = Unit.objects.filter(pk__in=unit_ids(user))
            self.fields["unit"].required = True


DATE = DateInput()


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class OrgEditForm(VersionForm):
    name = forms.CharField(label="组织名称", max_length=120)
    is_joint_committee = forms.BooleanField(label="大工委/大党委", required=False)
    founded_on = forms.DateField(label="成立日期", required=False, widget=DATE)
    note = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def org_label(org):
    return f"{org.name}（{org.get_kind_display()}）"


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return org_label(obj)


class OrgMoveForm(VersionForm):
    new_parent = OrgChoiceField(
        label="新的上级党组织",
        queryset=PartyOrg.objects.none(),
        empty_label="（请选择）",
    )

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents


class DissolveForm(VersionForm):
    members_to = OrgChoiceField(
        label="党员转入",
        queryset=PartyOrg.objects.none(),
        required=False,
        empty_label="（请选择，本组织无党员时可不选）",
        help_text="本组织的党员全部转入所选党组织",
    )
    on = forms.DateField(label="撤销日期", required=False, widget=DATE)
    confirm = forms.BooleanField(label="确认撤销该党组织")

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members_to"].queryset = targets


class PartTimeForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    unit = forms.ModelChoiceField(
        label="所在成员单位", queryset=Unit.objects.none(), empty_label="（请选择）"
    )
    position = forms.CharField(label="单位职务", max_length=100, required=False)
    since = forms.DateField(label="任职日期", required=False, widget=DATE)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MemberEditForm(VersionForm):
    status = forms.ChoiceField(
        label="党员状态",
        choices=[c for c in MemberStatus.choices if c[0] != "transferred_out"],
    )
    joined_on = forms.DateField(label="入党日期", required=False, widget=DATE)
    is_probationary = forms.BooleanField(label="预备党员", required=False)
    note = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransferForm(VersionForm):
    WITHIN, OUT = "within", "out"
    kind = forms.ChoiceField(
        label="转接方式",
        choices=[(WITHIN, "转至区内党组织（含转入）"), (OUT, "转出本区")],
        widget=forms.RadioSelect,
        initial=WITHIN,
    )
    org = OrgChoiceField(
        label="转入党组织",
        queryset=PartyOrg.objects.none(),
        required=False,
        empty_label="（请选择）",
    )
    status = forms.ChoiceField(
        label="转入后党员状态",
        choices=[
            ("", "保持不变"),
            *[c for c in MemberStatus.choices if c[0] != "transferred_out"],
        ],
        required=False,
    )
    destination = forms.CharField(
        label="转往（区外党组织）",
        max_length=200,
        required=False,
        help_text="转出本区时填写，如：某市某区某社区党委",
    )
    reason = forms.CharField(label="转接原因", max_length=200)
    on = forms.DateField(label="转接日期", required=False, widget=DATE)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

    def clean(self):
        data = super().clean()
        if data.get("kind") == self.WITHIN and not data.get("org"):
            self.add_error("org", "请选择转入的党组织")
        if data.get("kind") == self.OUT and not data.get("destination"):
            self.add_error("destination", "请填写转往的党组织")
        return data


# ---- organisational life, coverage, transfers -------------------------------


class MeetingRecordForm(forms.Form):
    kind = forms.ChoiceField(label="会议类型")
    form = forms.ChoiceField(label="形式")
    topic = forms.CharField(label="主题", max_length=200)
    held_on = forms.DateField(label="召开日期", widget=DateInput())
    venue = forms.CharField(label="地点", max_length=200, required=False)
    minutes = forms.CharField(
        label="会议记录", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in RECORDED_KINDS]
        self.fields["form"].choices = MeetingForm.choices


class MakeUpForm(forms.Form):
    on = forms.DateField(label="补学日期", widget=DateInput())
    note = forms.CharField(label="补学方式", max_length=200)


class SendTransferForm(forms.Form):
    org = forms.ModelChoiceField(label="转入党组织", queryset=PartyOrg.objects.none())
    reason = forms.CharField(label="转接原因", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class CoverageForm(forms.Form):
    org_form = forms.ChoiceField(label="组织覆盖")
    work_covered = forms.BooleanField(label="党的工作已覆盖", required=False)
    industry = forms.ChoiceField(label="行业", required=False)
    assignee = forms.CharField(
        label="包联责任人/党建指导员", max_length=50, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_form"].choices = CoverageKind.choices
        self.fields["industry"].choices = [("", "—"), *Industry.choices]


class RecruitForm(forms.Form):
    id_number = forms.CharField(label="申请人身份证号", max_length=18)
    org = forms.ModelChoiceField(label="培养党支部", queryset=PartyOrg.objects.none())
    applied_on = forms.DateField(label="递交入党申请日期", widget=DateInput())
    introducers = forms.CharField(label="入党介绍人", max_length=100, required=False)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class AdvanceForm(forms.Form):
    on = forms.DateField(label="日期", widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)


class FlexOrgForm(forms.Form):
    name = forms.CharField(label="组织名称", max_length=120)
    kind = forms.ChoiceField(label="类别", choices=FlexKind.choices)
    industry = forms.ChoiceField(label="行业", required=False)
    place_code = forms.CharField(label="登记地编码", max_length=32)
    purpose = forms.CharField(label="任务/项目", max_length=200, required=False)
    starts_on = forms.DateField(label="成立日期", widget=DateInput())
    ends_on = forms.DateField(label="预计结束", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", "—"), *Industry.choices]


class MemberLinkForm(forms.Form):
    """A member's post (设岗定责/先锋岗) or a flexible organisation to join."""

    kind = forms.ChoiceField(label="岗位", choices=PostKind.choices)
    title = forms.CharField(label="岗位名称", max_length=100, required=False)
    place_code = forms.CharField(
        label="责任区编码", max_length=32, help_text="小区或楼栋的地点编码"
    )
    duties = forms.CharField(label="岗位职责", max_length=300, required=False)
    since = forms.DateField(label="上岗日期", widget=DateInput())


class DuesForm(forms.Form):
    year = forms.IntegerField(label="年", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月", min_value=1, max_value=12)
    base = forms.DecimalField(
        label="缴费基数（税后月收入，元）", min_value=0, max_digits=10, decimal_places=2
    )
    paid_on = forms.DateField(label="缴纳日期", widget=DateInput())


class ScoresForm(forms.Form):
    """One 0-100 score (and evidence) per standard of the checklist."""

    def __init__(self, *args, standards, evidence=True, **kwargs):
        super().__init__(*args, **kwargs)
        for s in standards:
            self.fields[f"s{s.pk}"] = forms.IntegerField(
                label=f"{s.title}（权重{s.weight}）",
                min_value=0,
                max_value=100,
            )
            if evidence:
                self.fields[f"e{s.pk}"] = forms.CharField(
                    label="佐证材料", max_length=300, required=False
                )
        self.standards = list(standards)

    def scores(self):
        return {s.pk: self.cleaned_data[f"s{s.pk}"] for s in self.standards}

    def evidence(self):
        return {s.pk: self.cleaned_data.get(f"e{s.pk}", "") for s in self.standards}


class RectificationForm(forms.Form):
    problem = forms.CharField(label="问题", max_length=200)
    measure = forms.CharField(label="整改措施", max_length=300)
    due_on = forms.DateField(label="整改时限", widget=DateInput())


class FlowForm(forms.Form):
    direction = forms.ChoiceField(label="流向", choices=FlowDirection.choices)
    formal_org_name = forms.CharField(label="组织关系所在党组织", max_length=200)
    takes_part_in = forms.ModelChoiceField(
        label="参加组织生活的党组织", queryset=PartyOrg.objects.none(), required=False
    )
    takes_part_in_flex = forms.ModelChoiceField(
        label="或：功能型党组织", queryset=PartyOrg.objects.none(), required=False
    )
    elsewhere = forms.CharField(label="外出地/来源地", max_length=200, required=False)
    since = forms.DateField(label="登记日期", widget=DateInput())

    def __init__(self, *args, orgs, flex, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["takes_part_in"].queryset = orgs
        self.fields["takes_part_in_flex"].queryset = flex


class NominationForm(forms.Form):
    nominee = forms.ModelChoiceField(label="人选", queryset=PartyOrg.objects.none())
    member_nominations = forms.IntegerField(label="党员推荐票", min_value=0)
    resident_nominations = forms.IntegerField(label="群众推荐票", min_value=0)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = members


class VoteForm(forms.Form):
    votes_for = forms.IntegerField(label="赞成票", min_value=0)
    voters = forms.IntegerField(label="到会党员", min_value=1)
    version = forms.IntegerField(widget=forms.HiddenInput)


class AppointForm(forms.Form):
    on = forms.DateField(label="任命日期", widget=DateInput())
    on_owners_committee = forms.BooleanField(
        label="兼任小区业委会成员（交叉任职）", required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label="会议类型")
    period = forms.ChoiceField(label="频次", choices=Period.choices)
    times = forms.IntegerField(label="每期次数", min_value=1, max_value=10, initial=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = MeetingKind.choices


class _RowForm(forms.Form):
    """A row of an editable table: small controls, labelled for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs.setdefault("class", css)
            widget.attrs.setdefault("aria-label", field.label or "")


class StandardRowForm(_RowForm):
    """One row of the 标准化 checklist editor; a blank new row is skipped."""

    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    area = forms.ChoiceField(
        label="类别", choices=[("", "—"), *StandardArea.choices], required=False
    )
    title = forms.CharField(label="标准内容", max_length=200, required=False)
    weight = forms.IntegerField(
        label="分值权重", min_value=1, max_value=100, required=False
    )
    active = forms.BooleanField(label="启用", required=False, initial=True)


StandardFormSet = forms.formset_factory(StandardRowForm, extra=3, max_num=60)


class DuesBandRowForm(_RowForm):
    """One 党费 band: from a monthly income upward, at a rate; blank rows skipped."""

    retired = forms.TypedChoiceField(
        label="对象",
        choices=[("0", "在职党员"), ("1", "离退休党员")],
        coerce=lambda v: v == "1",
    )
    above = forms.DecimalField(
        label="月收入高于（元）", max_digits=10, decimal_places=2, required=False
    )
    rate = forms.DecimalField(
        label="比例（%）", max_digits=5, decimal_places=2, required=False
    )
    delete = forms.BooleanField(label="删除", required=False)


DuesBandFormSet = forms.formset_factory(DuesBandRowForm, extra=3, max_num=40)
