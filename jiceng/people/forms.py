"""Resident and unit forms. Protected fields are never pre-filled in plaintext."""

from django import forms

from jiceng.core.forms import DateInput
from jiceng.core.validators import validate_id_number, validate_mobile
from jiceng.places.picker import PlacePicker, give_user

from .models import (
    Incubation,
    Occupation,
    Relation,
    ResidenceType,
    Sensitivity,
    UnitKind,
)


class PersonForm(forms.Form):
    """Who someone is (residents, workers): an edit leaves protected fields blank."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="身份证号",
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    note = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["id_number"].help_text = "留空表示不修改"
            self.fields["phone"].help_text = "留空表示不修改"
        else:
            self.fields["id_number"].required = True

    # The services check these again; checking here too shows every mistake at once.
    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        return validate_id_number(value).number if value else value

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        return validate_mobile(value) if value else value


class ResidentForm(PersonForm):
    field_order = (
        "name id_number phone place_code relation residence_type ethnicity note".split()
    )

    place_code = forms.CharField(
        label="住址",
        max_length=32,
        help_text="按名称或编码搜索，或逐级选择户、单元、楼栋、小区或网格",
        widget=PlacePicker(
            permission="people.change",
            kinds=("grid", "compound", "building", "entrance", "dwelling"),
        ),
    )
    relation = forms.ChoiceField(
        label="与户主关系", choices=[("", "—"), *Relation.choices], required=False
    )
    residence_type = forms.ChoiceField(label="居住类型", choices=ResidenceType.choices)
    ethnicity = forms.CharField(
        label="民族", max_length=20, required=False, initial="汉族"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        give_user(self, user)


class UnitForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=200)
    kind = forms.ChoiceField(label="单位类型", choices=UnitKind.choices)
    credit_code = forms.CharField(
        label="统一社会信用代码", max_length=24, required=False
    )
    place_code = forms.CharField(
        label="所在地编码", max_length=32, help_text="网格或小区编码"
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    party_org_name = forms.CharField(label="党组织名称", max_length=200, required=False)
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    staff_count = forms.IntegerField(label="从业人数", min_value=0, required=False)
    incubation = forms.ChoiceField(
        label="孵化状态",
        choices=[("", "不适用"), *Incubation.choices],
        required=False,
        help_text="社会组织适用",
    )
    note = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TagForm(forms.Form):
    category = forms.ModelChoiceField(label="类别", queryset=None)
    reason = forms.CharField(
        label="认定依据",
        max_length=300,
        help_text="如：子女在外地，本人独居；残疾证号后4位等",
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class ReviewForm(forms.Form):
    kept = forms.TypedChoiceField(
        label="复核结论",
        choices=[("1", "继续认定"), ("0", "解除")],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label="复核情况", max_length=300)
    next_review_on = forms.DateField(
        label="下次复核日期",
        required=False,
        help_text="留空按类别的复核周期计算",
        widget=DateInput(),
    )


class WorkerForm(PersonForm):
    field_order = (
        "name id_number phone occupation platform community_code service_area "
        "reported_on is_party_member note"
    ).split()

    occupation = forms.ChoiceField(label="职业", choices=Occupation.choices)
    platform = forms.CharField(
        label="平台/公司",
        max_length=100,
        required=False,
        help_text="如：美团、顺丰、滴滴",
    )
    community_code = forms.CharField(label="报到社区编码", max_length=32)
    service_area = forms.CharField(label="服务区域", max_length=200, required=False)
    reported_on = forms.DateField(label="报到日期", required=False, widget=DateInput())
    is_party_member = forms.BooleanField(label="党员", required=False)


class CategoryForm(forms.Form):
    code = forms.SlugField(
        label="代码", max_length=32, help_text="英文字母、数字或下划线"
    )
    name = forms.CharField(label="名称", max_length=50)
    sensitivity = forms.TypedChoiceField(
        label="敏感级别", choices=Sensitivity.choices, coerce=int
    )
    review_days = forms.IntegerField(
        label="复核周期（天）", min_value=1, max_value=3650
    )
    description = forms.CharField(label="说明", max_length=200, required=False)
    active = forms.BooleanField(label="启用", required=False, initial=True)
    order = forms.IntegerField(label="排序", min_value=0, initial=0)


HOUSEHOLD_KINDS = ("compound", "building", "entrance", "dwelling")


class ResidentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        relation = obj.get_relation_display() or "—"
        return f"{obj.name}（{relation}）"


class ResidentsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        relation = obj.get_relation_display() or "—"
        return f"{obj.name}（{relation}）"


class HouseholdForm(forms.Form):
    number = forms.CharField(label="户号", max_length=32)
    place_code = forms.CharField(
        label="住址",
        max_length=32,
        help_text="按名称或编码搜索，或逐级选择户所在的房屋",
        widget=PlacePicker(permission="people.change", kinds=HOUSEHOLD_KINDS),
    )
    note = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        give_user(self, user)


class SplitForm(forms.Form):
    residents = ResidentsChoiceField(
        label="迁入新户的成员",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    head = ResidentChoiceField(
        label="新户户主", queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    remaining_head = ResidentChoiceField(
        label="原户新户主",
        queryset=None,
        required=False,
        empty_label="（原户主留在原户时不必选）",
        help_text="原户主迁出时，从留在原户的成员中指定",
    )
    number = forms.CharField(label="新户户号", max_length=32)
    place_code = forms.CharField(
        label="新户住址",
        max_length=32,
        help_text="默认与原户同一住址；另立门户的，搜索或逐级选择新住址",
        widget=PlacePicker(permission="people.change", kinds=HOUSEHOLD_KINDS),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, members, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        give_user(self, user)
        for name in ("residents", "head", "remaining_head"):
            self.fields[name].queryset = members


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(
        label="并入本户的户",
        queryset=None,
        empty_label="（请选择）",
        help_text="所选户的全部成员迁入本户，所选户注销",
    )
    head = ResidentChoiceField(
        label="合户后户主",
        queryset=None,
        required=False,
        empty_label="（保留本户户主）",
        help_text="不选则保留本户户主",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm = forms.BooleanField(label="确认合户")

    def __init__(self, *args, candidates, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = candidates
        self.fields["other"].label_from_instance = lambda h: (
            f"{h.number} · {h.place.name}（户主：{h.head or '—'}）"
        )
        self.fields["head"].queryset = members
