"""Bodies (居民议事会, 物管会, 三方联动, 联席会), members and meetings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.htmx import paginate
from jiceng.core.scope import get_visible_or_404, permission_required

from .. import services
from ..forms import BodyForm, DiscussForm, MeetingForm, MemberForm, RecordForm
from ..models import Body, Meeting, Topic
from ..workflow import DECIDED_STATUSES, OPEN_STATUSES
from .common import act, flags, form_page


@permission_required("deliberation.manage")
def meeting_list(request):
    rows = Meeting.objects.visible_to(request.user).select_related("body")
    bodies = Body.objects.visible_to(request.user)
    return render(
        request,
        "deliberation/meeting_list.html",
        {"page": paginate(request, rows), "bodies": bodies, **flags(request.user)},
    )


@permission_required("deliberation.manage")
def body_new(request):
    form = BodyForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: services.create_body(actor=request.user, **d),
        title="设立议事机构",
        submit="保存",
        success="议事机构已设立",
    )


@permission_required("deliberation.manage")
def body_detail(request, pk):
    body = get_visible_or_404(Body.objects, request.user, pk=pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        return form_page(
            request,
            form,
            lambda d: services.add_member(actor=request.user, body=body, **d) and body,
            title=f"{body}：增加成员",
            submit="保存",
            success="成员已增加",
        )
    return render(
        request,
        "deliberation/body_detail.html",
        {
            "body": body,
            "members": body.members.all(),
            "meetings": body.meetings.all()[:20],
            "form": form,
            "meeting_form": MeetingForm(),
        },
    )


@require_POST
@permission_required("deliberation.manage")
def meeting_new(request, pk):
    body = get_visible_or_404(Body.objects, request.user, "manage", pk=pk)
    form = MeetingForm(request.POST)
    return form_page(
        request,
        form,
        lambda d: services.call_meeting(actor=request.user, body=body, **d),
        title=f"{body}：会议通知",
        submit="发出通知",
        success="会议通知已发出",
    )


@permission_required("deliberation.manage")
def meeting_detail(request, pk):
    meeting = get_visible_or_404(
        Meeting.objects.select_related("body"), request.user, pk=pk
    )
    day = meeting.starts_at.date()
    members = meeting.body.members_on(day)
    topics = Topic.objects.visible_to(request.user, "manage").filter(
        community=meeting.community,
        status__in=[*OPEN_STATUSES, *DECIDED_STATUSES],
    )
    return render(
        request,
        "deliberation/meeting_detail.html",
        {
            "meeting": meeting,
            "attendance": meeting.attendance.select_related("member"),
            "discussions": meeting.discussions.select_related("topic").prefetch_related(
                "positions"
            ),
            "record_form": RecordForm(members=members),
            "discuss_form": DiscussForm(topics=topics),
        },
    )


@require_POST
@permission_required("deliberation.manage")
def meeting_record(request, pk):
    meeting = get_visible_or_404(Meeting.objects, request.user, "manage", pk=pk)
    form = RecordForm(
        request.POST, members=meeting.body.members_on(meeting.starts_at.date())
    )
    if not form.is_valid():
        messages.error(request, "请填写会议纪要")
        return redirect(meeting)
    return act(
        request,
        lambda: services.record_meeting(
            actor=request.user, meeting=meeting, **form.cleaned_data
        ),
        "出席情况和会议纪要已记录",
        meeting,
    )


@require_POST
@permission_required("deliberation.manage")
def meeting_discuss(request, pk):
    meeting = get_visible_or_404(Meeting.objects, request.user, "manage", pk=pk)
    topics = Topic.objects.visible_to(request.user, "manage").filter(
        community=meeting.community
    )
    form = DiscussForm(request.POST, topics=topics)
    if not form.is_valid():
        messages.error(request, "请选择议题并填写讨论情况")
        return redirect(meeting)
    return act(
        request,
        lambda: services.discuss_topic(
            actor=request.user,
            meeting=meeting,
            topic=form.cleaned_data["topic"],
            summary=form.cleaned_data["summary"],
            positions=form.positions(),
        ),
        "议题讨论情况已记录",
        meeting,
    )
