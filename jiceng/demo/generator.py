"""Build, count and remove the demo district: the order in which the parts run.

The district itself (places, units, people, party) is written in bulk by
:class:`DemoGenerator`; then :func:`seed_apps` brings the demo accounts up to date and
lets each app add its own demo rows through its services. :func:`delete_demo_data`
removes it all again, each part purging what it seeded, the apps above first.
"""

import gc
import time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from jiceng.core.planner import sqlite_cache
from jiceng.core.scope import path_prefix
from jiceng.insight.models import Figure
from jiceng.party.models import (
    JointCommitteeUnit,
    PartTimeMember,
    PartyMember,
    PartyOrg,
)
from jiceng.people.models import Household, Resident, Unit
from jiceng.places.models import Place, PlaceKind

from .accounts import (
    demo_departments,
    district_accounts,
    ensure_demo_accounts,
    ensure_departments,
    purge_accounts,
    purge_departments,
)
from .alliances import purge_alliances, seed_alliances
from .assessment import purge_assessment, seed_assessment
from .campaigns import purge_campaigns, seed_campaigns
from .cases import purge_cases, seed_case_loop
from .city import district_spec
from .common import SIZES, find_district, purge, stream
from .deliberation import purge_deliberation, seed_deliberation
from .identity import Identities
from .intelligence import purge_intelligence, seed_intelligence
from .member_accounts import purge_member_accounts, seed_member_accounts
from .onewindow import purge_onewindow, seed_onewindow
from .party import PartyBuilder, purge_party
from .party_life import (
    purge_branch_meetings,
    purge_party_life,
    seed_branch_meetings,
    seed_party_life,
)
from .people import PeopleBuilder, purge_people
from .places import build_places, purge_places
from .registry import purge_registry, seed_registry_extras
from .units import build_units, purge_units
from .volunteer import purge_volunteering, seed_volunteering
from .workforce import purge_workforce, seed_workforce

GENERATOR_CACHE_KIB = 131072  # SQLite page cache while writing residents


class DemoGenerator:
    """Build the demo district; run() writes everything in one transaction.

    spec (city.DistrictSpec): which district of a city to build; the first (the
    documented demo) by default."""

    def __init__(self, size="small", seed=1, log=None, spec=None):
        if size not in SIZES:
            raise ValueError(f"unknown size {size!r}")
        self.size_name, self.size, self.seed = size, SIZES[size], seed
        self.spec = spec or district_spec(seed, 1)
        self.log = log or (lambda message: None)
        self.identities = Identities()

    def rng(self, *parts):
        return stream(self.spec.seed, *parts)

    def run(self):
        # The cyclic GC rescans every live object on each collection; with hundreds of
        # thousands of fresh model instances that dominates the run, so pause it.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._run()
        finally:
            if was_enabled:
                gc.enable()

    def _run(self):
        started = time.monotonic()
        parts = {"size": self.size, "streams": self.rng}
        with transaction.atomic(), sqlite_cache(GENERATOR_CACHE_KIB, model=Resident):
            ensure_departments()
            note = f"演示数据（规模 {self.size_name}，种子 {self.seed}）"
            if not self.spec.first:
                note = f"演示数据（规模 {self.size_name}，种子 {self.seed}，"
                note += f"第 {self.spec.number} 个区）"
            district, places = build_places(**parts, note=note, spec=self.spec)
            elapsed = time.monotonic() - started
            self.log(f"地点已生成：{places} 个（{elapsed:.1f} 秒）")
            units = build_units(
                district=district, identities=self.identities, spec=self.spec, **parts
            )
            self.log(f"单位已生成：{len(units.all)} 个")
            people = PeopleBuilder(
                identities=self.identities,
                units=units,
                others=not self.spec.first,
                **parts,
            )
            party = PartyBuilder(identities=self.identities, **parts)
            for s, street in enumerate(district.children):
                t0 = time.monotonic()
                residents, members = people.build_street(s, street)
                orgs = party.build_street(s, street, members)
                gc.collect()
                self.log(
                    f"{street.name}：居民 {residents} 人，党员 {len(members)} 名，"
                    f"党组织 {orgs} 个（{time.monotonic() - t0:.1f} 秒）"
                )
            party.build_joint_committees(district, units)
        return district


def seed_apps(*, seed, log, spec=None):
    """Bring the demo accounts up to date, then let each app add its demo rows (key
    population tags, cases, volunteering); each adds nothing once its rows exist.

    A city's further district (spec) gets its accounts, key-population tags and gig
    workers, its case loop and its branches' 三会一课 (rows that grow with a
    district); the other apps' demo rows stay in the first district.
    Each part commits on its own, so an interrupted run resumes after the last."""
    if spec is not None and not spec.first:
        ensure_demo_accounts(log=log, spec=spec)
        district = find_district(spec.code)
        seed_registry_extras(
            district,
            seed=spec.seed,
            log=log,
            actor=spec.username("shegong"),
            others=True,
        )
        seed_case_loop(district, seed=spec.seed, log=log, spec=spec)
        seed_branch_meetings(
            district,
            seed=spec.seed,
            actor=get_user_model()
            .objects.filter(username=spec.username("shuji"))
            .first(),
            log=log,
        )
        return
    ensure_demo_accounts(log=log)
    district = find_district()
    seed_registry_extras(district, seed=seed, log=log)
    seed_case_loop(district, seed=seed, log=log)
    seed_campaigns(district, seed=seed, log=log)  # before the wishes it gathers
    seed_volunteering(district, seed=seed, log=log)
    seed_alliances(district, seed=seed, log=log)
    seed_deliberation(district, seed=seed, log=log)
    seed_member_accounts(district, seed=seed, log=log)
    seed_onewindow(district, seed=seed, log=log)
    seed_intelligence(district, seed=seed, log=log)
    seed_workforce(district, seed=seed, log=log)
    seed_assessment(district, seed=seed, log=log)
    seed_party_life(district, seed=seed, log=log)


def summarize(district=None):
    """Counts of what the demo district holds, for the command's summary."""
    district = district or find_district()
    if district is None:
        return {}
    prefix = district.path
    places = dict(
        Place.objects.filter(path_prefix(prefix))
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    in_district = path_prefix(prefix, "place__path")
    in_committees = path_prefix(prefix, "committee__place__path")
    return {
        "places": {kind: places.get(kind, 0) for kind in PlaceKind.values},
        "residents": Resident.objects.filter(in_district).count(),
        "households": Household.objects.filter(in_district).count(),
        "party_members": PartyMember.objects.filter(in_district).count(),
        "party_orgs": PartyOrg.objects.filter(in_district).count(),
        "units": Unit.objects.filter(in_district).count(),
        "joint_units": JointCommitteeUnit.objects.filter(in_committees).count(),
        "part_time_members": PartTimeMember.objects.filter(in_committees).count(),
        "departments": demo_departments().count(),
    }


def purge_figures(district):
    """The dashboards' rollup of the district's places (seed_demo ends by filling
    it): rows that point to the places, so they go first."""
    purge(Figure.objects.filter(path_prefix(district.path, "place__path")))


def delete_city_district(spec, log=None):
    """Remove a city's further district (what seed_apps gave it, its accounts and
    its people, party, units and places)."""
    log = log or (lambda message: None)
    district = find_district(spec.code)
    usernames = [a.username for a in district_accounts(spec)]
    with transaction.atomic():
        if district is not None:
            purge_registry(district)
            purge_cases(district)
        purge_accounts(district, usernames)
        if district is not None:
            purge_branch_meetings(district)
            purge_party(district)
            purge_people(district)
            purge_units(district)
            purge_figures(district)
            purge_places(district)
            log(f"已删除演示区「{district.name}」及其全部数据")


def delete_demo_data(usernames, log=None):
    """Remove the demo district and everything generated in it, plus the demo users.

    The apps above go before the apps they point to (volunteering and cases before
    people, people before places), so that PROTECT references are gone before their
    targets. The audit log is never touched: its actor column has no constraint.
    """
    log = log or (lambda message: None)
    district = find_district()
    with transaction.atomic():
        if district is not None:
            purge_assessment(district)
            purge_alliances(district)
            purge_deliberation(district)
            purge_member_accounts(district)
            purge_intelligence()
            purge_workforce(district)
            purge_onewindow(district)
            purge_party_life(district)
            purge_volunteering(district)
            purge_campaigns(district)
            purge_registry(district)
            purge_cases(district)
        purge_accounts(district, usernames)
        if district is not None:
            purge_party(district)
            purge_people(district)
            purge_units(district)
            purge_figures(district)
            purge_places(district)
            log(f"已删除演示区「{district.name}」及其全部数据")
        purge_departments()
