"""Where the user is reached outside the platform (their own number and openid)."""

from django import forms

from .models import OUTSIDE


class ContactForm(forms.Form):
    phone = forms.CharField(
        label="接收短信的手机号",
        max_length=20,
        required=False,
        help_text="仅用于发送您开启的短信通知；留空则不接收短信",
        widget=forms.TextInput(
            attrs={"class": "form-control", "inputmode": "tel", "autocomplete": "tel"}
        ),
    )
    wechat_openid = forms.CharField(
        label="微信 openid",
        max_length=64,
        required=False,
        help_text="关注公众号后由系统管理员提供；留空则不接收微信消息",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    digest_via = forms.ChoiceField(
        label="每日汇总发送到",
        choices=[(c.value, c.label) for c in OUTSIDE],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
