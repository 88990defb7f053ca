"""My notifications: a list, open one (marks it read), mark all read."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from jiceng.core.htmx import paginate, render_page

from . import services
from .filters import NotificationFilter
from .models import Notification


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
