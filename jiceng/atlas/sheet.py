"""一小区一图示: everything the wall chart of one compound shows, gathered in a fixed
number of queries whatever the number of buildings.

Rows are read through each model's scope (`visible_to`); the only figures read
beside it are deliberate counts that name nobody (households, residents, party
members and key-population tags per category), each explained where it is made.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Substr

from jiceng.alliances.models import Pair
from jiceng.cases.models import Case
from jiceng.core.models import Assignment
from jiceng.core.roles import Role
from jiceng.core.scope import covers, path_prefix
from jiceng.deliberation.models import CompoundProfile
from jiceng.onewindow.models import ServicePoint
from jiceng.party.models import MemberStatus, PartyMember, PartyOrg, PartyOrgKind
from jiceng.people.models import Household, Resident, ResidentTag, Unit, UnitKind
from jiceng.people.models.key_populations import Sensitivity
from jiceng.places.models import Place, PlaceKind
from jiceng.volunteer.models import RegistrationStatus, UnitRegistration
from jiceng.workforce.models import TeamMember, TeamRole

OPEN_CASES_SHOWN = 12
# Who, in the 网格力量 roster, looks after a building or one of its entrances.
LEAD_ROLES = (TeamRole.BUILDING_LEAD, TeamRole.UNIT_LEAD)


@dataclass
class BuildingRow:
    place: Place
    leads: list = field(default_factory=list)  # "张三 138****1234 (楼栋长)"
    entrances: int = 0
    dwellings: int = 0
    households: int = 0
    residents: int = 0
    party_members: int = 0
    member_households: list = field(default_factory=list)  # 党员中心户 names
    tags: Counter = field(default_factory=Counter)  # category name -> count (seen)
    tagged: list = field(default_factory=list)  # (resident, category) seen in detail

    @property
    def tag_counts(self):
        """[(category name, count)] of the tags seen here (a Counter answers 0 to
        any template lookup, so templates read this list)."""
        return list(self.tags.items())


@dataclass
class KeyPopulationFigure:
    name: str
    sensitivity: int
    count: int
    detailed: bool  # the reader sees these people by name (through the scope)


@dataclass
class Sheet:
    compound: Place
    grid: Place | None
    community: Place | None
    buildings: list
    unplaced: BuildingRow  # people registered on the compound but no building
    key_populations: list
    party_orgs: list
    property_companies: list
    profile: CompoundProfile | None
    committee: list
    pairs: list
    paired_units: list
    open_cases: list
    open_case_count: int
    service_points: list

    @property
    def totals(self):
        rows = [*self.buildings, self.unplaced]
        return {
            "buildings": len(self.buildings),
            "entrances": sum(r.entrances for r in rows),
            "dwellings": sum(r.dwellings for r in rows),
            "households": sum(r.households for r in rows),
            "residents": sum(r.residents for r in rows),
            "party_members": sum(r.party_members for r in rows),
            "member_households": sum(len(r.member_households) for r in rows),
        }

    def features(self, *, wall=False):
        """GeoJSON for the map: the outline, buildings, service points, cases.

        wall: for the poster on the community's wall, without key-population
        figures or cases."""
        features = []

        def add(geometry, **properties):
            features.append(
                {"type": "Feature", "geometry": geometry, "properties": properties}
            )

        c = self.compound
        outline = c.geometry or _point(c)
        if outline:
            add(outline, kind="compound", name=c.name)
        for row in self.buildings:
            geometry = row.place.geometry or _point(row.place)
            if geometry:
                figures = {} if wall else {"tags": sum(row.tags.values())}
                add(
                    geometry,
                    kind="building",
                    name=row.place.name,
                    households=row.households,
                    leads=list(row.leads),
                    member_households=len(row.member_households),
                    **figures,
                )
        for point in self.service_points:
            add(
                {"type": "Point", "coordinates": [point.lng, point.lat]},
                kind="service_point",
                name=point.name,
                label=point.get_kind_display(),
            )
        for case in [] if wall else self.open_cases:
            if case.lat is not None and case.lng is not None:
                add(
                    {"type": "Point", "coordinates": [case.lng, case.lat]},
                    kind="case",
                    name=f"{case.number} {case.category.name}",
                )
        return {"type": "FeatureCollection", "features": features}


def _point(place):
    if place.lat is not None and place.lng is not None:
        return {"type": "Point", "coordinates": [place.lng, place.lat]}
    return None


def compound_for(user, ref):
    """The compound a URL names by code or id, among the places the user sees."""
    places = Place.objects.visible_to(user).filter(kind=PlaceKind.COMPOUND)
    ref = str(ref)
    if not ref.isdigit() or len(ref) > 32:
        return None
    # Compound codes are 18 digits (CJ/T 213 + 3); ids are far shorter.
    lookup = {"code": ref} if len(ref) > 12 else {"pk": int(ref)}
    return places.filter(**lookup).first()


def sees_people_here(user, compound) -> bool:
    """Whether one of the user's grants with people.view covers the whole compound."""
    return covers(user, compound, "people.view")


def count_level(user, compound) -> int:
    """Up to which sensitivity the reader gets key-population counts by category.

    Counts name nobody, but a count of 社区矫正对象 in one compound is still not for
    everyone: whoever holds people.view over the whole compound gets every
    category's count (their own role's limit decides who they see by name); a
    reader without people access there (a property company, a department) gets the
    ordinary categories only (独居老人, 残疾人: those a neighbour helps in an
    emergency). Counts are per compound, never per building, for categories the
    reader cannot see by name.
    """
    if sees_people_here(user, compound):
        return int(Sensitivity.RESTRICTED)
    return int(Sensitivity.ORDINARY)


def build_sheet(user, compound) -> Sheet:
    """Gather the chart of compound for user (who may view the compound)."""
    within = path_prefix(compound.path)
    building_len = len(compound.path) + Place.steplen
    ancestors = Place.objects.filter(
        path__in=Place.lineage_paths(compound.path, include_self=False),
        kind__in=[PlaceKind.GRID, PlaceKind.COMMUNITY],
    )
    by_kind = {a.kind: a for a in ancestors}
    grid, community = by_kind.get(PlaceKind.GRID), by_kind.get(PlaceKind.COMMUNITY)

    # The buildings, and their entrances and dwellings counted per building path.
    buildings = list(
        Place.objects.filter(within, kind=PlaceKind.BUILDING, depth=compound.depth + 1)
        .only("pk", "name", "code", "path", "geometry", "lat", "lng", "kind")
        .order_by("code")
    )
    rows = {b.path: BuildingRow(place=b) for b in buildings}
    unplaced = BuildingRow(place=compound)

    def row_for(path):
        return rows.get(path[:building_len], unplaced)

    place_counts = (
        Place.objects.filter(within, kind__in=[PlaceKind.ENTRANCE, PlaceKind.DWELLING])
        .annotate(building=Substr("path", 1, building_len))
        .values("building", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for item in place_counts:
        row = row_for(item["building"])
        if item["kind"] == PlaceKind.ENTRANCE:
            row.entrances += item["n"]
        else:
            row.dwellings += item["n"]

    # 楼栋长/单元长: accounts holding the role on a building or entrance (shown with
    # the place like its page's 责任人), and the grid roster's leads seen in scope.
    assignments = (
        Assignment.objects.filter(path_prefix(compound.path, "place__path"))
        .filter(active=True, role__in=[Role.BUILDING_LEAD, Role.PROPERTY])
        .select_related("user", "place", "unit")
        .order_by("place__path", "pk")
    )
    property_companies = []
    for a in assignments:
        if a.role == Role.PROPERTY:
            if a.unit_id and a.unit.name not in property_companies:
                property_companies.append(a.unit.name)
            continue
        row = row_for(a.place.path)
        label = a.user.display_name or a.user.username
        suffix = "单元长" if a.place.kind == PlaceKind.ENTRANCE else "楼栋长"
        row.leads.append(f"{label}（{suffix}）")
    roster = (
        TeamMember.objects.visible_to(user)
        .filter(role__in=LEAD_ROLES, building__in=[b.pk for b in buildings])
        .select_related("building")
        .order_by("role", "name")
    )
    for member in roster:
        row = rows.get(member.building.path, unplaced)
        text = f"{member.name}（{member.get_role_display()}）"
        if member.phone_mask:
            text = f"{member.name} {member.phone_mask}（{member.get_role_display()}）"
        if not any(lead.startswith(member.name) for lead in row.leads):
            row.leads.append(text)

    # Households, residents and party members per building: counts of the
    # compound's own registry that name nobody (the 户数人数 of every wall chart),
    # read for every reader who may view the compound.
    for rows_of, lookup, attr in (
        (Household.objects, "place_path", "households"),
        (Resident.objects, "place_path", "residents"),
        (
            PartyMember.objects.exclude(status=MemberStatus.TRANSFERRED_OUT),
            "resident__place_path",
            "party_members",
        ),
    ):
        counts = (
            rows_of.filter(path_prefix(compound.path, lookup))
            .annotate(building=Substr(lookup, 1, building_len))
            .values("building")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for item in counts:
            row = row_for(item["building"])
            setattr(row, attr, getattr(row, attr) + item["n"])

    # The party organisation: the compound's groups and 党员中心户, and the grid's
    # branch above them, through the party scope.
    orgs = list(
        PartyOrg.objects.visible_to(user)
        .filter(
            path_prefix(compound.path, "place__path")
            | Q(place=grid, kind=PartyOrgKind.GRID_BRANCH)
        )
        .select_related("place", "secretary__resident")
        .order_by("path")
    )
    party_orgs = []
    for org in orgs:
        if org.kind == PartyOrgKind.MEMBER_HOUSEHOLD:
            row_for(org.place.path).member_households.append(org.name)
        else:
            party_orgs.append(org)

    # Key populations: by name where the scope shows them, else counts.
    seen = (
        ResidentTag.objects.visible_to(user)
        .filter(path_prefix(compound.path, "resident__place_path"), ended_on=None)
        .select_related("resident__place", "category")
        .order_by("category__order", "resident__name")
    )
    detailed = set()
    for tag in seen:
        row = row_for(tag.resident.place.path)
        row.tags[tag.category.name] += 1
        row.tagged.append((tag.resident, tag.category))
        detailed.add(tag.category_id)
    level = count_level(user, compound)
    totals = (
        ResidentTag.objects.filter(
            path_prefix(compound.path, "resident__place_path"),
            ended_on=None,
            category__sensitivity__lte=level,
        )
        .values("category_id", "category__name", "category__sensitivity")
        .annotate(n=Count("pk"))
        .order_by("category__sensitivity", "category__order", "category_id")
    )
    key_populations = [
        KeyPopulationFigure(
            name=t["category__name"],
            sensitivity=t["category__sensitivity"],
            count=t["n"],
            detailed=t["category_id"] in detailed,
        )
        for t in totals
    ]

    # 物业 and 业委会: the compound's governance record, and the property
    # companies registered on the compound.
    profile = (
        CompoundProfile.objects.visible_to(user)
        .filter(compound=compound)
        .select_related("party_branch")
        .first()
    )
    committee = list(profile.committee_in_office()) if profile else []
    if profile and profile.property_company:
        if profile.property_company not in property_companies:
            property_companies.append(profile.property_company)
    for unit in Unit.objects.visible_to(user).filter(
        place=compound, kind=UnitKind.PROPERTY
    ):
        if unit.name not in property_companies:
            property_companies.append(unit.name)

    # 包联 (units and cadres paired with the compound or its buildings) and the
    # 双报到 units paired with it.
    pairs = list(
        Pair.objects.visible_to(user)
        .filter(path_prefix(compound.path, "place__path"), active=True)
        .select_related("unit", "place")
        .order_by("kind", "place__path", "pk")
    )
    paired_units = list(
        UnitRegistration.objects.visible_to(user)
        .filter(compounds=compound, status=RegistrationStatus.CONFIRMED)
        .select_related("unit")
        .order_by("unit__name")
    )

    cases = Case.objects.visible_to(user).filter(compound=compound, is_open=True)
    open_case_count = cases.count()
    open_cases = list(
        cases.select_related("category").order_by("-created_at")[:OPEN_CASES_SHOWN]
    )

    # Service points in the compound, or serving it from its grid or community.
    nearby = [p.pk for p in (grid, community) if p is not None]
    service_points = list(
        ServicePoint.objects.visible_to(user)
        .filter(active=True)
        .filter(path_prefix(compound.path, "place__path") | Q(place_id__in=nearby))
        .order_by("kind", "name")
    )

    return Sheet(
        compound=compound,
        grid=grid,
        community=community,
        buildings=list(rows.values()),
        unplaced=unplaced,
        key_populations=key_populations,
        party_orgs=party_orgs,
        property_companies=property_companies,
        profile=profile,
        committee=committee,
        pairs=pairs,
        paired_units=paired_units,
        open_cases=open_cases,
        open_case_count=open_case_count,
        service_points=service_points,
    )
