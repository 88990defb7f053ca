"""The login form, the site's form renderer and widgets, and the helper that shows a
service's errors on any form."""

from functools import cached_property
from pathlib import Path

from django import forms
from django.contrib.auth import authenticate
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _
from django_otp import match_token, user_has_device


class LoginForm(forms.Form):
    username = forms.CharField(label=_("账号"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)
    otp_token = forms.CharField(
        label=_("动态验证码"),
        required=False,
        max_length=8,
        help_text=_("已开启双因素认证的账号需填写验证器App中的6位数字"),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        username, password = data.get("username"), data.get("password")
        if not username or not password:
            return data
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            raise forms.ValidationError(_("账号或密码错误"), code="invalid_login")
        if not user.is_active:
            raise forms.ValidationError(_("账号已停用"), code="inactive")
        if user_has_device(user, confirmed=True):
            token = (data.get("otp_token") or "").strip()
            device = match_token(user, token) if token else None
            if device is None:
                raise forms.ValidationError(
                    _("动态验证码错误或已过期"), code="otp_invalid"
                )
            user.otp_device = device
        self.user = user
        return data


def add_service_errors(form, exc, *, code_fields=None):
    """Show a service's ValidationError/PermissionDenied on the form, keeping the input.

    code_fields maps error codes to the form field they belong to.
    """
    from django.core.exceptions import PermissionDenied, ValidationError

    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or "超出权限范围")
        return
    if not isinstance(exc, ValidationError):
        raise exc
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    field = (code_fields or {}).get(getattr(exc, "code", None))
    form.add_error(field if field in form.fields else None, exc)


class FormRenderer(DjangoTemplates):
    """Render every form with jiceng's widget templates in front of Django's own.

    Set once as FORM_RENDERER, so every form of every app (and of apps still to come)
    gets the same controls without naming a widget: dates typed or picked as 年-月-日
    whatever the browser's language, file inputs with a Chinese button (photos open the
    camera on phones), checkboxes and radios laid out as Bootstrap form-checks, and an
    empty choice that reads 请选择 instead of ``---------`` (filter forms read 全部,
    see FILTERS_EMPTY_CHOICE_LABEL and the listing template tags).
    """

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(__file__).parent / "form_templates",
                    Path(forms.__file__).parent / "templates",
                ],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )


class DateInput(forms.DateInput):
    """A date as 年-月-日; the renderer adds the calendar button."""

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A date and time as 年-月-日 时:分; the renderer adds the calendar button."""

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d %H:%M")
