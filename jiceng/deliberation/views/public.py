"""The public page (no login): resolutions in their 公示 period and the decided
ones, the vote results with the ballot receipt list, and the objection channel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from jiceng.core.htmx import paginate

from .. import services
from ..forms import ObjectionForm
from ..models import Poll, PollStatus, Topic
from ..workflow import DECIDED_STATUSES, Grade, Status

PUBLIC_STATUSES = (Status.PUBLICITY, Status.REJECTED, *DECIDED_STATUSES)


def public_topics():
    """What the public page shows: 大事 whose vote result is published."""
    return Topic.objects.filter(
        grade=Grade.MAJOR,
        status__in=PUBLIC_STATUSES,
        poll__status=PollStatus.CLOSED,
    ).select_related("community", "place")


def public_list(request):
    return render(
        request,
        "deliberation/public_list.html",
        {"page": paginate(request, public_topics().order_by("-publicity_starts"))},
    )


def public_detail(request, pk):
    topic = get_object_or_404(public_topics(), pk=pk)
    poll = Poll.objects.get(topic=topic)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.raise_objection(
                actor=request.user, topic=topic, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "您的异议已记录，社区将在公示期内答复")
            return redirect("deliberation:public_detail", pk=topic.pk)
    return render(
        request,
        "deliberation/public_detail.html",
        {
            "topic": topic,
            "poll": poll,
            "result": poll.result,
            "receipts": services.receipts(poll),
            "objections": topic.objections.all(),
            "form": form,
            "in_publicity": topic.status == Status.PUBLICITY,
        },
        status=400 if form.errors else 200,
    )
