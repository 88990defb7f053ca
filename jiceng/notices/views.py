"""My notifications (list, open, mark all read), my notification preferences, and
the delivery log for system administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from jiceng.core.htmx import paginate, render_page

from . import channels, services
from .filters import NotificationFilter
from .forms import ContactForm
from .models import (
    OUTSIDE,
    Channel,
    Contact,
    Delivery,
    DeliveryStatus,
    NoticeKind,
    Notification,
)


@login_required
def notification_list(request):
    notes = NotificationFilter(
        request.GET, queryset=Notification.objects.filter(user=request.user)
    )
    return render_page(
        request,
        "notices/list.html",
        {
            "page": paginate(request, notes.qs),
            "unread_only": notes.form.is_valid()
            and bool(notes.form.cleaned_data.get("unread")),
        },
        partial="notices/list.html",
    )


@login_required
def open_notification(request, pk):
    note = services.open_notification(user=request.user, pk=pk)
    if note is None:
        raise Http404
    if note.url and services.is_local(note.url):
        return redirect(note.url)
    return redirect("notices:list")


@login_required
@require_POST
def read_all(request):
    services.mark_all_read(user=request.user)
    return redirect("notices:list")


def _checked(post):
    """(kind, channel) pairs ticked in the form; unknown names are ignored."""
    pairs = set()
    for kind in NoticeKind:
        for channel in Channel:
            if post.get(f"pref-{kind.value}-{channel.value}"):
                pairs.add((kind.value, channel.value))
    return pairs


def _rows(table, configured):
    return [
        {
            "kind": kind,
            "cells": [
                {
                    "channel": ch,
                    "name": f"pref-{kind.value}-{ch.value}",
                    "on": table[kind][ch],
                    "available": ch not in OUTSIDE or ch in configured,
                }
                for ch in Channel
            ],
        }
        for kind in NoticeKind
    ]


@login_required
def preferences(request):
    """Which kinds reach me, and where: in-app, SMS, WeChat, the daily digest."""
    user = request.user
    contact = Contact.objects.filter(user=user).first()
    initial = {
        "phone": contact.phone_mask if contact else "",
        "wechat_openid": contact.wechat_openid if contact else "",
        "digest_via": contact.digest_via if contact else Channel.SMS,
    }
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact(actor=user, **form.cleaned_data)
            services.save_preferences(actor=user, enabled=_checked(request.POST))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, "通知设置已保存")
            return redirect("notices:preferences")
    configured = channels.configured_channels()
    return render_page(
        request,
        "notices/preferences.html",
        {
            "form": form,
            "rows": _rows(services.preference_table(user), configured),
            "channels": list(Channel),
            "sms_ready": Channel.SMS in configured,
            "wechat_ready": Channel.WECHAT in configured,
        },
        status=400 if form.errors else 200,
    )


@login_required
def delivery_list(request):
    """The outside-message log, for system administrators (recipients masked)."""
    if not request.user.is_superuser:
        raise PermissionDenied("只有系统管理员可以查看发送记录")
    rows = Delivery.objects.order_by("-created_at", "-pk")
    status = request.GET.get("status", "")
    if status in DeliveryStatus.values:
        rows = rows.filter(status=status)
    return render_page(
        request,
        "notices/deliveries.html",
        {
            "page": paginate(request, rows),
            "statuses": DeliveryStatus.choices,
            "status": status,
        },
    )
