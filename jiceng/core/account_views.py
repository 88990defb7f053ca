"""账号管理: administrators create accounts, grant and end roles, reset, unlock."""

from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import accounts
from .account_forms import NewUserForm, PasswordForm, RoleForm
from .forms import add_service_errors
from .htmx import paginate, query_without_page, render_page
from .models import Assignment
from .scope import has_permission


def _require(user):
    if not has_permission(user, "core.users"):
        raise PermissionDenied


def _managed_or_404(actor, pk):
    user = accounts.managed_users(actor).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


@login_required
def user_list(request):
    _require(request.user)
    users = accounts.managed_users(request.user).prefetch_related(
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
        "core/users/list.html",
        {
            "page": paginate(request, users.order_by("username")),
            "query": query_without_page(request),
            "q": q,
            "role": role,
            "roles": accounts.GRANTABLE_ROLES,
        },
        partial="core/users/table.html",
    )


@login_required
def user_create(request):
    _require(request.user)
    form = NewUserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.create_user(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已创建账号 {user.username}")
            return redirect("core:user_detail", user.pk)
    return render(
        request,
        "core/users/form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def user_detail(request, pk):
    _require(request.user)
    user = _managed_or_404(request.user, pk)
    role_form = RoleForm(actor=request.user)
    password_form = PasswordForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "grant":
                role_form = RoleForm(request.POST, actor=request.user)
                if role_form.is_valid():
                    accounts.grant_role(
                        actor=request.user, user=user, **role_form.cleaned_data
                    )
                    messages.success(request, "已授予角色")
                    return redirect("core:user_detail", user.pk)
            elif action == "password":
                password_form = PasswordForm(request.POST)
                if password_form.is_valid():
                    accounts.set_password(
                        actor=request.user,
                        user=user,
                        password=password_form.cleaned_data["password"],
                    )
                    messages.success(request, "已重置密码，请线下告知本人")
                    return redirect("core:user_detail", user.pk)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(role_form if action == "grant" else password_form, exc)
    return render(
        request,
        "core/users/detail.html",
        {
            "account": user,
            "assignments": user.assignments.select_related(
                "place", "unit", "department"
            ),
            "can_manage": accounts.can_manage(request.user, user),
            "locked": AccessAttempt.objects.filter(username=user.username).exists(),
            "role_form": role_form,
            "password_form": password_form,
        },
        status=400 if role_form.errors or password_form.errors else 200,
    )


@login_required
@require_POST
def user_action(request, pk, action):
    _require(request.user)
    user = _managed_or_404(request.user, pk)
    try:
        if action == "unlock":
            accounts.unlock(actor=request.user, user=user)
            messages.success(request, "已解除锁定")
        elif action in ("disable", "enable"):
            accounts.set_active(
                actor=request.user, user=user, active=action == "enable"
            )
            messages.success(
                request, "已停用账号" if action == "disable" else "已启用账号"
            )
        elif action == "end-role":
            assignment = Assignment.objects.filter(
                user=user, pk=request.POST.get("assignment")
            ).first()
            if assignment is None:
                raise Http404
            accounts.end_role(actor=request.user, assignment=assignment)
            messages.success(request, "已撤销该角色")
        else:
            raise Http404
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("core:user_detail", user.pk)
