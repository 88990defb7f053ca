"""The demo district's people: households of realistic composition in most dwellings,
their members with names, ID numbers and phones, and where some renters lived before.

Written one community at a time, so that the encrypted rows are never all in memory.
Party membership is decided person by person as they are made (see party.maybe_member).
"""

from bisect import bisect_left
from datetime import timedelta

from jiceng.core.scope import path_prefix
from jiceng.people.models import Household, Occupancy, Relation, ResidenceType, Resident

from .common import BASE_DATE, BATCH_SIZE, pick, purge, set_column, weighted, years_ago
from .identity import ETHNICITIES, SURNAMES, make_id_number
from .party import maybe_member
from .units import pick_unit

# Household compositions with weights (per 100 households): mean size ≈ 2.9,
# about 18–20 % of people over 60.
HOUSEHOLD_TYPES = weighted(
    [
        ("elder_alone", 7),
        ("elder_couple", 10),
        ("single", 7),
        ("couple", 10),
        ("one_child", 26),
        ("two_children", 15),
        ("three_gen", 15),
        ("single_parent", 5),
        ("elder_with_child", 5),
    ]
)
OLD_TYPES = {"elder_alone", "elder_couple", "three_gen", "elder_with_child"}
RESIDENCE_OLD = weighted(
    [
        (ResidenceType.REGISTERED, 85),
        (ResidenceType.PERMANENT, 13),
        (ResidenceType.TENANT, 2),
    ]
)
RESIDENCE_YOUNG = weighted(
    [
        (ResidenceType.REGISTERED, 60),
        (ResidenceType.PERMANENT, 14),
        (ResidenceType.TENANT, 13),
        (ResidenceType.FLOATING, 13),
    ]
)


def household_plan(rng):
    """(kind, [(relation, sex, age)]) for one household, the head first."""
    kind = pick(rng, HOUSEHOLD_TYPES)
    male_head = rng.random() < 0.7
    head_sex, spouse_sex = ("M", "F") if male_head else ("F", "M")
    members = []

    def couple(age_lo, age_hi):
        age = rng.randint(age_lo, age_hi)
        members.append((Relation.HEAD, head_sex, age))
        gap = rng.randint(0, 4)
        spouse_age = age - gap if head_sex == "M" else age + gap
        members.append((Relation.SPOUSE, spouse_sex, max(20, spouse_age)))
        return age

    def children(parent_age, n):
        oldest = min(parent_age - 22, 26)
        if oldest < 0:
            return
        age = rng.randint(0, oldest)
        for _ in range(n):
            members.append((Relation.CHILD, rng.choice("MF"), age))
            age = max(0, age - rng.randint(2, 8))

    if kind == "elder_alone":
        sex = "F" if rng.random() < 0.65 else "M"
        members.append((Relation.HEAD, sex, min(95, int(rng.triangular(62, 95, 74)))))
    elif kind == "elder_couple":
        head_sex, spouse_sex = "M", "F"
        couple(60, 88)
    elif kind == "single":
        members.append(
            (Relation.HEAD, rng.choice("MF"), int(rng.triangular(20, 59, 28)))
        )
        if rng.random() < 0.12:
            members.append(
                (
                    Relation.SIBLING,
                    rng.choice("MF"),
                    max(18, members[0][2] + rng.randint(-6, 6)),
                )
            )
    elif kind == "couple":
        couple(*((22, 35) if rng.random() < 0.6 else (45, 59)))
    elif kind == "one_child":
        children(couple(25, 55), 1)
    elif kind == "two_children":
        children(couple(28, 55), 2)
    elif kind == "three_gen":
        age = couple(28, 52)
        children(age, rng.choice((1, 1, 2)))
        parent_age = min(95, age + rng.randint(23, 32))
        if rng.random() < 0.5:
            members.append((Relation.PARENT, "M", parent_age))
            members.append(
                (Relation.PARENT, "F", max(55, parent_age - rng.randint(0, 4)))
            )
        else:
            members.append(
                (Relation.PARENT, "F" if rng.random() < 0.7 else "M", parent_age)
            )
    elif kind == "single_parent":
        sex = "F" if rng.random() < 0.75 else "M"
        age = rng.randint(28, 50)
        members.append((Relation.HEAD, sex, age))
        children(age, 1)
    else:  # elder_with_child
        age = rng.randint(60, 85)
        sex = "M" if rng.random() < 0.5 else "F"
        members.append((Relation.HEAD, sex, age))
        if rng.random() < 0.5:
            members.append(
                (
                    Relation.SPOUSE,
                    "F" if sex == "M" else "M",
                    max(56, age - rng.randint(-3, 4)),
                )
            )
        members.append((Relation.CHILD, rng.choice("MF"), age - rng.randint(24, 34)))
    return kind, members


def phone_share(age):
    if age < 14:
        return 0.0
    if age < 18:
        return 0.3
    if age < 70:
        return 0.93
    return 0.7 if age < 80 else 0.4


class PeopleBuilder:
    """Writes the households and residents of one street after another."""

    def __init__(self, *, size, streams, identities, units, others=False):
        self.size, self.streams = size, streams
        self.identities, self.units = identities, units
        # others: the database holds other districts' residents, whose ID numbers
        # this generator never saw (a city's further districts)
        self.others = others

    def build_street(self, s, street):
        """Households and residents of street number s, one community at a time;
        returns the number of people and the party members among them."""
        members = []
        people = 0
        for c, community in enumerate(street.children):
            rng = self.streams("people", s, c)
            people += self._community(rng, s, community, members)
        street.extra = members
        return people, members

    def _community(self, rng, s, community, members):
        size = self.size
        households, residents, heads = [], [], []
        for grid in community.children:
            grid.extra = []  # [(building, dwelling, [MemberRec])] in dwelling order
            for compound in grid.children:
                for building in compound.children:
                    for entrance in building.children:
                        for dwelling in entrance.children:
                            if rng.random() < size.empty_share:
                                continue
                            household = Household(
                                number=dwelling.code + "01",
                                place_id=dwelling.pk,
                                place_path=dwelling.path,  # bulk: no save()
                            )
                            households.append(household)
                            first = len(residents)
                            here = self._household(
                                rng,
                                s,
                                household,
                                dwelling,
                                grid,
                                building,
                                residents,
                                members,
                            )
                            heads.append(residents[first])
                            grid.extra.append((building, dwelling, here))
        if self.others:
            self._avoid_stored(residents)
        Household.objects.bulk_create(households, batch_size=BATCH_SIZE)
        Resident.objects.bulk_create(residents, batch_size=BATCH_SIZE)
        Occupancy.objects.bulk_create(
            self._past_stays(self.streams("stays", s, community.code), residents),
            batch_size=BATCH_SIZE,
        )
        set_column(
            Household,
            "head",
            [(head.pk, hh.pk) for hh, head in zip(households, heads, strict=True)],
        )
        for rec in members:
            if not isinstance(rec.resident, int):
                rec.resident = rec.resident.pk
        return len(residents)

    def _avoid_stored(self, residents):
        """Give a new sequence number to each resident whose ID number another
        district already holds (about one in a thousand): looked up by blind index,
        one query per batch, redrawn from a stream named by the number itself."""
        index = Resident._meta.get_field("id_number_index")
        taken = self.identities.id_numbers
        for start in range(0, len(residents), BATCH_SIZE):
            batch = residents[start : start + BATCH_SIZE]
            while True:
                digests = {index.digest(r.id_number): r for r in batch}
                stored = set(
                    Resident.objects.filter(
                        id_number_index__in=list(digests)
                    ).values_list("id_number_index", flat=True)
                )
                if not stored:
                    break
                batch = [digests[d] for d in stored]
                for resident in batch:
                    number = resident.id_number
                    rng = self.streams("id-retry", number)
                    while number in taken:
                        number = make_id_number(
                            number[:6],
                            resident.birth_date,
                            resident.sex,
                            rng.randrange(1, 500),
                        )
                    taken.add(number)
                    resident.id_number = number

    @staticmethod
    def _past_stays(rng, residents):
        """Where some renting households lived before, so dwelling pages show former
        occupants: about one in four moved from another dwelling of the community,
        all members together, one whose present occupants came after they left. A
        separate random stream: the people stay the same."""
        first_in = {}
        movers = {}
        for resident in residents:
            place, day = resident.place_id, resident.moved_in_on
            first_in[place] = min(first_in.get(place, day), day)
            if resident.residence_type in (
                ResidenceType.TENANT,
                ResidenceType.FLOATING,
            ):
                movers.setdefault(resident.household.pk, []).append(resident)
        by_first_in = sorted((day, place) for place, day in first_in.items())
        days = [day for day, _ in by_first_in]
        stays = []
        for members in movers.values():
            if rng.random() >= 0.25:
                continue
            here = members[0].place_id
            moved_in = min(r.moved_in_on for r in members)  # born later: no stay
            free = [
                p for _, p in by_first_in[bisect_left(days, moved_in) :] if p != here
            ]
            if not free:
                continue
            before = rng.choice(free)
            started = moved_in - timedelta(days=rng.randint(180, 3 * 365))
            stays.extend(
                Occupancy(
                    resident_id=r.pk,
                    place_id=before,
                    started_on=max(started, r.birth_date),
                    ended_on=r.moved_in_on,
                )
                for r in members
                if r.birth_date < r.moved_in_on
            )
        return stays

    def _household(
        self,
        rng,
        s,
        household,
        dwelling,
        grid,
        building,
        residents,
        members,
    ):
        kind, plan = household_plan(rng)
        table = RESIDENCE_OLD if kind in OLD_TYPES else RESIDENCE_YOUNG
        rtype = pick(rng, table)
        if rtype == ResidenceType.FLOATING:
            origin = "other"
        elif rtype == ResidenceType.TENANT:
            origin = "other" if rng.random() < 0.5 else "local"
        else:
            origin = "local"
        head_age = plan[0][2]
        if rtype in (ResidenceType.FLOATING, ResidenceType.TENANT):
            moved_in = BASE_DATE - timedelta(days=rng.randint(20, 5 * 365))
        else:
            moved_in = years_ago(rng.randint(0, max(0, min(30, head_age - 21))), rng)
        head_surname = pick(rng, SURNAMES)
        spouse_surname = pick(rng, SURNAMES)
        head_sex = plan[0][1]
        father_surname = head_surname if head_sex == "M" else spouse_surname
        here = []
        for relation, sex, age in plan:
            birth = years_ago(age, rng)
            if relation in (Relation.HEAD, Relation.SIBLING):
                surname = head_surname
            elif relation == Relation.SPOUSE:
                surname = spouse_surname
            elif relation == Relation.CHILD:
                surname = (
                    father_surname
                    if rng.random() < 0.92
                    else (spouse_surname if head_sex == "M" else head_surname)
                )
            elif relation == Relation.PARENT and sex == "M":
                surname = head_surname
            else:
                surname = pick(rng, SURNAMES)
            name = surname + self.identities.given_name(rng, sex, birth.year)
            person_origin = origin
            if (
                origin == "other"
                and relation == Relation.CHILD
                and age < 10
                and rng.random() < 0.4
            ):
                person_origin = "local"
            resident = Resident(
                name=name,
                sex=sex,
                birth_date=birth,
                ethnicity=pick(rng, ETHNICITIES),
                id_number=self.identities.id_number(rng, person_origin, birth, sex),
                phone=self.identities.phone(rng)
                if rng.random() < phone_share(age)
                else "",
                place_id=dwelling.pk,
                place_path=dwelling.path,  # bulk: no save()
                household=household,
                relation=relation,
                residence_type=rtype,
                moved_in_on=max(moved_in, birth),
            )
            working = 18 <= age < 60
            if working and rng.random() < 0.07:
                resident.work_unit_id = pick_unit(
                    rng, self.units.by_street[s], self.units.all
                )
            member = maybe_member(
                rng, resident, age, rtype, self.units, s, grid, building, dwelling
            )
            if member is not None:
                members.append(member)
                here.append(member)
            residents.append(resident)
        return here


def purge_people(district):
    """The district's households, residents and their residence history."""
    here = path_prefix(district.path, "place__path")
    Household.objects.filter(here).update(head=None)
    purge(
        Occupancy.objects.filter(
            here | path_prefix(district.path, "resident__place__path")
        )
    )
    purge(Resident.objects.filter(here).only("pk"))
    purge(Household.objects.filter(here))
