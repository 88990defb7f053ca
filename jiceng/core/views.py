"""Login, logout, the audit log viewer and the health check."""

from django.conf import settings
from django.contrib.auth import login, logout
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .audit_display import Reader
from .filters import AuditFilter
from .forms import LoginForm
from .htmx import paginate, query_without_page, render_page
from .models import AuditEntry
from .scope import permission_required


def login_view(request):
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        if getattr(form.user, "otp_device", None) is not None:
            from django_otp import login as otp_login

            otp_login(request, form.user.otp_device)
        target = request.POST.get("next") or request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = ""
        return redirect(target or settings.LOGIN_REDIRECT_URL)
    return render(
        request, "core/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_POST
def logout_view(request):
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@permission_required("core.audit")
def audit_list(request):
    audit_filter = AuditFilter(request.GET or None, queryset=AuditEntry.objects.all())
    page = paginate(request, audit_filter.qs)
    page.object_list = Reader(page.object_list).rows()
    return render_page(
        request,
        "core/audit_list.html",
        {
            "filter": audit_filter,
            "page": page,
            "query": query_without_page(request),
        },
        partial="core/partials/audit_table.html",
    )


def healthz(request):
    """Liveness and database check for load balancers and monitoring (no login)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
