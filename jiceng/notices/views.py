"""My notifications: a list, open one (marks it read), mark all read."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jiceng.core.htmx import paginate, render_page

from . import services
from .models import Notification


@login_required
def notification_list(request):
    notes = Notification.objects.filter(user=request.user)
    if request.GET.get("unread"):
        notes = notes.filter(read_at__isnull=True)
    return render_page(
        request,
        "notices/list.html",
        {
            "page": paginate(request, notes),
            "unread_only": bool(request.GET.get("unread")),
        },
        partial="notices/list.html",
    )


@login_required
def open_notification(request, pk):
    note = services.open_notification(request.user, pk)
    if note is None:
        raise Http404
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts=None):
        return redirect(note.url)
    return redirect("notices:list")


@login_required
@require_POST
def read_all(request):
    services.mark_all_read(request.user)
    return redirect("notices:list")
