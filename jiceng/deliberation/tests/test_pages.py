"""The pages open for the people who use them, with the demo's rows, and the demo
has what the issue asks for."""

import pytest

from jiceng.deliberation import workflow as wf
from jiceng.deliberation.models import (
    CompoundProfile,
    Dispute,
    Level,
    Meeting,
    PollStatus,
    Topic,
)


@pytest.mark.django_db
def test_the_demo_has_a_topic_of_every_kind_and_an_open_vote_for_dangyuan(people):
    from jiceng.deliberation.services import elector_for

    topics = Topic.objects.all()
    assert topics.filter(grade="major", status=wf.Status.PUBLICITY).exists()
    assert topics.filter(grade="minor", status=wf.Status.DECIDED).exists()
    assert topics.filter(grade="urgent").exists()
    open_vote = topics.get(poll__status=PollStatus.OPEN)
    assert elector_for(open_vote.poll, people["dangyuan"]) is not None
    resolved = set(
        Dispute.objects.exclude(resolved_level="").values_list(
            "resolved_level", flat=True
        )
    )
    assert resolved == set(Level.values)
    assert CompoundProfile.objects.filter(kind="three_no").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/deliberation/topics/",
        "/deliberation/topics/new/",
        "/deliberation/topics/new/?desk=1",
        "/deliberation/meetings/",
        "/deliberation/disputes/",
        "/deliberation/disputes/new/",
        "/deliberation/screenings/",
        "/deliberation/compounds/",
        "/deliberation/public/",
    ],
)
def test_the_secretary_opens_every_list_and_form(client_for, url):
    assert client_for("shuji").get(url).status_code == 200


@pytest.mark.django_db
def test_detail_pages_open_for_the_secretary(client_for):
    client = client_for("shuji")
    for topic in Topic.objects.all()[:6]:
        assert client.get(f"/deliberation/topics/{topic.pk}/").status_code == 200
    meeting = Meeting.objects.first()
    assert client.get(f"/deliberation/meetings/{meeting.pk}/").status_code == 200
    assert client.get(f"/deliberation/bodies/{meeting.body_id}/").status_code == 200
    dispute = Dispute.objects.first()
    assert client.get(f"/deliberation/disputes/{dispute.pk}/").status_code == 200
    open_vote = Topic.objects.get(poll__status=PollStatus.OPEN)
    clerk = client.get(f"/deliberation/topics/{open_vote.pk}/clerk/")
    assert clerk.status_code == 200
    published = Topic.objects.get(status=wf.Status.PUBLICITY)
    assert client.get(f"/deliberation/public/{published.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_resident_votes_on_the_topic_page_once(client_for, people):
    # given the demo's open vote
    topic = Topic.objects.get(poll__status=PollStatus.OPEN)
    client = client_for("dangyuan")
    page = client.get(f"/deliberation/topics/{topic.pk}/")
    assert 'data-testid="vote"' in page.content.decode()
    # when they vote twice
    url = f"/deliberation/topics/{topic.pk}/vote/"
    client.post(url, {"choice": "同意"})
    again = client.post(url, {"choice": "反对"}, follow=True)
    # then the second is refused
    assert "已经投过票" in again.content.decode()
    assert topic.poll.ballots.count() == 1


@pytest.mark.django_db
def test_a_case_becomes_a_topic(client_for, people):
    from jiceng.cases.models import Case

    case = Case.objects.visible_to(people["shuji"]).first()
    response = client_for("shuji").post(
        "/deliberation/topics/convert/", {"kind": "case", "ref": case.number}
    )
    assert response.status_code == 302
    topic = Topic.objects.get(case=case)
    assert topic.source == "case" and topic.status == wf.Status.RAISED


@pytest.mark.django_db
def test_an_execution_task_goes_to_the_case_loop_and_holds_the_topic_open(people):
    from django.core.exceptions import ValidationError

    from jiceng.cases.services.intake import categories_for_reporting
    from jiceng.deliberation import services

    shuji = people["shuji"]
    # given the demo's urgent topic, decided by the 两委
    topic = Topic.objects.get(grade="urgent")
    services.start_execution(
        actor=shuji, topic=topic, tasks=[{"title": "外墙排危", "owner": "物业"}]
    )
    task = topic.tasks.get()
    # when the task is handed to the case loop
    case = services.hand_task_to_cases(
        actor=shuji, task=task, category=categories_for_reporting().first()
    )
    services.finish_task(actor=shuji, task=task, result="已派单")
    # then the topic cannot close while the case is open
    assert case.number and case.place_id == topic.place_id
    with pytest.raises(ValidationError):
        services.finish_topic(actor=shuji, topic=topic, report_back="完成")
