"""Forms of the account pages; choice lists are limited to the user's scope."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts

from jiceng.cases.forms import PhotosField, grouped_categories
from jiceng.cases.models import Category
from jiceng.core.forms import DateInput
from jiceng.core.scope import path_prefix, place_prefixes
from jiceng.places.models import Place, PlaceKind

from .models import Audience
from .services import REPORT_KINDS


def communities_for(user):
    """The communities in which the user opens accounts (accounts.manage)."""
    prefixes = place_prefixes(user, "accounts.manage")
    communities = Place.objects.filter(kind=PlaceKind.COMMUNITY).order_by("path")
    if "" in prefixes:
        return communities
    condition = None
    for prefix in prefixes:
        part = path_prefix(prefix)
        condition = part if condition is None else condition | part
    return (
        communities.filter(condition) if condition is not None else Place.objects.none()
    )


class InvitationForm(forms.Form):
    community = forms.ModelChoiceField(label="社区", queryset=Place.objects.none())
    audience = forms.ChoiceField(label="注册对象", choices=Audience.choices)
    title = forms.CharField(
        label="名称", max_length=100, required=False, help_text="如：幸福社区居民注册"
    )
    expires_on = forms.DateField(
        label="有效期至",
        required=False,
        widget=DateInput(),
        help_text="不填则长期有效",
    )
    max_uses = forms.IntegerField(
        label="可用次数", required=False, min_value=1, max_value=100000
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities_for(user)


class OpenAccountForm(forms.Form):
    username = forms.CharField(
        label="登录账号",
        max_length=150,
        help_text="默认为姓名拼音，可修改；初始密码由系统生成，首次登录须修改",
    )


class RegisterForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="身份证号", max_length=18, help_text="仅用于与社区登记信息核对"
    )
    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    username = forms.CharField(
        label="登录账号",
        max_length=30,
        help_text="字母、数字或下划线，用于以后登录",
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label="密码",
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "new-password"}
        ),
        help_text="；".join(str(t) for t in password_validators_help_texts()),
    )
    password2 = forms.CharField(
        label="确认密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username.replace("_", "").isalnum() or not username.isascii():
            raise forms.ValidationError("登录账号只能包含字母、数字或下划线")
        return username

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "通过"), ("refuse", "不通过")], widget=forms.HiddenInput
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="不通过原因", max_length=200, required=False)


class ContactForm(forms.Form):
    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        required=False,
        help_text="不修改请留空",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    employer_name = forms.CharField(label="工作单位", max_length=200, required=False)
    service_area = forms.CharField(label="服务区域", max_length=200, required=False)

    def __init__(self, *args, resident=None, worker=None, **kwargs):
        super().__init__(*args, **kwargs)
        if resident is None:
            del self.fields["employer_name"]
        if worker is None:
            del self.fields["service_area"]


class BatchForm(forms.Form):
    mode = forms.ChoiceField(
        label="开通方式",
        choices=[
            ("passwords", "直接开通，导出初始密码（首次登录须修改）"),
            ("codes", "生成个人邀请码，由本人扫码注册"),
        ],
        widget=forms.RadioSelect,
        initial="passwords",
    )


class GigReportForm(forms.Form):
    kind = forms.ChoiceField(label="上报类型", choices=list(REPORT_KINDS.items()))
    category = forms.TypedChoiceField(label="问题类别", coerce=int)
    description = forms.CharField(
        label="情况描述",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="说清楚在哪里、什么情况",
    )
    photos = PhotosField(label="现场照片", help_text="可选多张，每张不超过10MB")
    grid = forms.ModelChoiceField(
        label="所在网格", queryset=Place.objects.none(), required=False
    )
    address = forms.CharField(label="详细地址", max_length=200, required=False)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, worker, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = grouped_categories()
        community = worker.community
        self.fields["grid"].queryset = Place.objects.filter(
            path_prefix(community.path), kind=PlaceKind.GRID
        ).order_by("code")

    def clean_category(self):
        category = Category.objects.filter(pk=self.cleaned_data["category"]).first()
        if category is None:
            raise forms.ValidationError("请选择问题类别")
        return category

    def clean(self):
        data = super().clean()
        if not data.get("grid") and (
            data.get("lat") is None or data.get("lng") is None
        ):
            self.add_error("grid", "请选择所在网格")
        return data
