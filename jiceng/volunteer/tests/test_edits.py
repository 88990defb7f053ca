"""What the volunteering pages create can be corrected and ended: an activity edited
or cancelled, a need edited or withdrawn, a resource edited or set aside, a mall
item taken off the shelf, a team member removed and the leader handed over. Each
is audited; a stale page is told someone else saved first."""

import pytest
from django.core.exceptions import ValidationError

from jiceng.core.audit import entries_for
from jiceng.core.errors import Conflict
from jiceng.core.models import AuditAction
from jiceng.volunteer import services
from jiceng.volunteer.models import (
    ActivityStatus,
    MallItem,
    Need,
    NeedStatus,
    Resource,
    Team,
    Volunteer,
)

pytestmark = pytest.mark.django_db


def when(dt):
    return dt.astimezone().strftime("%Y-%m-%dT%H:%M")


def activity_form(activity, **changes):
    data = {
        "title": activity.title,
        "venue": activity.venue,
        "starts_at": when(activity.starts_at),
        "ends_at": when(activity.ends_at),
        "capacity": activity.capacity,
        "points_per_hour": activity.points_per_hour,
        "version": activity.version,
    }
    return {**data, **changes}


def test_an_activity_is_edited_and_a_stale_page_is_told(client_for, make_activity):
    activity = make_activity(start=None, capacity=5)
    page = f"/volunteer/activities/{activity.pk}/edit/"
    assert client_for("shuji").get(page).status_code == 200
    form = activity_form(activity, venue="社区广场", capacity=8)
    response = client_for("shuji").post(page, form)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.venue, activity.capacity) == ("社区广场", 8)
    assert entries_for(activity).first().changes["venue"][1] == "社区广场"
    # a second editor on the old page is told, and keeps what they typed
    stale = client_for("shuji").post(page, {**form, "venue": "另一个地点"})
    assert stale.status_code == 400
    assert "已被他人更新" in stale.content.decode()
    assert "另一个地点" in stale.content.decode()


def test_capacity_may_not_drop_below_those_signed_up(make_activity, member, people):
    activity = make_activity(capacity=5)
    services.sign_up(actor=member, activity=activity)
    with pytest.raises(ValidationError):
        services.update_activity(actor=people["shuji"], activity=activity, capacity=0)


def test_an_activity_is_cancelled_once(client_for, make_activity, people):
    activity = make_activity()
    version = activity.version
    response = client_for("shuji").post(
        f"/volunteer/activities/{activity.pk}/cancel-activity/", {"version": version}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED
    assert entries_for(activity).first().action == AuditAction.UPDATE
    with pytest.raises((Conflict, ValidationError)):
        services.cancel_activity(
            actor=people["shuji"], activity=activity, version=version
        )


@pytest.fixture
def need(people, community):
    return services.add_need(
        actor=people["shuji"], community=community, title="助老送餐", people=2
    )


def test_a_need_is_edited_and_withdrawn(client_for, need):
    response = client_for("shuji").post(
        f"/volunteer/needs/{need.pk}/edit/",
        {"title": "助老送餐（午餐）", "people": 3, "version": need.version},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.title, need.people) == ("助老送餐（午餐）", 3)
    response = client_for("shuji").post(
        f"/volunteer/needs/{need.pk}/close/", {"version": need.version}
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.CLOSED
    assert entries_for(need).first().changes["status"][1] == NeedStatus.CLOSED
    # a withdrawn need is offered to the matcher no more
    assert not Need.objects.filter(pk=need.pk, status=NeedStatus.OPEN).exists()


def test_a_member_edits_and_sets_aside_their_own_resource(
    client_for, member, community
):
    resource = services.add_resource(
        actor=member, community=community, kind="skill", title="理发"
    )
    response = client_for("dangyuan").post(
        f"/volunteer/resources/{resource.pk}/edit/",
        {
            "kind": "skill",
            "title": "义务理发",
            "capacity": 4,
            "max_distance": 2000,
            "version": resource.version,
        },
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "义务理发"
    client_for("dangyuan").post(
        f"/volunteer/resources/{resource.pk}/active/",
        {"active": "0", "version": resource.version},
    )
    resource.refresh_from_db()
    assert resource.active is False
    assert entries_for(resource).first().changes["active"] == [True, False]
    # another member cannot touch it
    assert (
        client_for("wangge")
        .get(f"/volunteer/resources/{resource.pk}/edit/")
        .status_code
        == 404
    )


def test_a_mall_item_is_unlisted_and_members_no_longer_see_it(client_for, item, member):
    response = client_for("shuji").post(
        f"/volunteer/mall/{item.pk}/listed/", {"listed": "0", "version": item.version}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.active is False
    assert not MallItem.objects.visible_to(member).filter(pk=item.pk).exists()
    assert entries_for(item).first().changes["active"] == [True, False]
    # another street's staff gets 404 and the item is unchanged
    response = client_for("jiedao2").post(
        f"/volunteer/mall/{item.pk}/listed/", {"listed": "1", "version": item.version}
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.active is False


@pytest.fixture
def team(people, community):
    team = services.create_team(
        actor=people["shuji"], community=community, name="银发服务队", kind="volunteer"
    )
    volunteers = list(Volunteer.objects.filter(community=community)[:2])
    services.add_team_member(
        actor=people["shuji"], team=team, volunteer=volunteers[0], leader=True
    )
    services.add_team_member(actor=people["shuji"], team=team, volunteer=volunteers[1])
    return Team.objects.get(pk=team.pk)


def test_the_leader_is_handed_over_then_removed(client_for, team):
    leader = team.leader
    other = team.members.exclude(pk=leader.pk).get()
    # the leader cannot be removed while leading
    response = client_for("shuji").post(
        f"/volunteer/teams/{team.pk}/remove-member/",
        {"volunteer": leader.pk, "version": team.version},
    )
    assert team.members.filter(pk=leader.pk).exists()
    # hand over, then remove
    client_for("shuji").post(
        f"/volunteer/teams/{team.pk}/leader/",
        {"volunteer": other.pk, "version": team.version},
    )
    team.refresh_from_db()
    assert team.leader == other
    response = client_for("shuji").post(
        f"/volunteer/teams/{team.pk}/remove-member/",
        {"volunteer": leader.pk, "version": team.version},
    )
    assert response.status_code == 302
    assert not team.members.filter(pk=leader.pk).exists()
    changes = [e.changes for e in entries_for(team)[:2]]
    assert {"removed": str(leader)} in changes
    assert {"leader": [str(leader), str(other)]} in changes


def test_a_stale_team_page_is_told(people, team):
    version = team.version
    other = team.members.exclude(pk=team.leader_id).get()
    services.hand_over_leader(
        actor=people["shuji"], team=team, volunteer=other, version=version
    )
    with pytest.raises(Conflict):
        services.remove_team_member(
            actor=people["shuji"], team=team, volunteer=other, version=version
        )


def test_out_of_scope_staff_get_404_on_every_new_page(
    client_for, make_activity, need, team, item
):
    activity = make_activity(start=None)
    resource = Resource.objects.create(
        community=need.community, kind="venue", title="活动室"
    )
    for url in (
        f"/volunteer/activities/{activity.pk}/edit/",
        f"/volunteer/needs/{need.pk}/edit/",
        f"/volunteer/resources/{resource.pk}/edit/",
    ):
        assert client_for("jiedao2").get(url).status_code == 404, url
    for url in (
        f"/volunteer/activities/{activity.pk}/cancel-activity/",
        f"/volunteer/needs/{need.pk}/close/",
        f"/volunteer/resources/{resource.pk}/active/",
        f"/volunteer/mall/{item.pk}/listed/",
        f"/volunteer/teams/{team.pk}/remove-member/",
        f"/volunteer/teams/{team.pk}/leader/",
    ):
        assert client_for("jiedao2").post(url, {"version": 0}).status_code == 404, url
        assert client_for("wangge").post(url, {"version": 0}).status_code in (
            403,
            404,
        ), url
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PUBLISHED
    assert team.members.count() == 2


def test_edit_links_show_only_to_managers(client_for, make_activity):
    activity = make_activity(start=None)
    link = f"/volunteer/activities/{activity.pk}/edit/"
    assert link in client_for("shuji").get(activity.get_absolute_url()).content.decode()
    member_view = client_for("dangyuan").get(activity.get_absolute_url())
    assert link not in member_view.content.decode()
