"""示范项目/创投: experts never score their own unit's or street's applications,
scores are normalised per expert, and funding never exceeds the budget."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from jiceng.assessment import services
from jiceng.assessment.models import Application, Expert, Review
from jiceng.places.models import Place, PlaceKind


@pytest.fixture
def call(people):
    district = people["quadmin"].assignments.get().place
    return services.projects.create_call(
        actor=people["quadmin"],
        kind="venture",
        title="公益创投",
        place=district,
        budget=Decimal(100_000),
        max_grant=Decimal(60_000),
        criteria=[{"name": "需求", "weight": 50}, {"name": "可行", "weight": 50}],
        deadline=timezone.localdate() + timedelta(days=10),
    )


def make_experts(streets):
    User = get_user_model()
    experts = []
    for n, street in enumerate(streets):
        user = User.objects.create(username=f"expert{n}")
        user.assignments.create(role="member")
        experts.append(Expert.objects.create(user=user, name=f"专家{n}", street=street))
    return experts


def test_an_expert_never_scores_their_own_streets_application(people, call):
    # given two applications, one from each street, and four experts, one of them
    # from the first street
    streets = list(Place.objects.filter(kind=PlaceKind.STREET).order_by("path"))
    communities = [
        Place.objects.filter(kind=PlaceKind.COMMUNITY, path__startswith=s.path)
        .order_by("path")
        .first()
        for s in streets
    ]
    apps = []
    for community in communities:
        app = services.projects.apply(
            actor=people["quadmin"],
            call=call,
            title=f"{community.name}项目",
            community=community,
            summary="为老服务",
            requested=Decimal(60_000),
        )
        services.projects.check_eligibility(
            actor=people["quadmin"], application=app, eligible=True
        )
        apps.append(app)
    experts = make_experts([streets[0], None, None, None])
    # when the panel is assigned
    excluded = services.projects.assign_panel(
        actor=people["quadmin"], call=call, experts=experts
    )
    # then the first street's expert reviews only the other street's application
    assert excluded == [("专家0", apps[0].title, "申报社区位于专家所在街道")]
    assert not Review.objects.filter(expert=experts[0], application=apps[0]).exists()
    # and sees only what was assigned to them
    assert list(Application.objects.visible_to(experts[0].user)) == [apps[1]]
    with pytest.raises(PermissionDenied):
        services.projects.score(
            actor=experts[0].user, application=apps[0], scores={"需求": 90, "可行": 90}
        )
    # when everyone scores, the allocation stays within the budget
    for review in Review.objects.filter(application__call=call):
        services.projects.score(
            actor=review.expert.user,
            application=review.application,
            scores={"需求": 80, "可行": 70},
        )
    call = services.projects.rank_and_allocate(actor=people["quadmin"], call=call)
    granted = sum(a.granted for a in call.applications.all())
    assert granted <= call.budget and "资助线" in call.allocation_note


def test_zscore_treats_a_harsh_and_a_lenient_expert_alike():
    # given a harsh expert (60, 50) and a lenient one (95, 90) who agree on order
    class R:
        def __init__(self, expert, app, total):
            self.expert_id, self.application_id, self.total = expert, app, total

    reviews = [R(1, "a", 60), R(1, "b", 50), R(2, "a", 95), R(2, "b", 90)]
    # then z-scores: each expert gives a +1, b −1
    assert services.projects.normalised(reviews, "zscore") == {"a": 1.0, "b": -1.0}
    # and trimming with three scores drops the highest and lowest
    trimmed = [R(1, "a", 10), R(2, "a", 80), R(3, "a", 100)]
    assert services.projects.normalised(trimmed, "trim") == {"a": 80.0}


class Ranked:
    def __init__(self, pk, rank, requested):
        self.pk, self.rank, self.requested, self.title = (
            pk,
            rank,
            requested,
            f"项目{pk}",
        )


@settings(max_examples=25, deadline=None)
@given(
    budget=st.integers(min_value=0, max_value=1_000_000),
    requests=st.lists(st.integers(min_value=1, max_value=400_000), max_size=12),
)
def test_allocation_never_exceeds_the_budget(budget, requests):
    ranked = [Ranked(n, n + 1, Decimal(r)) for n, r in enumerate(requests)]
    grants, note = services.projects.allocate_within(ranked, Decimal(budget))
    assert sum(grants.values(), Decimal(0)) <= budget
    # funded in rank order: whoever is funded ranks above everyone not funded
    funded = sorted(grants)
    assert funded == list(range(len(funded)))
    assert note
