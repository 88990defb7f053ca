"""Community funds (spending within the budget, execution rate, export for audit),
honours (nomination → award after publicity) and 述职评议."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiceng.assessment import services
from jiceng.core.errors import Conflict


def test_spending_stays_within_the_budget_and_exports(people, client_for):
    community = people["shuji"].assignments.get().place
    budget = services.funds.set_budget(
        actor=people["shuji"],
        community=community,
        year=2031,
        source="service",
        amount=Decimal(1000),
    )
    services.funds.spend(
        actor=people["shuji"],
        budget=budget,
        spent_on=date(2031, 3, 1),
        amount=Decimal(600),
        purpose="敬老活动",
    )
    with pytest.raises(Conflict, match="余额不足"):
        services.funds.spend(
            actor=people["shuji"],
            budget=budget,
            spent_on=date(2031, 3, 2),
            amount=Decimal(500),
            purpose="超支",
        )
    [row] = services.funds.summary(people["shuji"], 2031)
    assert row["balance"] == Decimal(400) and row["rate"] == 60
    export = client_for("shuji").get("/assessment/funds/export.xlsx?year=2031")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_an_honour_is_awarded_only_after_publicity(people):
    community = people["shuji"].assignments.get().place
    honour = services.honours.nominate(
        actor=people["shuji"],
        kind="grid_worker",
        year=2026,
        title="优秀网格员",
        nominee="张敏",
        place=community,
        deeds="走访群众三百余户，化解矛盾纠纷二十余起。",
    )
    today = timezone.localdate()
    services.honours.advance(actor=people["shuji"], honour=honour, today=today)
    honour = services.honours.advance(actor=people["shuji"], honour=honour, today=today)
    with pytest.raises(ValidationError, match="公示期"):
        services.honours.advance(actor=people["shuji"], honour=honour, today=today)
    honour = services.honours.advance(
        actor=people["shuji"], honour=honour, today=today + timedelta(days=8)
    )
    assert honour.status == "awarded"


def test_an_appraisal_weighs_street_and_residents(people):
    community = people["shuji"].assignments.get().place
    appraisal = services.honours.open_appraisal(
        actor=people["jiedao"],
        community=community,
        year=2031,
        secretary="王芳",
        report="述职报告",
    )
    services.honours.add_score(
        actor=people["jiedao"],
        appraisal=appraisal,
        kind="street",
        scorer="街道",
        score=90,
    )
    appraisal = services.honours.add_score(
        actor=people["jiedao"],
        appraisal=appraisal,
        kind="resident",
        scorer="代表甲",
        score=80,
    )
    # 90 × 0.6 + 80 × 0.4 = 86 → 较好
    assert appraisal.total == Decimal("86.00") and appraisal.grade == "good"
