"""The workbench, one's own account and security, and 账号管理 for administrators."""

import io

import qrcode
import qrcode.image.svg
from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jiceng.core import services
from jiceng.core.bounds import parse_id
from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.models import ApiToken, Assignment
from jiceng.core.roles import ADMIN_ROLES
from jiceng.core.scope import has_permission, permission_required, user_roles

from .forms import NewUserForm, OtpConfirmForm, PasswordForm, RoleForm, TokenForm
from .workbench import scope_places, summary_cards, tasks_for


@login_required
def workbench(request):
    user = request.user
    roles = user_roles(user)
    return render(
        request,
        "home/workbench.html",
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


# --- one's own account: password, API tokens, two-factor ----------------------------


@login_required
def account(request, password_form=None):
    user = request.user
    new_token = request.session.pop("new_api_token", None)
    return render(
        request,
        "home/account.html",
        {
            "password_form": password_form or PasswordChangeForm(user),
            "tokens": ApiToken.objects.filter(user=user),
            "token_form": TokenForm(),
            "new_token": new_token,
            "totp_enabled": user.totpdevice_set.filter(confirmed=True).exists(),
            "assignments": user.assignments.select_related(
                "place", "unit", "department"
            ),
            "has_own_record": has_permission(user, "accounts.own"),
        },
    )


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写令牌用途和有效天数（1–365）")
        return redirect("home:account")
    _, raw = services.create_api_token(
        actor=request.user,
        user=request.user,
        name=form.cleaned_data["name"],
        days=form.cleaned_data["days"],
    )
    # Shown once on the next page; never put in a URL or a log.
    request.session["new_api_token"] = raw
    return redirect("home:account")


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(request, f"令牌“{token.name}”已吊销")
    return redirect("home:account")


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
    services.change_own_password(
        user=request.user, password=form.cleaned_data["new_password1"]
    )
    update_session_auth_hash(request, request.user)
    messages.success(request, "密码已修改")
    return redirect("home:account")


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
            return redirect("home:account")
        form.add_error("token", "验证码不正确，请核对手机时间后重试")
    return render(
        request,
        "home/totp_setup.html",
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
    return redirect("home:account")


# --- 账号管理: administrators create accounts, grant and end roles, reset, unlock --


@permission_required("core.users")
def user_list(request):
    users = services.managed_users(request.user).prefetch_related(
        "assignments__place", "assignments__unit", "assignments__department"
    )
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(username__icontains=q) | users.filter(
            display_name__icontains=q
        )
    role = request.GET.get("role", "")
    if role:
        users = users.filter(
            assignments__role=role, assignments__active=True
        ).distinct()
    return render_page(
        request,
        "home/users/list.html",
        {
            "page": paginate(request, users.order_by("username")),
            "query": query_without_page(request),
            "q": q,
            "role": role,
            "roles": services.GRANTABLE_ROLES,
        },
        partial="home/partials/user_table.html",
    )


@permission_required("core.users")
def user_create(request):
    form = NewUserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已创建账号 {user.username}")
            return redirect("home:user_detail", user.pk)
    return render(
        request,
        "home/users/form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@permission_required("core.users")
def user_detail(request, pk):
    user = get_object_or_404(services.managed_users(request.user), pk=pk)
    role_form = RoleForm(actor=request.user)
    password_form = PasswordForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "grant":
                role_form = RoleForm(request.POST, actor=request.user)
                if role_form.is_valid():
                    services.grant_role(
                        actor=request.user, user=user, **role_form.cleaned_data
                    )
                    messages.success(request, "已授予角色")
                    return redirect("home:user_detail", user.pk)
            elif action == "password":
                password_form = PasswordForm(request.POST)
                if password_form.is_valid():
                    services.set_password(
                        actor=request.user,
                        user=user,
                        password=password_form.cleaned_data["password"],
                    )
                    messages.success(request, "已重置密码，请线下告知本人")
                    return redirect("home:user_detail", user.pk)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(role_form if action == "grant" else password_form, exc)
    return render(
        request,
        "home/users/detail.html",
        {
            "account": user,
            "assignments": user.assignments.select_related(
                "place", "unit", "department"
            ),
            "can_manage": services.can_manage(request.user, user),
            "locked": AccessAttempt.objects.filter(username=user.username).exists(),
            "role_form": role_form,
            "password_form": password_form,
        },
        status=400 if role_form.errors or password_form.errors else 200,
    )


@permission_required("core.users")
@require_POST
def user_action(request, pk, action):
    user = get_object_or_404(services.managed_users(request.user), pk=pk)
    try:
        if action == "unlock":
            services.unlock(actor=request.user, user=user)
            messages.success(request, "已解除锁定")
        elif action in ("disable", "enable"):
            services.set_active(
                actor=request.user, user=user, active=action == "enable"
            )
            messages.success(
                request, "已停用账号" if action == "disable" else "已启用账号"
            )
        elif action == "end-role":
            assignment = get_object_or_404(
                Assignment, user=user, pk=parse_id(request.POST.get("assignment"))
            )
            services.end_role(actor=request.user, assignment=assignment)
            messages.success(request, "已撤销该角色")
        else:
            raise Http404
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("home:user_detail", user.pk)
