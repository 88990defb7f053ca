"""Login, workbench, account security and the audit log viewer."""

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import audit, services
from .filters import AuditFilter
from .forms import LoginForm, OtpConfirmForm, TokenForm
from .htmx import paginate, query_without_page, render_page
from .models import ApiToken, AuditAction, AuditEntry
from .roles import ADMIN_ROLES
from .scope import has_permission, user_roles
from .workbench import scope_places, summary_cards, tasks_for


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
        return redirect(target or "core:workbench")
    return render(
        request, "core/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_POST
def logout_view(request):
    logout(request)
    return redirect("core:login")


@login_required
def workbench(request):
    user = request.user
    roles = user_roles(user)
    return render(
        request,
        "core/workbench.html",
        {
            "roles": sorted(roles),
            "role_labels": [
                a.get_role_display() for a in user.assignments.filter(active=True)
            ],
            "places": scope_places(user),
            "cards": summary_cards(user),
            "tasks": tasks_for(user),
            "is_admin_role": bool(roles & ADMIN_ROLES) or user.is_superuser,
        },
    )


@login_required
def account(request, password_form=None):
    user = request.user
    new_token = request.session.pop("new_api_token", None)
    return render(
        request,
        "core/account.html",
        {
            "password_form": password_form or PasswordChangeForm(user),
            "tokens": ApiToken.objects.filter(user=user),
            "token_form": TokenForm(),
            "new_token": new_token,
            "totp_enabled": user.totpdevice_set.filter(confirmed=True).exists(),
            "assignments": user.assignments.select_related(
                "place", "unit", "department"
            ),
        },
    )


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写令牌用途和有效天数（1–365）")
        return redirect("core:account")
    _, raw = services.create_api_token(
        actor=request.user,
        user=request.user,
        name=form.cleaned_data["name"],
        days=form.cleaned_data["days"],
    )
    # Shown once on the next page; never put in a URL or a log.
    request.session["new_api_token"] = raw
    return redirect("core:account")


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(request, f"令牌“{token.name}”已吊销")
    return redirect("core:account")


@login_required
@require_POST
def password_change(request):
    """Change one's own password (the policy applies); this browser stays logged
    in, other sessions of the account are logged out."""
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        response = account(request, password_form=form)
        response.status_code = 400
        return response
    form.save()
    update_session_auth_hash(request, form.user)
    audit.record(
        actor=request.user,
        action=AuditAction.SECURITY,
        target=request.user,
        changes={"password": "本人修改"},
    )
    messages.success(request, "密码已修改")
    return redirect("core:account")


def _qr_svg(uri):
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


@login_required
def totp_setup(request):
    user = request.user
    device = services.start_totp_enrolment(user=user)
    form = OtpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_totp(
            user=user, device=device, token=form.cleaned_data["token"]
        ):
            messages.success(request, "双因素认证已开启，下次登录需输入动态验证码")
            return redirect("core:account")
        form.add_error("token", "验证码不正确，请核对手机时间后重试")
    return render(
        request,
        "core/totp_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": device.config_url,
        },
    )


@login_required
@require_POST
def totp_disable(request):
    services.disable_totp(user=request.user)
    messages.success(request, "双因素认证已关闭")
    return redirect("core:account")


@login_required
def audit_list(request):
    if not has_permission(request.user, "core.audit"):
        raise PermissionDenied
    audit_filter = AuditFilter(request.GET or None, queryset=AuditEntry.objects.all())
    page = paginate(request, audit_filter.qs)
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
    from django.db import connection
    from django.http import JsonResponse

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
