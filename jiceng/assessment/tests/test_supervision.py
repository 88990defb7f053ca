"""督察检查: an inspection on the phone opens ledger rows; the owner reports the
fix, the inspector verifies or sends it back, a closed row can be reopened; the
rate reads like the reports (792 → 746, 94.2%)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiceng.assessment import services
from jiceng.assessment.models import ProblemStatus
from jiceng.assessment.services.supervision import Rate


@pytest.fixture
def plan(people):
    community = people["shuji"].assignments.get().place
    return services.supervision.create_plan(
        actor=people["jiedao"],
        title="季度督察",
        topic="网格履职",
        place=people["jiedao"].assignments.get().place,
        targets=[community],
        checklist=["台账规范", "消防通道畅通"],
        inspectors=[people["jiedao"]],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=7),
    )


def test_the_rate_reads_like_the_reports():
    rate = Rate("全区", found=792, fixed=746, overdue=12)
    assert rate.rate == 94.2
    assert rate.sentence.startswith("发现问题792个，已整改746个，整改率94.2%")


def test_an_unfixed_problem_is_reopened_and_then_closed(people, plan, client_for):
    # given an inspection that found a problem
    community = plan.targets.get()
    inspection = services.supervision.inspect(
        actor=people["jiedao"],
        plan=plan,
        target=community,
        answers={"台账规范": (True, ""), "消防通道畅通": (False, "堆放杂物")},
        problems=[
            {
                "description": "消防通道堆放杂物",
                "owner_name": "王经理",
                "deadline": timezone.localdate() + timedelta(days=5),
            }
        ],
    )
    problem = inspection.problems.get()
    # when the community reports it fixed and the inspector finds it is not
    problem = services.supervision.submit_fix(
        actor=people["shuji"], problem=problem, evidence="已清理"
    )
    with pytest.raises(ValidationError):
        services.supervision.verify(
            actor=people["jiedao"], problem=problem, passed=False
        )
    problem = services.supervision.verify(
        actor=people["jiedao"], problem=problem, passed=False, note="仍有堆物"
    )
    # then it is back to be fixed, counted once reopened
    assert problem.status == ProblemStatus.REOPENED and problem.reopen_count == 1
    # and when fixed again and verified, it is closed; a later check reopens it
    problem = services.supervision.submit_fix(
        actor=people["shuji"], problem=problem, evidence="再次清理并加装隔离栏"
    )
    problem = services.supervision.verify(
        actor=people["jiedao"], problem=problem, passed=True
    )
    assert problem.status == ProblemStatus.VERIFIED
    problem = services.supervision.reopen(
        actor=people["jiedao"], problem=problem, note="复查又有堆物"
    )
    assert problem.status == ProblemStatus.REOPENED and problem.reopen_count == 2
    # and the ledger page shows the rate and the row
    page = client_for("jiedao").get("/assessment/problems/?by=community")
    assert page.status_code == 200 and "整改率" in page.content.decode()


def test_a_stale_form_cannot_overwrite_a_newer_step(people, plan):
    problem = services.supervision.open_problem(
        actor=people["jiedao"],
        place=plan.targets.get(),
        description="路灯不亮",
        owner_name="李工",
        deadline=timezone.localdate(),
    )
    services.supervision.submit_fix(
        actor=people["shuji"], problem=problem, evidence="已修", version=1
    )
    with pytest.raises(ValidationError, match="已被他人更新"):
        services.supervision.submit_fix(
            actor=people["shuji"], problem=problem, evidence="已修", version=1
        )


def test_the_inspection_form_on_the_phone(people, plan, client_for):
    community = plan.targets.get()
    client = client_for("jiedao")
    assert client.get(plan.get_absolute_url()).status_code == 200
    response = client.post(
        plan.get_absolute_url(),
        {
            "target": community.pk,
            "ok0": "1",
            "ok1": "0",
            "problem0": "楼道堆物",
            "owner0": "物业",
            "deadline0": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert plan.inspections.get().problems.count() == 1
