from django import forms

from .models import Kind, TaskStatus


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *TaskStatus.choices]
    )
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部类型"), *Kind.choices]
    )


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.CharField(
        label="办理情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class SettingForm(forms.Form):
    auto_dispatch = forms.BooleanField(label="启用自动派遣", required=False)
    threshold = forms.FloatField(
        label="置信度阈值",
        min_value=0.5,
        max_value=0.99,
        initial=0.9,
        help_text="模型首选类别与上报类别一致、且置信度不低于阈值时自动派遣；已配置派遣规则的类别仍按规则派遣。",
    )
