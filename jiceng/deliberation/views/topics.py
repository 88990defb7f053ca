"""议题 pages: the list, raising one (phone or desk), the detail page with the steps
its status and grade allow, voting on the phone and the clerk's entry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.bounds import parse_id
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import can, get_visible_or_404, permission_required

from .. import services
from .. import workflow as wf
from ..filters import TopicFilter
from ..forms import (
    AnswerForm,
    ChoiceForm,
    ConsultationForm,
    DeskTopicForm,
    FinishForm,
    GradeForm,
    PollForm,
    RateForm,
    ReasonForm,
    ResultForm,
    TasksForm,
    TopicForm,
    UrgentForm,
)
from ..models import (
    Elector,
    ExecutionTask,
    Meeting,
    MeetingStatus,
    Objection,
    Participation,
    Poll,
    PollStatus,
    Source,
    Topic,
)
from .common import act, error_text, flags, form_page


@permission_required("deliberation.view")
def topic_list(request):
    rows = Topic.objects.visible_to(request.user).select_related("place")
    rows = TopicFilter(request.GET, queryset=rows).qs
    return render_page(
        request,
        "deliberation/topic_list.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "status": request.GET.get("status", ""),
            "grade": request.GET.get("grade", ""),
            "statuses": wf.Status.choices,
            "grades": wf.Grade.choices,
            **flags(request.user),
        },
        partial="deliberation/partials/topic_table.html",
    )


@permission_required("deliberation.raise")
def topic_new(request):
    places = services.places_for_raising(request.user)
    desk = request.GET.get("desk") == "1" and can_desk(request.user)
    form_class = DeskTopicForm if desk else TopicForm
    form = form_class(request.POST or None, places=places)
    return form_page(
        request,
        form,
        lambda data: services.raise_topic(
            actor=request.user,
            source=Source.DESK if desk else Source.PHONE,
            **data,
        ),
        title="窗口登记议题" if desk else "提出议题",
        submit="提交议题",
        success="议题已提交，社区将尽快定级办理",
        lead="大事大议、小事小议、急事急议：社区收到后定级，并按程序协商办理，"
        "每一步都会通知您。",
    )


def can_desk(user):
    from jiceng.core.scope import has_permission

    return has_permission(user, "deliberation.manage")


def _poll_context(request, topic):
    poll = Poll.objects.filter(topic=topic).first()
    if poll is None:
        return {}
    now = timezone.now()
    elector = services.elector_for(poll, request.user)
    voted = (
        elector is not None
        and Participation.objects.filter(poll=poll, elector=elector).exists()
    )
    closed = poll.status == PollStatus.CLOSED
    return {
        "poll": poll,
        "poll_open": poll.status == PollStatus.OPEN
        and poll.opens_at <= now < poll.closes_at,
        "my_elector": elector,
        "voted": voted,
        "participated": Participation.objects.filter(poll=poll).count(),
        "result": poll.result if closed else None,
        "receipts": services.receipts(poll) if closed else None,
        "choice_form": ChoiceForm(choices=poll.choices),
    }


@permission_required("deliberation.view")
def topic_detail(request, pk):
    topic = get_visible_or_404(
        Topic.objects.select_related("place", "community"), request.user, pk=pk
    )
    manage = can(request.user, topic, "manage")
    consult = can(request.user, topic, "consult")
    steps = {s.name for s in wf.steps_from(topic.status, topic.grade)}
    meetings = Meeting.objects.filter(
        community=topic.community, status=MeetingStatus.HELD, quorate=True
    )
    context = {
        "topic": topic,
        "events": topic.events.all(),
        "steps": steps,
        "manage": manage,
        "consult": consult,
        "discussions": topic.discussions.select_related("meeting").prefetch_related(
            "positions"
        ),
        "objections": topic.objections.all(),
        "tasks": topic.tasks.select_related("case"),
        "categories": _categories()
        if manage and topic.status == wf.Status.EXECUTING
        else [],
        "missing": services.missing_major_steps(topic, timezone.now())
        if topic.status == wf.Status.PUBLICITY
        else [],
        "grade_form": GradeForm(),
        "reason_form": ReasonForm(),
        "consult_form": ConsultationForm(),
        "urgent_form": UrgentForm(),
        "poll_form": PollForm(
            meetings=Meeting.objects.filter(community=topic.community)
        ),
        "answer_form": AnswerForm(),
        "tasks_form": TasksForm(),
        "result_form": ResultForm(),
        "finish_form": FinishForm(),
        "rate_form": RateForm(),
        "confirm_meetings": meetings,
        "is_raiser": topic.raised_by_id == request.user.pk,
        **_poll_context(request, topic),
        **flags(request.user),
    }
    return render(request, "deliberation/topic_detail.html", context)


def _categories():
    from jiceng.cases.services.intake import categories_for_reporting

    return categories_for_reporting()


def _topic_for(request, pk):
    return get_visible_or_404(Topic.objects, request.user, pk=pk)


def _post_form(request, form_class, pk, call, success, **form_kwargs):
    topic = _topic_for(request, pk)
    form = form_class(request.POST, **form_kwargs)
    if not form.is_valid():
        errors = [e for field in form.errors.values() for e in field]
        messages.error(request, "；".join(errors) or "请检查填写的内容")
        return redirect(topic)
    return act(request, lambda: call(topic, form.cleaned_data), success, topic)


@require_POST
@permission_required("deliberation.manage")
def topic_grade(request, pk):
    return _post_form(
        request,
        GradeForm,
        pk,
        lambda t, d: services.grade_topic(actor=request.user, topic=t, **d),
        "已定级",
    )


@require_POST
@permission_required("deliberation.manage")
def topic_decline(request, pk):
    return _post_form(
        request,
        ReasonForm,
        pk,
        lambda t, d: services.decline_topic(actor=request.user, topic=t, **d),
        "已不予立项",
    )


@require_POST
@permission_required("deliberation.consult")
def topic_consult(request, pk):
    return _post_form(
        request,
        ConsultationForm,
        pk,
        lambda t, d: services.settle_minor(actor=request.user, topic=t, **d),
        "协商结果已记录，议题已决议",
    )


@require_POST
@permission_required("deliberation.manage")
def topic_urgent(request, pk):
    return _post_form(
        request,
        UrgentForm,
        pk,
        lambda t, d: services.decide_urgent(actor=request.user, topic=t, **d),
        "两委急议决定已记录",
    )


@require_POST
@permission_required("deliberation.manage")
def topic_open_poll(request, pk):
    topic = _topic_for(request, pk)
    meetings = Meeting.objects.visible_to(request.user).filter(
        community=topic.community
    )
    return _post_form(
        request,
        PollForm,
        pk,
        lambda t, d: services.open_poll(actor=request.user, topic=t, **d),
        "表决已发起",
        meetings=meetings,
    )


@require_POST
@permission_required("deliberation.manage")
def topic_close_poll(request, pk):
    topic = _topic_for(request, pk)
    return act(
        request,
        lambda: services.close_poll(actor=request.user, topic=topic),
        "表决已结束，结果已公布",
        topic,
    )


@require_POST
@permission_required("deliberation.manage")
def topic_decide(request, pk):
    topic = _topic_for(request, pk)
    return act(
        request,
        lambda: services.decide_major(actor=request.user, topic=topic),
        "已形成决议",
        topic,
    )


@require_POST
@permission_required("deliberation.manage")
def topic_confirm(request, pk):
    topic = _topic_for(request, pk)
    meeting = get_visible_or_404(
        Meeting.objects, request.user, pk=request.POST.get("meeting") or 0
    )
    return act(
        request,
        lambda: services.confirm_urgent(
            actor=request.user, topic=topic, meeting=meeting
        ),
        "已经会议追认",
        topic,
    )


@require_POST
@permission_required("deliberation.manage")
def objection_answer(request, pk):
    objection = get_object_or_404(Objection, pk=pk)
    topic = _topic_for(request, objection.topic_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写答复")
        return redirect(topic)
    return act(
        request,
        lambda: services.answer_objection(
            actor=request.user, objection=objection, **form.cleaned_data
        ),
        "已答复异议",
        topic,
    )


@require_POST
@permission_required("deliberation.manage")
def topic_execute(request, pk):
    return _post_form(
        request,
        TasksForm,
        pk,
        lambda t, d: services.start_execution(actor=request.user, topic=t, **d),
        "决议开始执行",
    )


@require_POST
@permission_required("deliberation.manage")
def task_done(request, pk):
    task = get_object_or_404(ExecutionTask, pk=pk)
    topic = _topic_for(request, task.topic_id)
    form = ResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写完成情况")
        return redirect(topic)
    return act(
        request,
        lambda: services.finish_task(
            actor=request.user, task=task, **form.cleaned_data
        ),
        "任务已完成",
        topic,
    )


@require_POST
@permission_required("deliberation.manage")
def topic_finish(request, pk):
    return _post_form(
        request,
        FinishForm,
        pk,
        lambda t, d: services.finish_topic(actor=request.user, topic=t, **d),
        "议题已办结，已反馈提出人",
    )


@require_POST
@permission_required("deliberation.view")
def topic_rate(request, pk):
    return _post_form(
        request,
        RateForm,
        pk,
        lambda t, d: services.rate_topic(actor=request.user, topic=t, **d),
        "感谢您的评价",
    )


@require_POST
@permission_required("deliberation.vote")
def topic_vote(request, pk):
    topic = _topic_for(request, pk)
    poll = get_object_or_404(Poll, topic=topic)
    form = ChoiceForm(request.POST, choices=poll.choices)
    if not form.is_valid():
        messages.error(request, "请选择一项")
        return redirect(topic)
    try:
        ballot = services.cast_vote(
            actor=request.user, topic=topic, choice=form.cleaned_data["choice"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            f"投票成功。您的选票回执码：{ballot.receipt}（请保存，用于核对计票）",
        )
    return redirect(topic)


@permission_required("deliberation.manage")
def topic_clerk(request, pk):
    """The clerk enters the votes cast at the meeting, household by household."""
    topic = get_visible_or_404(Topic.objects, request.user, "manage", pk=pk)
    poll = get_object_or_404(Poll, topic=topic)
    if request.method == "POST":
        entered, errors = 0, []
        for key, choice in request.POST.items():
            if not key.startswith("elector_") or not choice:
                continue
            elector = Elector.objects.filter(poll=poll, pk=key[8:]).first()
            if elector is None:
                continue
            try:
                services.enter_vote(
                    actor=request.user, topic=topic, elector=elector, choice=choice
                )
                entered += 1
            except (ValidationError, PermissionDenied) as exc:
                errors.append(error_text(exc))
        if entered:
            messages.success(request, f"已登记{entered}张选票")
        for error in sorted(set(errors)):
            messages.error(request, error)
        return redirect("deliberation:topic_clerk", pk=topic.pk)
    voted = Participation.objects.filter(poll=poll).values("elector_id")
    waiting = (
        Elector.objects.filter(poll=poll)
        .exclude(pk__in=voted)
        .select_related("household__place", "resident")
        .order_by("pk")
    )
    return render(
        request,
        "deliberation/clerk.html",
        {"topic": topic, "poll": poll, "page": paginate(request, waiting)},
    )


@require_POST
@permission_required("deliberation.raise")
def topic_convert(request):
    """Turn a case (by its number) or a 微心愿 (by its id) into a topic."""
    from jiceng.cases.models import Case
    from jiceng.volunteer.models import Wish

    ref = (request.POST.get("ref") or "").strip()[:40]
    try:
        if request.POST.get("kind") == "wish":
            wish = get_visible_or_404(Wish.objects, request.user, pk=int(ref))
            topic = services.topic_from_wish(actor=request.user, wish=wish)
        else:
            case = get_visible_or_404(Case.objects, request.user, number=ref)
            topic = services.topic_from_case(actor=request.user, case=case)
    except (ValueError, Http404):
        messages.error(request, "找不到该事件或心愿，或不在您的权限范围内")
        return redirect("deliberation:topic_list")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect("deliberation:topic_list")
    messages.success(request, "已转为议题，等待社区定级")
    return redirect(topic)


@require_POST
@permission_required("deliberation.manage")
def task_case(request, pk):
    """Hand an execution task to the case loop under a chosen category."""
    from jiceng.cases.services.intake import categories_for_reporting

    task = get_object_or_404(ExecutionTask, pk=pk)
    topic = _topic_for(request, task.topic_id)
    category = (
        categories_for_reporting()
        .filter(pk=parse_id(request.POST.get("category")))
        .first()
    )
    if category is None:
        messages.error(request, "请选择事件类别")
        return redirect(topic)
    return act(
        request,
        lambda: services.hand_task_to_cases(
            actor=request.user, task=task, category=category
        ),
        "任务已转为事件，按事件流程派遣办理",
        topic,
    )
