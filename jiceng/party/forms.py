"""Party forms; every choice list is limited to what the user may act on."""

from django import forms

from .models import MemberStatus, PartyOrg, PartyOrgKind


class OrgForm(forms.Form):
    name = forms.CharField(label="组织名称", max_length=120)
    kind = forms.ChoiceField(label="组织类别", choices=PartyOrgKind.choices)
    place_code = forms.CharField(
        label="驻地编码",
        max_length=32,
        help_text="组织所在的网格、小区、楼栋等地点编码",
    )
    is_joint_committee = forms.BooleanField(label="大工委/大党委", required=False)
    founded_on = forms.DateField(
        label="成立日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
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
    status = forms.ChoiceField(label="党员状态", choices=MemberStatus.choices)
    joined_on = forms.DateField(
        label="入党日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_probationary = forms.BooleanField(label="预备党员", required=False)
    note = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, org_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_choices


class JointUnitForm(forms.Form):
    credit_code = forms.CharField(label="成员单位统一社会信用代码", max_length=24)
    joined_on = forms.DateField(
        label="加入日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
