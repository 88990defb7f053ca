"""Assessment joins the shared scope matrix: ratings (a company sees its own),
boards, interviews, the inspection plans and ledger, bulletins, calls and
applications (experts see only theirs), budgets and spending, honours, appraisals."""

from jiceng.assessment.models import (
    Application,
    Appraisal,
    Budget,
    Bulletin,
    BulletinTemplate,
    Call,
    Honour,
    Inspection,
    InspectionPlan,
    Interview,
    MutualRating,
    Problem,
    Ranking,
    RankingEntry,
    Rating,
    Spending,
)
from jiceng.core.testing import Surface, scope_matrix

SURFACES = [
    Surface(
        Rating,
        list_url="/assessment/ratings/",
        detail_url=lambda r: f"/assessment/ratings/{r.pk}/",
        api_list="/api/v1/ratings/",
    ),
    Surface(MutualRating, list_url="/assessment/mutual/"),
    Surface(
        Ranking,
        list_url="/assessment/rankings/",
        detail_url=lambda r: f"/assessment/rankings/{r.pk}/",
    ),
    Surface(RankingEntry),
    Surface(Interview, list_url="/assessment/interviews/"),
    Surface(
        InspectionPlan,
        list_url="/assessment/plans/",
        detail_url=lambda p: f"/assessment/plans/{p.pk}/",
    ),
    Surface(Inspection, detail_url=lambda i: f"/assessment/inspections/{i.pk}/"),
    Surface(
        Problem,
        list_url="/assessment/problems/",
        detail_url=lambda p: f"/assessment/problems/{p.pk}/",
    ),
    Surface(BulletinTemplate),
    Surface(
        Bulletin,
        list_url="/assessment/bulletins/",
        detail_url=lambda b: f"/assessment/bulletins/{b.pk}/",
    ),
    Surface(
        Call,
        list_url="/assessment/calls/",
        detail_url=lambda c: f"/assessment/calls/{c.pk}/",
    ),
    Surface(
        Application,
        list_url="/assessment/applications/",
        detail_url=lambda a: f"/assessment/applications/{a.pk}/",
    ),
    Surface(Budget, list_url="/assessment/funds/", permission="assessment.funds"),
    Surface(Spending),
    Surface(
        Honour,
        list_url="/assessment/honours/",
        detail_url=lambda h: f"/assessment/honours/{h.pk}/",
    ),
    Surface(
        Appraisal,
        list_url="/assessment/appraisals/",
        detail_url=lambda a: f"/assessment/appraisals/{a.pk}/",
    ),
]

test_scope_matrix = scope_matrix(SURFACES)
