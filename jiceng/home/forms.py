"""Forms of the account pages: one's own tokens and two-factor, and administrators
managing accounts and their roles."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import Department
from jiceng.core.scope import path_prefix, place_prefixes
from jiceng.core.services import GRANTABLE_ROLES
from jiceng.people.models import Unit
from jiceng.places.models import Place, PlaceKind

ASSIGNABLE_KINDS = [
    PlaceKind.DISTRICT,
    PlaceKind.STREET,
    PlaceKind.COMMUNITY,
    PlaceKind.GRID,
    PlaceKind.COMPOUND,
    PlaceKind.BUILDING,
]


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="角色", choices=[(r.value, r.label) for r in GRANTABLE_ROLES]
    )
    place = forms.ModelChoiceField(
        label="辖区",
        queryset=Place.objects.none(),
        required=False,
        help_text="网格员选网格，社区书记/社工选社区，楼栋长选楼栋，物业选小区",
    )
    unit = forms.ModelChoiceField(
        label="单位（单位党组织角色）", queryset=Unit.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label="部门（职能部门角色）", queryset=Department.objects.all(), required=False
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        prefixes = place_prefixes(actor, "core.users")
        places = Place.objects.filter(kind__in=ASSIGNABLE_KINDS)
        units = Unit.objects.all()
        if "" not in prefixes:
            within, unit_within = Q(pk__in=[]), Q(pk__in=[])
            for prefix in prefixes:
                within |= path_prefix(prefix)
                unit_within |= path_prefix(prefix, "place__path")
            places, units = places.filter(within), units.filter(unit_within)
        self.fields["place"].queryset = places.order_by("path")
        self.fields["unit"].queryset = units.order_by("name")


class NewUserForm(RoleForm):
    username = forms.RegexField(
        label="登录账号",
        regex=r"^[A-Za-z0-9_.@-]{3,150}$",
        max_length=150,
        error_messages={"invalid": "账号只能包含字母、数字和 _ . @ -，至少3位"},
    )
    display_name = forms.CharField(label="姓名", max_length=50)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(render_value=True),
        help_text="至少10位，需同时包含字母和数字；请线下告知本人并提醒修改",
    )
    field_order = [
        "username",
        "display_name",
        "password",
        "role",
        "place",
        "unit",
        "department",
    ]


class PasswordForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=100)
    days = forms.IntegerField(
        label=_("有效天数"),
        min_value=1,
        max_value=365,
        initial=90,
        help_text=_("到期后需重新生成"),
    )


class OtpConfirmForm(forms.Form):
    token = forms.CharField(label=_("验证器显示的6位数字"), max_length=8)
