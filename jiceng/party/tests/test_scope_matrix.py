"""Party joins the shared scope matrix: lists, details, API and exports agree with
each model's scope for every demo role (jiceng.core.testing).

The organisation index shows the top of one's tree (or search results), not a
countable list, so organisations are checked by detail and API. Member units and
part-time members of a 大工委 show on its page, read through their own scopes.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiceng.core.models import Assignment
from jiceng.core.testing import Surface, scope_matrix
from jiceng.party import services
from jiceng.party.models import (
    Assessment,
    Attendance,
    DuesBand,
    DuesPayment,
    FlexMembership,
    FlexOrg,
    FlowingMember,
    JointCommitteeUnit,
    Meeting,
    MeetingRule,
    MemberPost,
    MemberStatus,
    MemberTransfer,
    PartTimeMember,
    PartyMember,
    PartyOrg,
    Recruit,
    Rectification,
    RosterCheck,
    SecretaryElection,
    Standard,
    UnitCoverage,
)
from jiceng.places.models import Place

SURFACES = [
    Surface(
        PartyOrg,
        detail_url=lambda o: f"/party/orgs/{o.pk}/",
        api_list="/api/v1/party-orgs/",
        api_detail=lambda o: f"/api/v1/party-orgs/{o.pk}",
    ),
    Surface(
        PartyMember,
        list_url="/party/members/",
        detail_url=lambda m: f"/party/members/{m.pk}/",
        api_list="/api/v1/members/",
        api_detail=lambda m: f"/api/v1/members/{m.pk}",
        export_url="/transfer/export/members.xlsx",
    ),
    Surface(
        RosterCheck,
        list_url="/party/roster-checks/",
        detail_url=lambda c: f"/party/roster-checks/{c.pk}/",
    ),
    Surface(JointCommitteeUnit),
    Surface(PartTimeMember),
    Surface(
        MemberTransfer,
        list_url="/party/transfers/",
        api_list="/api/v1/party/transfers/",
    ),
    Surface(
        Meeting,
        list_url="/party/meetings/",
        detail_url=lambda m: f"/party/meetings/{m.pk}/",
        api_list="/api/v1/party/meetings/",
        api_detail=lambda m: f"/api/v1/party/meetings/{m.pk}",
    ),
    Surface(
        FlexOrg,
        list_url="/party/flex/",
        detail_url=lambda o: f"/party/flex/{o.pk}/",
    ),
    Surface(Assessment, list_url="/party/standards/"),
    Surface(Recruit, list_url="/party/recruits/"),
    Surface(Attendance),
    Surface(MeetingRule),
    Surface(Standard),
    Surface(Rectification),
    Surface(MemberPost),
    Surface(FlexMembership),
    Surface(FlowingMember),
    Surface(UnitCoverage),
    Surface(DuesBand),
    Surface(DuesPayment),
    Surface(SecretaryElection, list_url="/party/elections/"),
    # the edit pages open exactly the rows the user may change
    *[
        Surface(
            PartyOrg,
            detail_url=lambda o, step=step: f"/party/orgs/{o.pk}/{step}/",
            action="change",
            permission="party.change",
        )
        for step in ("edit", "move", "dissolve", "part-time/new")
    ],
    *[
        Surface(
            PartyMember,
            detail_url=lambda m, step=step: f"/party/members/{m.pk}/{step}/",
            action="change",
            permission="party.change",
        )
        for step in ("edit", "transfer")
    ],
]

test_scope_matrix = scope_matrix(SURFACES)


def _roster(member):
    row = f"{member.resident.name},{member.resident.id_number}\n"
    return SimpleUploadedFile("名单.csv", ("姓名,身份证号\n" + row).encode())


@pytest.fixture(autouse=True)
def roster_checks(db):
    """双向核查 in two streets, one started by a unit (the demo seeds none)."""
    in_service = PartyMember.objects.filter(status=MemberStatus.IN_SERVICE)
    for username in ("shuji", "jiedao2"):
        actor = Assignment.objects.get(user__username=username, active=True).user
        community = Place.objects.filter(
            kind="community", pk__in=Place.objects.visible_to(actor).values("pk")
        ).first()
        member = in_service.filter(place__in=Place.objects.subtree_of(community))[0]
        services.start_check(
            actor=actor, community=community, unit=None, upload=_roster(member)
        )
    unit_grant = Assignment.objects.get(user__username="danwei", active=True)
    member = in_service.filter(unit=unit_grant.unit).select_related("place").first()
    services.start_check(
        actor=unit_grant.user,
        community=member.place.ancestor_of_kind("community"),
        unit=unit_grant.unit,
        upload=_roster(member),
    )
