"""Party forms; every choice list is limited to what the user may act on."""

from django import forms
from django.db.models import Q

from jiceng.core.forms import DateInput
from jiceng.core.scope import path_prefix, place_prefixes
from jiceng.people.models import Unit
from jiceng.places.models import Place

from .models import MemberStatus, PartyOrg, PartyOrgKind
from .services import unit_ids


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
    status = forms.ChoiceField(label="党员状态", choices=MemberStatus.choices)
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
