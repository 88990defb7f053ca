"""The person's side: registering with an invitation (on the phone, no login),
changing the initial password, one's own details, and the gig workers' H5 channel."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate
from jiceng.core.middleware import current_client_ip
from jiceng.core.scope import permission_required
from jiceng.core.services import change_own_password

from .. import services
from ..forms import ContactForm, GigReportForm, RegisterForm
from ..models import MemberAccount
from ..signals import SESSION_KEY


def register(request, code):
    """扫码注册: the page an invitation's QR code opens."""
    invitation = services.invitation_for_code(code)
    if invitation is None:
        raise Http404
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.register(
                code=invitation.code,
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                username=data["username"],
                password=data["password"],
                ip=current_client_ip(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(
                request, "accounts/registered.html", {"registration": registration}
            )
    return render(
        request,
        "accounts/register.html",
        {"invitation": invitation, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def first_password(request):
    """Change the initial password before anything else."""
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_own_password(
            user=request.user, password=form.cleaned_data["new_password1"]
        )
        MemberAccount.objects.filter(user=request.user).update(
            must_change_password=False
        )
        request.session.pop(SESSION_KEY, None)
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改，欢迎使用")
        target = request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = ""
        return redirect(target or "home:workbench")
    return render(
        request,
        "accounts/first_password.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@permission_required("accounts.own")
def me(request):
    """我的登记信息: what the registry holds about me, and my contact details."""
    resident, worker = services.own_records(request.user)
    if resident is None and worker is None:
        return render(request, "accounts/me.html", {"form": None})
    initial = {
        "employer_name": resident.employer_name if resident else "",
        "service_area": worker.service_area if worker else "",
    }
    form = ContactForm(
        request.POST or None, resident=resident, worker=worker, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.update_own_contact(
                user=request.user,
                phone=data["phone"],
                employer_name=data.get("employer_name") if resident else None,
                service_area=data.get("service_area") if worker else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "联系方式已更新" if changed else "没有需要保存的修改"
            )
            return redirect("accounts:me")
    member = getattr(resident, "party_member", None) if resident else None
    return render(
        request,
        "accounts/me.html",
        {"form": form, "resident": resident, "worker": worker, "member": member},
        status=400 if form.errors else 200,
    )


@permission_required("accounts.own")
def gig_report(request):
    """新就业群体 H5: report 社情民意 or a hazard; my reports below."""
    worker = services.worker_of(request.user)
    if worker is None:
        raise PermissionDenied("您的账号未关联新就业群体登记")
    form = GigReportForm(request.POST or None, request.FILES or None, worker=worker)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.report_as_worker(
                actor=request.user,
                kind=data["kind"],
                category=data["category"],
                description=data["description"],
                place=data["grid"],
                lat=data["lat"],
                lng=data["lng"],
                address=data["address"],
                images=data["photos"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已上报，案卷号 {case.number}，感谢您的反映")
            return redirect("accounts:gig_report")
    cases = services.service_record(worker).select_related("category")
    return render(
        request,
        "accounts/gig_report.html",
        {
            "form": form,
            "worker": worker,
            "page": paginate(request, cases.order_by("-created_at")),
            "query": "",
        },
        status=400 if form.errors else 200,
    )
