"""Community staff: open accounts from the registry (one or a batch), print
invitations, approve self-registrations, reset and disable accounts."""

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import get_visible_or_404, permission_required
from jiceng.party.filters import PartyMemberFilter
from jiceng.party.models import PartyMember
from jiceng.people.filters import ResidentFilter
from jiceng.people.models import GigWorker, Resident
from jiceng.transfer.workbooks import xlsx_response

from .. import services
from ..forms import BatchForm, DecisionForm, InvitationForm, OpenAccountForm
from ..models import Invitation, MemberAccount, Registration, RegistrationStatus
from ..services.common import free_username

NEW_PASSWORD_KEY = "accounts_new_password"  # noqa: S105 (a session key)


def error_text(exc):
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "超出权限范围"


def qr_svg(url):
    """The QR code of a URL as inline SVG, made here (no outside service)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]  # inline in HTML: without the XML declaration


# --- the approval queue ------------------------------------------------------------


@permission_required("accounts.manage")
def registration_list(request):
    status = request.GET.get("status") or RegistrationStatus.PENDING
    if status not in RegistrationStatus.values:
        status = RegistrationStatus.PENDING
    rows = (
        Registration.objects.visible_to(request.user, "manage")
        .filter(status=status)
        .select_related("community", "resident", "gig_worker")
    )
    return render_page(
        request,
        "accounts/registration_list.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "status": status,
            "statuses": RegistrationStatus.choices,
        },
        partial="accounts/partials/registration_table.html",
    )


@permission_required("accounts.manage")
def registration_detail(request, pk):
    registration = get_visible_or_404(
        Registration.objects.select_related(
            "community", "resident__place", "gig_worker", "invitation", "decided_by"
        ),
        request.user,
        "manage",
        pk=pk,
    )
    form = DecisionForm(request.POST or None, initial={"version": registration.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                services.approve_registration(
                    actor=request.user,
                    registration=registration,
                    version=data["version"],
                )
                messages.success(request, f"已通过，{registration.name}的账号已开通")
            else:
                services.refuse_registration(
                    actor=request.user,
                    registration=registration,
                    reason=data["reason"],
                    version=data["version"],
                )
                messages.success(request, "已标记为不通过")
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            return redirect("accounts:registration_list")
    return render(
        request,
        "accounts/registration_detail.html",
        {"registration": registration, "form": form},
        status=400 if form.errors else 200,
    )


# --- invitations -------------------------------------------------------------------


@permission_required("accounts.manage")
def invitation_list(request):
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.create_invitation(
                actor=request.user, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "邀请已生成，可打印二维码张贴或发送邀请码")
            return redirect(invitation)
    rows = (
        Invitation.objects.visible_to(request.user, "manage")
        .filter(resident__isnull=True)
        .select_related("community")
    )
    return render_page(
        request,
        "accounts/invitation_list.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "form": form,
        },
        partial="accounts/partials/invitation_table.html",
        status=400 if form.errors else 200,
    )


@permission_required("accounts.manage")
def invitation_detail(request, pk):
    """The printable invitation: the QR code of the registration page, and its code."""
    invitation = get_visible_or_404(
        Invitation.objects.select_related("community"), request.user, "manage", pk=pk
    )
    url = request.build_absolute_uri(invitation.get_register_url())
    return render(
        request,
        "accounts/invitation_detail.html",
        {
            "invitation": invitation,
            "register_url": url,
            "qr_svg": qr_svg(url),
            "pending": invitation.registrations.filter(
                status=RegistrationStatus.PENDING
            ).count(),
        },
    )


@permission_required("accounts.manage")
@require_POST
def invitation_toggle(request, pk):
    invitation = get_visible_or_404(Invitation.objects, request.user, "manage", pk=pk)
    services.set_invitation_active(
        actor=request.user, invitation=invitation, active=not invitation.active
    )
    messages.success(request, "邀请已启用" if not invitation.active else "邀请已停用")
    return redirect(invitation)


# --- accounts opened ---------------------------------------------------------------


@permission_required("accounts.manage")
def account_list(request):
    rows = (
        MemberAccount.objects.visible_to(request.user, "manage")
        .select_related("user", "community", "gig_worker")
        .order_by("-created_at", "-pk")
    )
    return render_page(
        request,
        "accounts/account_list.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "new_password": request.session.pop(NEW_PASSWORD_KEY, None),
        },
        partial="accounts/partials/account_table.html",
    )


@permission_required("accounts.manage")
@require_POST
def account_action(request, pk, action):
    account = get_visible_or_404(
        MemberAccount.objects.select_related("user"), request.user, "manage", pk=pk
    )
    if action == "reset":
        password = services.reset_password(actor=request.user, account=account)
        # Shown once on the next page; never put in a URL or a log.
        request.session[NEW_PASSWORD_KEY] = {
            "username": account.user.username,
            "password": password,
        }
    elif action in ("disable", "enable"):
        services.set_account_active(
            actor=request.user, account=account, active=action == "enable"
        )
        messages.success(request, "账号已停用" if action == "disable" else "账号已启用")
    else:
        raise Http404
    return redirect("accounts:account_list")


def _open(request, *, resident=None, worker=None):
    record = resident or worker
    existing = (
        resident.user_id
        if resident is not None
        else MemberAccount.objects.filter(gig_worker=worker).exists()
    )
    form = OpenAccountForm(
        request.POST or None, initial={"username": free_username(record.name)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            account, password = services.open_account(
                actor=request.user,
                resident=resident,
                worker=worker,
                username=form.cleaned_data["username"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            request.session[NEW_PASSWORD_KEY] = {
                "username": account.user.username,
                "password": password,
                "name": record.name,
            }
            return redirect("accounts:account_list")
    return render(
        request,
        "accounts/open_account.html",
        {"record": record, "form": form, "existing": existing, "worker": worker},
        status=400 if form.errors else 200,
    )


@permission_required("accounts.manage")
def open_for_resident(request, pk):
    resident = get_visible_or_404(
        Resident.objects.select_related("place"), request.user, pk=pk
    )
    return _open(request, resident=resident)


@permission_required("accounts.manage")
def open_for_member(request, pk):
    member = get_visible_or_404(
        PartyMember.objects.select_related("resident__place"), request.user, pk=pk
    )
    resident = get_visible_or_404(Resident.objects, request.user, pk=member.resident_id)
    return _open(request, resident=resident)


@permission_required("accounts.manage")
def open_for_worker(request, pk):
    worker = get_visible_or_404(
        GigWorker.objects.select_related("community"), request.user, pk=pk
    )
    return _open(request, worker=worker)


# --- batches -----------------------------------------------------------------------


def _selection(request):
    """The residents of the filtered resident or member list, without accounts."""
    params = request.GET.copy()
    source = params.pop("source", ["residents"])[-1]
    params.pop("page", None)
    if source == "members":
        members = PartyMemberFilter(
            params,
            queryset=PartyMember.objects.visible_to(request.user),
            request=request,
        ).qs
        residents = Resident.objects.visible_to(request.user).filter(
            pk__in=members.values("resident_id")
        )
    else:
        source = "residents"
        residents = ResidentFilter(
            params, queryset=Resident.objects.visible_to(request.user), request=request
        ).qs
    residents = residents.filter(user__isnull=True).select_related("place")
    return source, residents.order_by("place__path", "pk")


@permission_required("accounts.manage")
def batch(request):
    """批量开通账号 for the filtered list the user came from."""
    source, residents = _selection(request)
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with_codes = form.cleaned_data["mode"] == "codes"
        try:
            rows = services.open_accounts_in_batch(
                actor=request.user, residents=residents, with_codes=with_codes
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            return _batch_workbook(request, rows, with_codes)
    return render(
        request,
        "accounts/batch.html",
        {
            "form": form,
            "source": source,
            "count": residents.count(),
            "sample": residents[:20],
            "max_batch": services.MAX_BATCH,
            "back": request.GET.urlencode(),
        },
        status=400 if form.errors else 200,
    )


def _batch_workbook(request, rows, with_codes):
    if with_codes:
        header = ["姓名", "住址", "邀请码", "注册网址"]
        body = [
            [
                r.name,
                r.place.name,
                code,
                request.build_absolute_uri(reverse("accounts:register", args=[code])),
            ]
            for r, _u, _p, code in rows
        ]
    else:
        header = ["姓名", "住址", "登录账号", "初始密码"]
        body = [[r.name, r.place.name, u, p] for r, u, p, _c in rows]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(
        [header, *body],
        f"accounts-{stamp}.xlsx",
        title="账号开通",
        note=(
            f"批量开通账号 · {request.user} · {timezone.localtime():%Y-%m-%d %H:%M}"
            " · 请妥善保管，分发后销毁"
        ),
    )


@permission_required("people.view")
def worker_record(request, pk):
    """A gig worker's service record: what they reported through their channel."""
    worker = get_visible_or_404(
        GigWorker.objects.select_related("community"), request.user, pk=pk
    )
    cases = (
        services.service_record(worker)
        .select_related("category")
        .order_by("-created_at")
    )
    return render(
        request,
        "accounts/worker_record.html",
        {"worker": worker, "page": paginate(request, cases), "query": ""},
    )
