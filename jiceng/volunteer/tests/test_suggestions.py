"""The matcher's suggestions are only for needs that still wait: a need made into a
project (已立项) or solved (已解决) leaves the suggestion list, audited."""

import pytest

from jiceng.core.models import AuditEntry
from jiceng.volunteer import services
from jiceng.volunteer.models import Match, MatchStatus, Need, NeedStatus

pytestmark = pytest.mark.django_db


def test_the_demo_suggests_no_need_already_in_a_project_or_solved(client_for):
    # given the seeded district's 对单配餐 suggestions
    stale = Match.objects.filter(status=MatchStatus.PROPOSED).exclude(
        need__status=NeedStatus.OPEN
    )
    # then none is for a need that no longer waits
    assert not stale.exists()
    page = client_for("shuji").get("/volunteer/matches/").content.decode()
    for need in Need.objects.exclude(status=NeedStatus.OPEN):
        assert f">{need.title}<" not in page


def test_a_need_made_into_a_project_takes_its_suggestions_along(people, community):
    # given a need the matcher proposed a resource for
    need = services.add_need(
        actor=people["shuji"], community=community, title="老人理发", skills="理发"
    )
    services.add_resource(
        actor=people["shuji"],
        community=community,
        kind="skill",
        title="义务理发",
        skills="理发",
        capacity=3,
    )
    services.propose_matches(actor=people["shuji"], community=community)
    assert Match.objects.suggestions().filter(need=need).exists()

    # when the community makes the need a project (立项)
    services.create_project(
        actor=people["shuji"], community=community, title="爱心理发", needs=[need]
    )

    # then its proposals are withdrawn, with an audit row, and no longer suggested
    assert not Match.objects.suggestions().filter(need=need).exists()
    assert Match.objects.filter(need=need, status=MatchStatus.WITHDRAWN).exists()
    entry = AuditEntry.objects.filter(target_type="volunteer.match").latest("pk")
    assert entry.actor == people["shuji"] and "需求已立项" in entry.target_repr
    # and running the matcher again does not bring them back
    services.propose_matches(actor=people["shuji"], community=community)
    assert not Match.objects.suggestions().filter(need=need).exists()
