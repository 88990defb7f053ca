"""The demo district's party: who among the residents is a member, and each street's
organisation tree (党工委 → 社区党委 → 网格党支部 → 楼栋党小组, with 党员中心户 and
党员家庭联组), secretaries, and the 大工委/大党委 member units and part-time members."""

from datetime import date, timedelta

from django.db.models import Q

from jiceng.core.scope import path_prefix
from jiceng.party.models import (
    JointCommitteeUnit,
    MemberStatus,
    PartTimeMember,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    RosterCheck,
)
from jiceng.people.models import ResidenceType

from .common import (
    BASE_DATE,
    BATCH_SIZE,
    next_root_index,
    number_tree,
    path_step,
    purge,
    set_column,
    years_ago,
)
from .units import pick_unit, positions_for

PARTY_RATE = ((30, 0.031), (45, 0.047), (60, 0.062), (80, 0.13), (200, 0.13))


class OrgNode:
    """A party organisation being built."""

    __slots__ = (
        "children",
        "founded",
        "joint",
        "kind",
        "name",
        "path",
        "pk",
        "place",
        "scope",
        "secretary",
    )

    def __init__(self, kind, name, place, founded, parent=None, joint=False):
        self.kind, self.name, self.place, self.founded = (kind, name, place, founded)
        self.joint = joint
        self.children = []
        self.pk = self.secretary = self.path = self.scope = None
        if parent is not None:
            parent.children.append(self)


class MemberRec:
    """What the organisation builder needs to know about one party member."""

    __slots__ = (
        "age",
        "building",
        "dwelling",
        "grid",
        "joined_on",
        "name",
        "pk",
        "probationary",
        "resident",
        "status",
        "unit_pk",
    )

    def __init__(self, **kwargs):
        self.pk = None
        for key, value in kwargs.items():
            setattr(self, key, value)


def maybe_member(rng, resident, age, rtype, units, s, grid, building, dwelling):
    """A MemberRec when the resident (of street number s) is a party member, else
    None; an in-service member works at a unit with a party organisation."""
    if age < 18:
        return None
    rate = next(r for limit, r in PARTY_RATE if age < limit)
    if rng.random() >= rate:
        return None
    retired_age = 60 if resident.sex == "M" else 55
    unit_pk = None
    if rtype == ResidenceType.FLOATING and rng.random() < 0.7:
        status = MemberStatus.MOBILE
    elif age >= retired_age:
        status = MemberStatus.RETIRED if rng.random() < 0.93 else MemberStatus.OTHER
    else:
        roll = rng.random()
        if roll < 0.72:
            status = MemberStatus.IN_SERVICE
            unit_pk = pick_unit(
                rng, units.org_by_street[s], units.with_org or units.all
            )
            resident.work_unit_id = unit_pk
        elif roll < 0.86:
            status = MemberStatus.MOBILE
        else:
            status = MemberStatus.OTHER
    birth = resident.birth_date
    probationary = age < 20 or (age < 40 and rng.random() < 0.05)
    if probationary:
        joined = BASE_DATE - timedelta(days=rng.randint(20, 360))
    else:
        oldest = max(19, min(age, 60))
        join_age = int(rng.triangular(18, oldest, min(24, oldest)))
        joined = min(
            date(birth.year + join_age, 7, 1) + timedelta(days=rng.randint(-150, 150)),
            BASE_DATE - timedelta(days=400),
        )
    joined = max(joined, date(birth.year + 18, birth.month, min(birth.day, 28)))
    return MemberRec(
        resident=resident,
        name=resident.name,
        age=age,
        status=status,
        unit_pk=unit_pk,
        joined_on=joined,
        probationary=probationary,
        grid=grid,
        building=building,
        dwelling=dwelling,
    )


class PartyBuilder:
    """Writes each street's organisation tree, then the joint committees' members."""

    def __init__(self, *, size, streams, identities):
        self.size, self.streams, self.identities = size, streams, identities
        self.committees = []  # (joint committee node, street index, community node)
        self.next_org_root = next_root_index(PartyOrg)

    def build_street(self, s, street, members):
        """The organisation tree of street number s, its members and the
        secretaries; returns the number of organisations."""
        rng = self.streams("orgs", s)
        root, branch_of = self._tree(rng, s, street, members)

        # Secretaries: someone from the organisation's own subtree, preferring people
        # of working or early-retirement age; a member household is led by its lead.
        used = set()
        self._walk_orgs(root, lambda node: self._pick_secretary(rng, node, used))

        # Paths, then rows.
        nodes = number_tree(root, path_step(self.next_org_root))
        self.next_org_root += 1
        self._write(nodes, members, branch_of)
        for node in nodes:
            node.scope = None
        for community in street.children:
            for grid in community.children:
                grid.extra = None
        street.extra = None
        return len(nodes)

    def _tree(self, rng, s, street, members):
        """The street's organisation nodes, each with the members in its scope."""
        root = OrgNode(
            PartyOrgKind.STREET_COMMITTEE,
            f"{street.name}党工委",
            street,
            years_ago(rng.randint(20, 40), rng),
            joint=True,
        )
        root.scope = members
        self.committees.append((root, s, None))
        branch_of = {}
        group_of = {}
        for community in street.children:
            committee = OrgNode(
                PartyOrgKind.COMMUNITY_COMMITTEE,
                f"{community.name}党委",
                community,
                years_ago(rng.randint(10, 25), rng),
                root,
                joint=True,
            )
            committee.scope = [m for m in members if m.grid.parent is community]
            self.committees.append((committee, s, community))
            for grid in community.children:
                branch = OrgNode(
                    PartyOrgKind.GRID_BRANCH,
                    f"{community.name}{grid.name}党支部",
                    grid,
                    years_ago(rng.randint(3, 9), rng),
                    committee,
                )
                branch.scope = [m for m in committee.scope if m.grid is grid]
                branch_of[id(grid)] = branch
                for compound in grid.children:
                    for building in compound.children:
                        group = OrgNode(
                            PartyOrgKind.BUILDING_GROUP,
                            f"{compound.name}{building.name}党小组",
                            building,
                            years_ago(rng.randint(1, 7), rng),
                            branch,
                        )
                        group.scope = [
                            m for m in branch.scope if m.building is building
                        ]
                        group_of[id(building)] = group
                self._member_households(rng, grid, group_of)
                self._family_groups(rng, grid, group_of)
        return root, branch_of

    @staticmethod
    def _write(nodes, members, branch_of):
        objs = [
            PartyOrg(
                path=n.path,
                depth=len(n.path) // PartyOrg.steplen,
                numchild=len(n.children),
                name=n.name,
                kind=n.kind,
                place_id=n.place.pk,
                place_path=n.place.path,  # bulk: no save()
                is_joint_committee=n.joint,
                founded_on=n.founded,
            )
            for n in nodes
        ]
        PartyOrg.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        for node, obj in zip(nodes, objs, strict=True):
            node.pk = obj.pk

        member_objs = [
            PartyMember(
                resident_id=m.resident,
                org_id=branch_of[id(m.grid)].pk,
                unit_id=m.unit_pk,
                place_id=m.grid.pk,
                status=m.status,
                joined_on=m.joined_on,
                is_probationary=m.probationary,
            )
            for m in members
        ]
        PartyMember.objects.bulk_create(member_objs, batch_size=BATCH_SIZE)
        for rec, obj in zip(members, member_objs, strict=True):
            rec.pk = obj.pk
        set_column(
            PartyOrg,
            "secretary",
            [(n.secretary.pk, n.pk) for n in nodes if n.secretary is not None],
        )

    def _walk_orgs(self, node, visit):
        visit(node)
        for child in node.children:
            self._walk_orgs(child, visit)

    def _pick_secretary(self, rng, node, used):
        if node.secretary is not None or not node.scope:
            return
        fresh = [
            m
            for m in node.scope
            if id(m) not in used
            and 30 <= m.age < 70
            and m.status != MemberStatus.MOBILE
            and not m.probationary
        ]
        fresh = fresh or [m for m in node.scope if id(m) not in used]
        if fresh:
            chosen = rng.choice(fresh)
            used.add(id(chosen))
            node.secretary = chosen

    def _member_households(self, rng, grid, group_of):
        """One 党员中心户 per 30–50 households, led by a member living among them."""
        households = grid.extra
        start = 0
        while start < len(households):
            end = min(len(households), start + rng.randint(30, 50))
            if len(households) - end < 15:
                end = len(households)
            chunk = households[start:end]
            start = end
            candidates = [
                m
                for _, _, here in chunk
                for m in here
                if m.status != MemberStatus.MOBILE and not m.probationary
            ]
            if not candidates:
                continue
            retired = [m for m in candidates if m.status == MemberStatus.RETIRED]
            lead = rng.choice(retired if retired and rng.random() < 0.7 else candidates)
            dwelling = lead.dwelling
            place = dwelling if rng.random() < 0.7 else dwelling.parent
            node = OrgNode(
                PartyOrgKind.MEMBER_HOUSEHOLD,
                f"{lead.name}党员中心户",
                place,
                years_ago(rng.randint(0, 5), rng),
                group_of[id(lead.building)],
            )
            node.secretary = lead
            node.scope = [lead]

    def _family_groups(self, rng, grid, group_of):
        if rng.random() >= self.size.family_group_share:
            return
        buildings = [
            b
            for c in grid.children
            for b in c.children
            if len(group_of[id(b)].scope) >= 2
        ]
        if not buildings:
            return
        building = rng.choice(buildings)
        group = group_of[id(building)]
        node = OrgNode(
            PartyOrgKind.FAMILY_GROUP,
            f"{building.parent.name}{building.name}党员家庭联组",
            building,
            years_ago(rng.randint(0, 4), rng),
            group,
        )
        node.scope = list(group.scope)

    def build_joint_committees(self, district, units):
        """Member units (3–8) and part-time members (2–5) of every 党工委 and 社区党委."""
        rng = self.streams("joint")
        communities = [c for s in district.children for c in s.children]
        joint_rows, part_time_rows = [], []
        for committee, s, community in self.committees:
            if community is None:
                pool = units.by_street[s]
            else:
                ci = communities.index(community)
                pool = [u for u in units.by_street[s] if u.community == ci]
            with_org = [u for u in pool if u.has_org]
            others = [u for u in pool if not u.has_org]
            rng.shuffle(with_org)
            rng.shuffle(others)
            picked = (with_org + others)[: rng.randint(3, 8)]
            for unit in picked:
                joint_rows.append(
                    JointCommitteeUnit(
                        committee_id=committee.pk,
                        unit_id=unit.pk,
                        joined_on=years_ago(rng.randint(0, 7), rng),
                    )
                )
            for unit in picked[: rng.randint(2, 5)]:
                part_time_rows.append(
                    PartTimeMember(
                        committee_id=committee.pk,
                        unit_id=unit.pk,
                        name=self.identities.person_name(
                            rng,
                            "M" if rng.random() < 0.7 else "F",
                            rng.randint(1965, 1988),
                        ),
                        position=rng.choice(positions_for(unit)),
                        since=years_ago(rng.randint(0, 5), rng),
                    )
                )
        JointCommitteeUnit.objects.bulk_create(joint_rows, batch_size=BATCH_SIZE)
        PartTimeMember.objects.bulk_create(part_time_rows, batch_size=BATCH_SIZE)


def purge_party(district):
    """The district's organisations, members and joint committees' members."""
    prefix = district.path
    here = path_prefix(prefix, "place__path")
    RosterCheck.objects.filter(path_prefix(prefix, "community__path")).delete()
    PartyOrg.objects.filter(here).update(secretary=None)
    committee_here = path_prefix(prefix, "committee__place__path")
    unit_here = path_prefix(prefix, "unit__place__path")
    purge(PartTimeMember.objects.filter(committee_here | unit_here))
    purge(JointCommitteeUnit.objects.filter(committee_here | unit_here))
    purge(
        PartyMember.objects.filter(here | path_prefix(prefix, "resident__place__path"))
    )
    # Whole organisation trees rooted in the district go at once; anything else
    # anchored here goes through treebeard, which fixes its parents' numchild.
    roots = PartyOrg.objects.filter(here, depth=1).values_list("path", flat=True)
    subtrees = Q(pk__in=[])
    for path in roots:
        subtrees |= path_prefix(path)
    purge(PartyOrg.objects.filter(subtrees))
    PartyOrg.objects.filter(here).delete()
