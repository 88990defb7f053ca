"""Named people for volunteering: shuji (community secretary), dangyuan (an in-service
member of danwei's unit living in shuji's community), danwei (that unit's party
organisation), wangge (grid worker in the same community), wangge2 (another
street's grid worker), jiedao2 (another street's admin)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiceng.core.models import Assignment
from jiceng.party.models import MemberStatus, PartyMember
from jiceng.places.models import PlaceKind
from jiceng.volunteer.models import MallItem


@pytest.fixture
def community(people):
    return Assignment.objects.get(user=people["shuji"]).place


@pytest.fixture
def unit(people):
    return Assignment.objects.get(user=people["danwei"]).unit


@pytest.fixture
def member(people, unit):
    """dangyuan as an in-service member employed by danwei's unit."""
    party_member = PartyMember.objects.get(resident__user=people["dangyuan"])
    party_member.status, party_member.unit = MemberStatus.IN_SERVICE, unit
    party_member.save()
    # the demo leaves dangyuan checked in at an activity under way: check out
    from django.db.models import F

    from jiceng.volunteer.models import Signup

    Signup.objects.filter(
        volunteer__user=people["dangyuan"],
        checked_in_at__isnull=False,
        checked_out_at__isnull=True,
    ).update(checked_out_at=F("checked_in_at"))
    return people["dangyuan"]


@pytest.fixture
def grid(people):
    return (
        (Assignment.objects.filter(user=people["wangge"]).order_by("place__code"))
        .first()
        .place
    )


@pytest.fixture
def other_grid(people):
    return Assignment.objects.get(user=people["wangge2"]).place


@pytest.fixture
def other_community(other_grid):
    return other_grid.ancestor_of_kind(PlaceKind.COMMUNITY)


@pytest.fixture
def registered(member, community, people):
    """dangyuan registered to the home community, confirmed by shuji."""
    from jiceng.volunteer import services
    from jiceng.volunteer.models import MemberRegistration, RegistrationStatus

    existing = MemberRegistration.objects.filter(
        volunteer__user=member, status=RegistrationStatus.CONFIRMED
    ).first()
    if existing:
        return existing
    MemberRegistration.objects.filter(volunteer__user=member).update(
        status=RegistrationStatus.WITHDRAWN
    )
    registration = services.register_member(actor=member, commitments="每月服务一次")
    return services.decide_registration(
        actor=people["shuji"], registration=registration, approve=True
    )


@pytest.fixture
def make_activity(people, community):
    from jiceng.volunteer import services

    def make(start=None, hours=2, capacity=5, **fields):
        start = start or timezone.now() - timedelta(minutes=10)
        return services.publish_activity(
            actor=people["shuji"],
            community=community,
            title=fields.pop("title", "清理楼道杂物"),
            venue="幸福社区党群服务中心",
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            capacity=capacity,
            **fields,
        )

    return make


@pytest.fixture
def item(community):
    return MallItem.objects.create(
        community=community, name="洗衣液", kind="goods", points=30, stock=3
    )


@pytest.fixture
def jpeg():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def make(name="photo.jpg"):
        buffer = io.BytesIO()
        Image.new("RGB", (30, 20), "green").save(buffer, "JPEG")
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")

    return make
