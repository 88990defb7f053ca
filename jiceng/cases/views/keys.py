"""外部接入密钥: district administrators create, disable and rotate the keys of
Open311 clients and video-analytics sources, and see how often each is used."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.scope import permission_required

from ..models import Open311Key, VideoSource
from ..services import keys

NEW_SECRET_KEY = "cases_new_secret"  # noqa: S105 (a session key)


class KeyForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型",
        choices=[("open311", "Open311 API 密钥"), ("video", "视频智能分析来源")],
    )
    name = forms.CharField(
        label="名称", max_length=100, help_text="如：12345热线、城市之眼一期"
    )


def _show_once(request, kind, name, secret, code=""):
    # Shown once on the next page; never put in a URL or a log.
    request.session[NEW_SECRET_KEY] = {
        "kind": kind,
        "name": name,
        "secret": secret,
        "url": f"/api/v1/hooks/video/{code}" if code else "",
    }


@permission_required("cases.keys")
def key_list(request):
    form = KeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        try:
            if form.cleaned_data["kind"] == "open311":
                key, raw = keys.create_open311_key(actor=request.user, name=name)
                _show_once(request, "open311", key.name, raw)
            else:
                source, secret = keys.create_video_source(actor=request.user, name=name)
                _show_once(request, "video", source.name, secret, source.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("cases:keys")
    return render(
        request,
        "cases/keys.html",
        {
            "form": form,
            "open311_keys": keys.open311_keys_with_use().order_by("-active", "name"),
            "video_sources": VideoSource.objects.order_by("-active", "name"),
            "new_secret": request.session.pop(NEW_SECRET_KEY, None),
        },
        status=400 if form.errors else 200,
    )


@permission_required("cases.keys")
@require_POST
def key_action(request, kind, pk, action):
    if kind == "open311":
        key = get_object_or_404(Open311Key, pk=pk)
        if action == "rotate":
            _show_once(
                request,
                kind,
                key.name,
                keys.rotate_open311_key(actor=request.user, key=key),
            )
        elif action in ("disable", "enable"):
            keys.set_open311_key_active(
                actor=request.user, key=key, active=action == "enable"
            )
        else:
            raise Http404
        name = key.name
    elif kind == "video":
        source = get_object_or_404(VideoSource, pk=pk)
        if action == "rotate":
            secret = keys.rotate_video_source(actor=request.user, source=source)
            _show_once(request, kind, source.name, secret, source.code)
        elif action in ("disable", "enable"):
            keys.set_video_source_active(
                actor=request.user, source=source, active=action == "enable"
            )
        else:
            raise Http404
        name = source.name
    else:
        raise Http404
    labels = {"rotate": "已轮换", "disable": "已停用", "enable": "已启用"}
    messages.success(request, f"“{name}”{labels[action]}")
    return redirect("cases:keys")
