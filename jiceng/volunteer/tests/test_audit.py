"""Every volunteering write leaves its audit row: who did what to which row."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiceng.core.models import AuditAction, AuditEntry
from jiceng.volunteer import services
from jiceng.volunteer.models import (
    EntryKind,
    MallItem,
    Project,
    ProjectStatus,
    Team,
    Volunteer,
)

pytestmark = pytest.mark.django_db


def audit_rows(target, action=AuditAction.UPDATE, actor=None):
    rows = AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk), action=action
    )
    if actor is not None:
        rows = rows.filter(actor=actor)
    return rows


def test_sign_up_and_cancel_are_audited(make_activity, member):
    # given an open activity
    activity = make_activity()
    # when the member signs up and cancels
    signup = services.sign_up(actor=member, activity=activity)
    services.cancel_signup(actor=member, signup=signup)
    # then one row records each step, by the member
    created = audit_rows(signup, AuditAction.CREATE, member).get()
    assert created.changes == {"activity": activity.pk, "status": "signed"}
    cancelled = audit_rows(signup, AuditAction.UPDATE, member).get()
    assert cancelled.changes["status"] == "cancelled"


def test_check_in_and_check_out_are_audited(make_activity, member):
    # given a signed-up member at an activity under way
    now = timezone.now()
    activity = make_activity(start=now - timedelta(minutes=10), hours=2)
    services.sign_up(actor=member, activity=activity)
    # when they check in, and out an hour later
    signup = services.check_in(actor=member, activity=activity, now=now)
    services.check_out(actor=member, activity=activity, now=now + timedelta(hours=1))
    # then both are recorded on the sign-up, the check-out with its hours
    rows = list(audit_rows(signup, actor=member).order_by("at", "pk"))
    assert [sorted(r.changes) for r in rows] == [
        ["checked_in_at", "lat", "lng"],
        ["checked_out_at", "hours", "service_hours"],
    ]
    assert rows[1].changes["hours"] == "1"


def test_self_logged_hours_are_audited(member):
    # given a member's profile
    volunteer = services.volunteer_of(member)
    start = timezone.now() - timedelta(days=1)
    # when they log two hours with a witness
    record = services.log_hours(
        actor=member,
        community=volunteer.community,
        title="陪老人散步",
        started_at=start,
        ended_at=start + timedelta(hours=2),
        evidence_note="王阿姨可证明",
    )
    # then the row is recorded as created by them
    row = audit_rows(record, AuditAction.CREATE, member).get()
    assert row.changes == {"hours": "2", "community": volunteer.community_id}


@pytest.fixture
def published_wish(people, grid):
    wish = services.collect_wish(
        actor=people["wangge"],
        place=grid,
        title="想要一个台灯",
        category="study",
        alias="小明",
        consent=True,
    )
    return services.review_wish(actor=people["shuji"], wish=wish, publish=True)


def test_withdrawn_and_released_claims_are_audited(published_wish, member):
    # given a claim the member withdraws
    claim = services.claim_wish(actor=member, wish=published_wish)
    services.withdraw_claim(actor=member, claim=claim)
    # then the withdrawal is recorded by the member
    row = audit_rows(claim, actor=member).get()
    assert row.changes == {"status": "withdrawn", "wish_status": "published"}
    # given a second claim left past its deadline
    again = services.claim_wish(actor=member, wish=published_wish)
    # when the nightly sweep releases it
    services.release_stale_claims(again.due_at + timedelta(minutes=1))
    # then the release is recorded by the system
    row = audit_rows(again).get()
    assert row.actor is None and row.actor_name == "system"
    assert row.changes["status"] == "released"


def test_project_progress_is_audited(people, community, registered):
    # given an open project the registered member claims
    project = services.create_project(
        actor=people["shuji"], community=community, title="楼道照明"
    )
    services.claim_project(actor=registered.volunteer.user, project=project)
    # when the claimant reports progress
    project = Project.objects.get(pk=project.pk)
    services.report_progress(
        actor=registered.volunteer.user,
        project=project,
        progress=40,
        note="已完成两栋楼",
        version=project.version,
    )
    # then the progress is recorded with the new state
    row = audit_rows(project, actor=registered.volunteer.user).latest("pk")
    assert row.changes == {"progress": 40, "status": ProjectStatus.IN_PROGRESS}


def test_mall_item_teams_and_theme_plans_are_audited(people, community, member):
    shuji = people["shuji"]
    # when the community shelves an item, forms a team, adds a member, sets a theme
    item = services.save_item(
        actor=shuji,
        item=MallItem(
            community=community, name="毛巾", kind="goods", points=5, stock=9
        ),
    )
    team = services.create_team(
        actor=shuji, community=community, name="银发服务队", kind="volunteer"
    )
    volunteer = services.volunteer_of(member)
    services.add_team_member(actor=shuji, team=team, volunteer=volunteer, leader=True)
    plan = services.create_theme_plan(
        actor=shuji, community=community, year=2021, month=7, theme="建党百年"
    )
    # then each write has its row by the secretary
    assert audit_rows(item, AuditAction.CREATE, shuji).exists()
    assert audit_rows(team, AuditAction.CREATE, shuji).exists()
    joined = audit_rows(team, AuditAction.UPDATE, shuji).get()
    assert joined.changes == {"member": volunteer.pk, "leader": True}
    assert Team.objects.get(pk=team.pk).leader_id == volunteer.pk
    assert audit_rows(plan, AuditAction.CREATE, shuji).exists()


def test_expired_points_are_audited(member):
    # given points earned now
    volunteer = services.volunteer_of(member)
    services.append_entry(
        volunteer=volunteer, kind=EntryKind.EARN, points=7, reason="x"
    )
    before = audit_rows(volunteer).count()
    # when the sweep runs two years and a day later
    services.expire_points(timezone.now() + timedelta(days=731))
    # then the expiry is recorded by the system on the volunteer
    row = audit_rows(volunteer).latest("pk")
    assert audit_rows(volunteer).count() == before + 1
    assert row.actor is None and row.changes["rule"] == "expire"
    assert Volunteer.objects.get(pk=volunteer.pk).points_balance == 0
