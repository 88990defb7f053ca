"""Forms for administrators managing accounts and their roles."""

from django import forms
from django.db.models import Q

from jiceng.people.models import Unit
from jiceng.places.models import Place, PlaceKind

from .accounts import GRANTABLE_ROLES
from .models import Department
from .scope import place_prefixes

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
                within |= Q(path__startswith=prefix)
                unit_within |= Q(place__path__startswith=prefix)
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
