"""平急结合: nobody is in two posts at once; confirm, QR check-in/out, gaps, and
hours to the points ledger when the mode ends."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiceng.core.scope import path_prefix
from jiceng.volunteer.models import PointsEntry, Volunteer
from jiceng.workforce import services
from jiceng.workforce.models import Deployment

pytestmark = pytest.mark.django_db


@pytest.fixture
def mode(people, community):
    street = community.ancestor_of_kind("street")
    now = timezone.now()
    mode = services.declare(
        actor=people["jiedao"],
        area=street,
        kind="epidemic",
        title="测试应急",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
    )
    return mode


def test_no_person_is_in_two_posts_at_the_same_time(people, mode, community):
    jiedao = people["jiedao"]
    street = mode.area
    a = services.add_post(
        actor=jiedao, mobilisation=mode, kind="checkpoint", name="东卡口", place=street
    )
    b = services.add_post(
        actor=jiedao, mobilisation=mode, kind="building", name="3号楼", place=street
    )
    now = timezone.now()
    first = services.add_shift(
        actor=jiedao, post=a, starts_at=now, ends_at=now + timedelta(hours=4)
    )
    overlapping = services.add_shift(
        actor=jiedao,
        post=b,
        starts_at=now + timedelta(hours=2),
        ends_at=now + timedelta(hours=6),
    )
    after = services.add_shift(
        actor=jiedao,
        post=b,
        starts_at=now + timedelta(hours=4),
        ends_at=now + timedelta(hours=8),
    )
    volunteer = Volunteer.objects.filter(
        path_prefix(street.path, "community__path")
    ).first()
    services.assign(actor=jiedao, shift=first, volunteer=volunteer, kind="member")
    # when the same person is put on an overlapping shift elsewhere, it is refused
    with pytest.raises(ValidationError, match="同一时间不能在两个岗位"):
        services.assign(
            actor=jiedao, shift=overlapping, volunteer=volunteer, kind="member"
        )
    # but the shift right after is fine
    services.assign(actor=jiedao, shift=after, volunteer=volunteer, kind="member")
    assert (
        Deployment.objects.filter(
            volunteer=volunteer, shift__post__mobilisation=mode
        ).count()
        == 2
    )


def test_check_in_by_qr_gaps_and_points_when_the_mode_ends(people, mode, client_for):
    jiedao = people["jiedao"]
    post = services.add_post(
        actor=jiedao, mobilisation=mode, kind="supply", name="物资点", place=mode.area
    )
    now = timezone.now()
    shift = services.add_shift(
        actor=jiedao,
        post=post,
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=3),
        needed=2,
    )
    volunteer = (
        Volunteer.objects.filter(user=people["dangyuan"]).first()
        or Volunteer.objects.filter(
            path_prefix(mode.area.path, "community__path")
        ).first()
    )
    deployment = services.assign(
        actor=jiedao, shift=shift, volunteer=volunteer, kind="volunteer"
    )
    # the gap: two needed, nobody on post
    gap = next(g for g in services.gaps(mode) if g["shift"].pk == shift.pk)
    assert gap["short"] == 2
    # the person scans the post's code: check in, then out three hours later
    client = client_for(volunteer.user.username)
    page = client.get(f"/workforce/m/checkin/{post.token}/")
    assert page.status_code == 200
    client.post(f"/workforce/m/checkin/{post.token}/")
    deployment.refresh_from_db()
    assert deployment.checked_in_at is not None
    gap = next(g for g in services.gaps(mode) if g["shift"].pk == shift.pk)
    assert gap["short"] == 1
    services.check_out(
        actor=volunteer.user, deployment=deployment, now=now + timedelta(hours=3)
    )
    deployment.refresh_from_db()
    balance = Volunteer.objects.get(pk=volunteer.pk).points_balance
    # when the street ends the mode, the hours go to the ledger once
    services.end_mode(actor=jiedao, mobilisation=mode)
    deployment.refresh_from_db()
    assert deployment.points_entry is not None
    entry = PointsEntry.objects.get(pk=deployment.points_entry_id)
    assert entry.points == int(deployment.hours * services.mobilisation.POINTS_PER_HOUR)
    assert (
        Volunteer.objects.get(pk=volunteer.pk).points_balance == balance + entry.points
    )


def test_the_street_finds_a_person_by_name_and_puts_them_on_a_shift(
    people, mode, client_for
):
    # given a mode with a post and a shift, and a registered volunteer of the street
    jiedao = people["jiedao"]
    post = services.add_post(
        actor=jiedao,
        mobilisation=mode,
        kind="checkpoint",
        name="北门卡口",
        place=mode.area,
    )
    now = timezone.now()
    shift = services.add_shift(
        actor=jiedao,
        post=post,
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(hours=5),
        needed=1,
    )
    volunteer = Volunteer.objects.filter(
        path_prefix(mode.area.path, "community__path")
    ).first()
    client = client_for("jiedao")
    # when the street searches by part of the name
    page = client.get(f"/workforce/modes/{mode.pk}/", {"q": volunteer.name[1:]})
    # then the person is offered (with their community), and choosing them assigns
    assert volunteer in page.context["candidates"]
    assert f"{volunteer.name}（{volunteer.community.name}" in page.content.decode()
    client.post(
        f"/workforce/modes/{mode.pk}/assign/",
        {"shift": shift.pk, "volunteer": volunteer.pk, "kind": "volunteer"},
    )
    assert Deployment.objects.filter(shift=shift, volunteer=volunteer).exists()
    # and a name from outside the street's area finds nobody
    assert (
        client.get(f"/workforce/modes/{mode.pk}/", {"q": "不存在的人"}).context[
            "candidates"
        ]
        == []
    )
