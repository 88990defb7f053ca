"""Forms: every choice list is restricted to what the user may act on."""

from django import forms

from jiceng.core.forms import DateInput, DateTimeInput
from jiceng.core.models import Department
from jiceng.places.models import Place, PlaceKind
from jiceng.volunteer.forms import places_for  # one definition, shared with alliances

from .models import (
    Category,
    Collection,
    Level,
    MaterialForm,
    PointKind,
    ProofMatter,
    ServiceItem,
)

DATETIME = DateTimeInput()
DATE = DateInput()
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class ItemForm(StyledForm):
    code = forms.CharField(label="事项编码", max_length=32)
    name = forms.CharField(label="事项名称", max_length=100)
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    conditions = forms.CharField(
        label="办理条件", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(
        label="设立依据", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    accept_level = forms.ChoiceField(label="受理层级", choices=Level.choices)
    handle_level = forms.ChoiceField(label="办理层级", choices=Level.choices)
    department = forms.ModelChoiceField(
        label="办理部门", queryset=Department.objects.all(), required=False
    )
    time_limit_days = forms.IntegerField(
        label="承诺时限（工作日）", min_value=0, max_value=365
    )
    fee = forms.DecimalField(
        label="收费（元）", min_value=0, max_digits=8, decimal_places=2, initial=0
    )
    channel_window = forms.BooleanField(label="窗口办理", required=False, initial=True)
    channel_online = forms.BooleanField(label="网上办理", required=False, initial=True)
    channel_home = forms.BooleanField(label="上门办理", required=False)
    channel_proxy = forms.BooleanField(label="代办", required=False, initial=True)
    refused_proof = forms.ModelChoiceField(
        label="已取消的证明事项",
        queryset=ProofMatter.objects.none(),
        required=False,
        help_text="关联后窗口不予受理，并向申请人说明原因和替代办法",
    )
    active = forms.BooleanField(label="在用", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["refused_proof"].queryset = ProofMatter.objects.visible_to(user)


class MaterialRowForm(StyledForm):
    name = forms.CharField(label="材料名称", max_length=100, required=False)
    form = forms.ChoiceField(label="形式", choices=MaterialForm.choices)
    copies = forms.IntegerField(label="份数", min_value=1, max_value=20, initial=1)
    electronic_ok = forms.BooleanField(label="可电子", required=False, initial=True)
    required = forms.BooleanField(label="必须", required=False, initial=True)
    note = forms.CharField(label="说明", max_length=200, required=False)


MaterialFormSet = forms.formset_factory(MaterialRowForm, extra=3, max_num=30)


class WindowApplicationForm(StyledForm):
    """全科受理: any item, for the clerk's community; the resident is optional."""

    item = forms.ModelChoiceField(label="办理事项", queryset=ServiceItem.objects.none())
    community = forms.ModelChoiceField(label="受理社区", queryset=Place.objects.none())
    applicant_name = forms.CharField(label="申请人姓名", max_length=50)
    applicant_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    id_number = forms.CharField(
        label="身份证号",
        max_length=18,
        required=False,
        help_text="填写后自动关联居民档案（精确匹配）",
    )
    note = forms.CharField(label="申请说明", max_length=300, required=False)

    def __init__(self, *args, user=None, permission="onewindow.accept", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = ServiceItem.objects.visible_to(user).filter(
            active=True
        )
        communities = places_for(user, permission, [PlaceKind.COMMUNITY])
        self.fields["community"].queryset = communities
        if communities.count() == 1:
            self.fields["community"].initial = communities.first()


class ProxyApplicationForm(StyledForm):
    item = forms.ModelChoiceField(label="办理事项", queryset=ServiceItem.objects.none())
    resident = forms.IntegerField(
        label="服务对象（居民编号）", min_value=1, max_value=2**63 - 1
    )
    note = forms.CharField(label="申请说明", max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = ServiceItem.objects.visible_to(user).filter(
            active=True, channel_proxy=True
        )


class NoteForm(StyledForm):
    note = forms.CharField(label="说明", max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CollectForm(StyledForm):
    method = forms.ChoiceField(label="领取方式", choices=Collection.choices)


class RateForm(StyledForm):
    score = forms.TypedChoiceField(
        label="满意度",
        coerce=int,
        choices=[
            (5, "非常满意"),
            (4, "满意"),
            (3, "基本满意"),
            (2, "不满意"),
            (1, "很不满意"),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label="意见建议", max_length=300, required=False)


class PointForm(StyledForm):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=PointKind.choices)
    place = forms.ModelChoiceField(label="所属街道/社区", queryset=Place.objects.none())
    address = forms.CharField(label="地址", max_length=200)
    lat = forms.FloatField(label="纬度", min_value=-90, max_value=90)
    lng = forms.FloatField(label="经度", min_value=-180, max_value=180)
    hours = forms.CharField(label="开放时间", max_length=100, initial="08:30-17:30")
    water = forms.BooleanField(label="饮水", required=False)
    charging = forms.BooleanField(label="充电", required=False)
    rest = forms.BooleanField(label="休息", required=False)
    toilet = forms.BooleanField(label="如厕", required=False)
    microwave = forms.BooleanField(label="微波炉", required=False)
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    description = forms.CharField(label="简介", max_length=300, required=False)
    items = forms.ModelMultipleChoiceField(
        label="可预约事项",
        queryset=ServiceItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    photo = forms.ImageField(label="照片", required=False)
    active = forms.BooleanField(label="开放", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places_for(
            user, "onewindow.manage", [PlaceKind.STREET, PlaceKind.COMMUNITY]
        )
        self.fields["items"].queryset = ServiceItem.objects.visible_to(user).filter(
            active=True
        )


class SlotsForm(StyledForm):
    item = forms.ModelChoiceField(label="事项", queryset=ServiceItem.objects.none())
    day = forms.DateField(label="日期", widget=DATE)
    start = forms.TimeField(label="开始", widget=TIME, initial="09:00")
    end = forms.TimeField(label="结束", widget=TIME, initial="11:30")
    minutes = forms.IntegerField(
        label="每段分钟", min_value=10, max_value=240, initial=30
    )
    capacity = forms.IntegerField(
        label="每段可约人数", min_value=1, max_value=100, initial=5
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = ServiceItem.objects.visible_to(user).filter(
            active=True
        )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "结束时间须晚于开始时间")
        return data


class VisitForm(StyledForm):
    resident = forms.IntegerField(
        label="服务对象（居民编号）", min_value=1, max_value=2**63 - 1, required=False
    )
    item = forms.ModelChoiceField(
        label="办理事项（可不选）", queryset=ServiceItem.objects.none(), required=False
    )
    need = forms.CharField(label="需要上门办理的事情", max_length=200)
    preferred_on = forms.DateField(label="希望日期", widget=DATE, required=False)

    def __init__(self, *args, user=None, staff=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = ServiceItem.objects.visible_to(user).filter(
            active=True
        )
        if not staff:
            del self.fields["resident"]


class ScheduleForm(StyledForm):
    when = forms.DateTimeField(label="上门时间", widget=DATETIME)
    staff = forms.ModelChoiceField(label="工作人员", queryset=None, required=False)
    volunteer = forms.ModelChoiceField(label="志愿者", queryset=None, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, community=None, **kwargs):
        from django.contrib.auth import get_user_model

        from jiceng.core.models import Assignment
        from jiceng.volunteer.models import Volunteer

        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = get_user_model().objects.filter(
            pk__in=Assignment.objects.filter(
                active=True,
                place=community,
                role__in=["community_secretary", "community_staff"],
            ).values("user")
        )
        self.fields["volunteer"].queryset = Volunteer.objects.filter(
            community=community
        ).order_by("name")


class MatterForm(StyledForm):
    title = forms.CharField(label="事项名称", max_length=150)
    kind = forms.ChoiceField(
        label="类型", choices=[("duty", "依法履职事项"), ("assist", "协助政府事项")]
    )
    department = forms.ModelChoiceField(
        label="主管部门", queryset=Department.objects.all(), required=False
    )
    basis = forms.CharField(label="依据", max_length=300, required=False)


class RequestForm(StyledForm):
    title = forms.CharField(label="拟交由社区承担的事项", max_length=150)
    description = forms.CharField(
        label="工作内容", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    basis = forms.CharField(label="依据", max_length=300, required=False)
    funding = forms.CharField(label="经费与保障", max_length=200, required=False)


class RequestDecisionForm(StyledForm):
    matter = forms.ModelChoiceField(
        label="对应准入清单事项", queryset=None, required=False
    )
    note = forms.CharField(label="审核意见", max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, matters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = matters
