"""三会一课 pages: the meetings of one's branches, recording a meeting with its
attendance on a phone, a meeting with make-up of absences, and the compliance
view of branches by month with the 预警 list."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.actions import act
from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page
from jiceng.core.media import signed_url
from jiceng.core.scope import can, get_visible_or_404, permission_required
from jiceng.places.models import Place

from .. import services
from ..forms import MakeUpForm, MeetingRecordForm
from ..models import Attendance, Meeting, MeetingKind, PartyMember, PartyOrg
from ..services.life import BRANCH_KINDS, branches_under, warnings


@permission_required("party.view")
def meeting_list(request):
    meetings = Meeting.objects.visible_to(request.user).select_related("org")
    kind = request.GET.get("kind", "")
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    org = request.GET.get("org", "")
    if org.isdigit():
        meetings = meetings.filter(org_id=int(org))
    return render(
        request,
        "party/meeting_list.html",
        {
            "page": paginate(request, meetings),
            "kinds": MeetingKind.choices,
            "kind": kind,
            "can_record": PartyOrg.objects.visible_to(request.user, "change")
            .filter(kind__in=BRANCH_KINDS)
            .exists(),
        },
    )


@permission_required("party.change")
def meeting_create(request):
    branches = (
        PartyOrg.objects.visible_to(request.user, "change")
        .filter(kind__in=BRANCH_KINDS)
        .order_by("path")
    )
    org_id = request.POST.get("org") or request.GET.get("org") or ""
    if not org_id.isdigit():
        if branches.count() == 1:
            return redirect(f"{request.path}?org={branches[0].pk}")
        return render(request, "party/meeting_pick.html", {"branches": branches})
    org = get_visible_or_404(branches, request.user, "change", pk=int(org_id))
    members = list(
        PartyMember.objects.filter(org=org)
        .select_related("resident")
        .order_by("resident__name", "pk")
    )
    form = MeetingRecordForm(
        request.POST or None, initial={"held_on": timezone.localdate()}
    )
    marks = {}
    if request.method == "POST":
        marks = {
            m.pk: (
                request.POST.get(f"att_{m.pk}", "present"),
                request.POST.get(f"reason_{m.pk}", ""),
            )
            for m in members
        }
        if form.is_valid():
            present = [m for m in members if marks[m.pk][0] == "present"]
            absent = [
                (m, marks[m.pk][1]) for m in members if marks[m.pk][0] == "absent"
            ]
            try:
                meeting = services.record_meeting(
                    actor=request.user,
                    org=org,
                    present=present,
                    absent=absent,
                    photos=request.FILES.getlist("photos"),
                    **form.cleaned_data,
                )
            except (ValidationError, PermissionDenied) as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已记录{meeting.get_kind_display()}")
                return redirect(meeting)
    rows = [(m, *marks.get(m.pk, ("present", ""))) for m in members]
    return render(
        request,
        "party/meeting_form.html",
        {"form": form, "org": org, "rows": rows},
        status=400 if form.errors else 200,
    )


@permission_required("party.view")
def meeting_detail(request, pk):
    meeting = get_visible_or_404(
        Meeting.objects.select_related("org", "created_by"), request.user, pk=pk
    )
    attendance = list(
        meeting.attendance.select_related("member__resident").order_by("-present", "pk")
    )
    return render(
        request,
        "party/meeting_detail.html",
        {
            "meeting": meeting,
            "attendance": attendance,
            "photos": [signed_url(p.image) for p in meeting.photos.all()],
            "can_change": can(request.user, meeting, "change"),
            "makeup_form": MakeUpForm(initial={"on": timezone.localdate()}),
            "present_count": sum(1 for a in attendance if a.present),
        },
    )


@require_POST
@permission_required("party.change")
def attendance_make_up(request, pk):
    attendance = get_visible_or_404(
        Attendance.objects.select_related("meeting"), request.user, "change", pk=pk
    )
    form = MakeUpForm(request.POST)
    target = attendance.meeting.get_absolute_url()
    if not form.is_valid():
        messages.error(request, "请填写补学日期和补学方式")
        return redirect(target)
    return act(
        request,
        lambda: services.make_up(
            actor=request.user, attendance=attendance, **form.cleaned_data
        ),
        "已登记补学",
        target,
    )


def _year(request):
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year else today.year
    return year


PER_PAGE = 20


def _lines(row):
    """Per kind, the twelve months' (month, state, title) of one branch, ready to
    print (the page prints thousands of cells; the template only joins them)."""
    by_kind = {kind: [] for kind in MeetingKind}
    for _y, m, cells in row.months:
        found = {c.kind: c for c in cells}
        for kind, line in by_kind.items():
            cell = found.get(kind)
            line.append(
                (
                    m,
                    cell.state,
                    f"{kind.label} {m}月：应开{cell.times}次，已开{cell.held}次",
                )
                if cell
                else (m, "", "")
            )
    return [(kind.label, kind.value, line) for kind, line in by_kind.items()]


@permission_required("party.view")
def compliance_view(request):
    """Branches × months of one year: each due kind ok / missing / 预警 / pending."""
    today = timezone.localdate()
    year = _year(request)
    code = request.GET.get("place", "").strip()
    place = None
    if code:
        place = Place.objects.visible_to(request.user).filter(code=code).first()
        if place is None:
            messages.error(request, f"找不到地点编码“{code}”或超出权限范围")
    last = today if year == today.year else date(year, 12, 31)
    first = date(year, 1, 1)
    rows = services.compliance(branches_under(request.user, place), first, last)
    grid = paginate(request, rows, PER_PAGE)
    grid.object_list = [(row, _lines(row)) for row in grid.object_list]
    return render(
        request,
        "party/compliance.html",
        {
            "year": year,
            "years": range(today.year, today.year - 4, -1),
            "place": place,
            "code": code,
            "grid": grid,
            "query": query_without_page(request),
            "alerts": warnings(rows),
            "months": [m for _, m, _ in rows[0].months] if rows else [],
        },
    )
