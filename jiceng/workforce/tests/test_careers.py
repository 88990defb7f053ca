"""3岗18级: the step-up rule on worked examples, the pay table by year (a change
never reaches a past month), the salary sheet and its xlsx, recruitment ranking."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from jiceng.core.models import AuditEntry
from jiceng.workforce import services
from jiceng.workforce.models import (
    Assessment,
    AssessmentGrade,
    Post,
    SalaryLine,
    Worker,
)

pytestmark = pytest.mark.django_db


def hire(people, community, *, post=Post.STAFF, grade=3, since=date(2021, 3, 1)):
    worker = services.hire_worker(
        actor=people["quadmin"],
        community=community,
        name="测试人员",
        post=post,
        grade=grade,
        hired_on=since,
    )
    return worker


@pytest.mark.parametrize(
    ("post", "grade", "since", "assessed", "due", "reason"),
    [
        # three full years on grade 3 by the end of 2024: up to 4
        (Post.STAFF, 3, date(2021, 3, 1), {}, True, "自2021年03月起任3级满3年"),
        # two years and ten months: not yet
        (Post.STAFF, 3, date(2022, 3, 1), {}, False, "未满3年"),
        # a staff member at the top of 干事 (12) stays
        (Post.STAFF, 12, date(2015, 1, 1), {}, False, "已达干事最高12级"),
        # a head may reach 18
        (Post.HEAD, 17, date(2020, 6, 1), {}, True, "任17级满3年"),
        # 不称职 in 2022 restarts the count from 2023: not due in 2024
        (
            Post.DEPUTY,
            6,
            date(2019, 1, 1),
            {2022: AssessmentGrade.INCOMPETENT},
            False,
            "2022年度考核不称职，自2023年01月起任现级未满3年",
        ),
        # an older 基本称职 (2020) is three years behind by 2024
        (
            Post.DEPUTY,
            6,
            date(2019, 1, 1),
            {2020: AssessmentGrade.BASIC, 2021: AssessmentGrade.COMPETENT},
            True,
            "2020年度考核基本称职",
        ),
    ],
)
def test_step_up_rule_on_worked_examples(
    people, community, post, grade, since, assessed, due, reason
):
    # given a worker on a grade since a date with their assessments
    worker = hire(people, community, post=post, grade=grade, since=since)
    for year, result in assessed.items():
        Assessment.objects.create(
            worker=worker,
            year=year,
            case_score=80,
            patrol_score=80,
            rating_score=80,
            manager_score=80,
            total=80,
            grade=result,
        )
    # when the rule is asked about 2024
    decision = services.step_decision(worker, 2024)
    # then the answer and its reason are as the worked example says
    assert decision.due is due
    assert reason in decision.reason


def test_a_sanction_in_effect_holds_the_step_up_and_says_why(people, community):
    # given a worker due in 2024 with a sanction until March 2025
    worker = hire(people, community, since=date(2020, 1, 1))
    services.record_discipline(
        actor=people["quadmin"],
        worker=worker,
        on=date(2024, 6, 1),
        until=date(2025, 3, 31),
        note="警告",
    )
    # when the rule is asked, then the step-up is held with the reason
    decision = services.step_decision(worker, 2024)
    assert not decision.due
    assert "处分影响期内" in decision.reason
    # and applying it anyway is refused in Chinese, grade unchanged
    with pytest.raises(ValidationError, match="本年度不晋级"):
        services.step_up(actor=people["quadmin"], worker=worker, year=2024)
    assert Worker.objects.get(pk=worker.pk).grade == 3


def test_the_demo_has_one_due_and_the_exceptions_explained(people, client_for):
    # given the demo district's workers, when the street looks at this year's list
    response = client_for("quadmin").get("/workforce/step-ups/")
    assert response.status_code == 200
    due = response.context["due"]
    held = response.context["held"]
    # then at least one is due and the held ones carry their reasons
    assert due
    reasons = " ".join(d.reason for d in held)
    assert "不称职" in reasons
    assert "处分影响期内" in reasons


def test_applying_a_step_up_raises_the_grade_and_writes_history(people, community):
    worker = hire(people, community, since=date(2020, 1, 1))
    year = timezone.localdate().year
    services.step_up(actor=people["quadmin"], worker=worker, year=year)
    worker.refresh_from_db()
    assert worker.grade == 4
    assert worker.events.filter(kind="grade", grade=4).exists()
    assert AuditEntry.objects.filter(
        target_type="workforce.worker", target_id=str(worker.pk), action="update"
    ).exists()


def test_pay_table_by_year_and_past_months_never_change(people, community):
    # given the demo's standards (last year's and this year's) and last month's sheet
    district = community.ancestor_of_kind("district")
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    assert services.table_for(district, date(today.year - 1, 6, 1)).base == 3200
    assert services.table_for(district, date(today.year, 1, 1)).base == 3400
    sheet = services.make_salary_sheet(
        actor=people["quadmin"], community=community, month=last_month
    )
    before = list(sheet.lines.values_list("worker", "total"))
    assert before
    # when someone tries to change a past month's standard, it is refused
    with pytest.raises(ValidationError) as refused:
        services.set_pay_table(
            actor=people["quadmin"],
            district=district,
            effective_from=last_month,
            base=9999,
            qualification=0,
            grade_allowances={g: 0 for g in range(1, 19)},
        )
    assert "已过去的月份不变" in str(refused.value)
    # and a new standard from next month leaves last month's sheet as it was
    next_month = (today.replace(day=28) + timedelta(days=5)).replace(day=1)
    services.set_pay_table(
        actor=people["quadmin"],
        district=district,
        effective_from=next_month,
        base=5000,
        qualification=500,
        grade_allowances={g: 200 * g for g in range(1, 19)},
    )
    again = services.make_salary_sheet(
        actor=people["quadmin"], community=community, month=last_month
    )
    assert again.pk == sheet.pk
    assert list(again.lines.values_list("worker", "total")) == before
    # and next month's sheet is paid on the new standard
    upcoming = services.make_salary_sheet(
        actor=people["quadmin"], community=community, month=next_month
    )
    line = upcoming.lines.first()
    assert line.base == 5000
    assert line.grade_allowance == Decimal(200 * line.grade)


def test_a_line_is_base_plus_grade_plus_qualification(people, community):
    # given a certified worker on grade 5 and this year's standard
    worker = hire(people, community, grade=5)
    services.add_certificate(
        actor=people["quadmin"],
        worker=worker,
        kind="junior",
        issued_on=date(2020, 1, 1),
    )
    month = timezone.localdate().replace(day=1)
    sheet = services.make_salary_sheet(
        actor=people["quadmin"], community=community, month=month
    )
    line = SalaryLine.objects.get(sheet=sheet, worker=worker)
    # then 3400 + 5×160 + 400
    assert line.total == Decimal("4600")


def test_the_salary_sheet_exports_to_xlsx(people, community, client_for):
    month = timezone.localdate().replace(day=1)
    sheet = services.make_salary_sheet(
        actor=people["quadmin"], community=community, month=month
    )
    response = client_for("shuji").get(f"/workforce/sheets/{sheet.pk}/xlsx/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    rows = list(
        load_workbook(io.BytesIO(body)).worksheets[0].iter_rows(values_only=True)
    )
    assert rows[1][0] == "姓名"
    assert len(rows) - 2 == sheet.lines.count()


def test_recruitment_ranks_by_weighted_total_and_hires_the_first(people, community):
    street = community.ancestor_of_kind("street")
    actor = people["jiedao"]
    round_ = services.open_round(
        actor=actor, street=street, title="招聘", positions=2, held_on=date(2026, 5, 1)
    )
    scores = {"甲": (90, 60), "乙": (70, 90), "丙": (80, 80)}
    for name, (written, interview) in scores.items():
        c = services.add_candidate(
            actor=actor, round=round_, name=name, community=community
        )
        services.score_candidate(
            actor=actor, candidate=c, written=written, interview=interview
        )
    # 60/40: 甲 78, 乙 78, 丙 80 → 丙, then 甲 (written 90 beats 70), then 乙
    assert [c.name for c in services.ranking(round_)] == ["丙", "甲", "乙"]
    hired = services.hire(actor=actor, round=round_)
    assert [w.name for w in hired] == ["丙", "甲"]
    assert all(w.post == Post.STAFF and w.grade == 1 for w in hired)
