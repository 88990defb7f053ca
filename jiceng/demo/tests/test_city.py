"""A city: several demo districts in one database, each resumable after a crash,
deterministic from the seed, and the first one still the documented demo.

Runs on the session's demo district (small, seed 1) as the city's first district and
adds a second small district to it inside the test's transaction.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from jiceng.cases.models import Case
from jiceng.core.models import Assignment
from jiceng.core.roles import Role
from jiceng.core.scope import path_prefix
from jiceng.demo import generator
from jiceng.demo.city import district_spec
from jiceng.demo.common import DISTRICT_CODE, find_district
from jiceng.demo.generator import delete_city_district, summarize
from jiceng.demo.people import PeopleBuilder
from jiceng.demo.tests.test_fingerprint import FINGERPRINTS, fingerprints
from jiceng.party.models import Attendance, Meeting
from jiceng.people.models import Resident, ResidentTag
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db

SECOND = district_spec(1, 2)


class Interrupted(Exception):
    """Stands for the process dying (killed, out of disk) in the middle of a write."""


def seed_city(districts=2):
    out = StringIO()
    call_command("seed_demo", size="small", seed=1, districts=districts, stdout=out)
    return out.getvalue()


def places_by_kind(district):
    return dict(
        Place.objects.filter(path_prefix(district.path))
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )


def second_district_rows():
    district = find_district(SECOND.code)
    if district is None:
        return {}
    return {
        "places": places_by_kind(district),
        "residents": Resident.objects.filter(
            path_prefix(district.path, "place__path")
        ).count(),
        "tags": ResidentTag.objects.filter(
            path_prefix(district.path, "resident__place__path")
        ).count(),
        "cases": Case.objects.filter(path_prefix(district.path, "place__path")).count(),
        "meetings": Meeting.objects.filter(
            path_prefix(district.path, "org__place__path")
        ).count(),
        "attendance": Attendance.objects.filter(
            path_prefix(district.path, "meeting__org__place__path")
        ).count(),
        "fingerprints": fingerprints(district),
    }


def test_districts_of_a_city_have_their_own_codes_names_and_streams():
    # given a seed
    # when the first three districts of its city are named
    specs = [district_spec(1, n) for n in (1, 2, 3)]

    # then the first is the documented demo and the others are new, each its own
    assert (specs[0].code, specs[0].name, specs[0].seed) == (DISTRICT_CODE, "中和区", 1)
    assert [s.code for s in specs] == ["510502", "510503", "510504"]
    assert len({s.name for s in specs}) == 3
    assert len({s.seed for s in specs}) == 3
    assert specs[1].username("wangge") == "d2.wangge"
    # and the same seed names them the same, another seed otherwise
    assert district_spec(1, 2) == SECOND
    assert [district_spec(2, n).name for n in range(2, 12)] != [
        district_spec(1, n).name for n in range(2, 12)
    ]


def test_a_city_seed_resumes_after_a_crash_and_never_duplicates(monkeypatch):
    # given the session's demo district and a run killed while writing the second
    # district's people (its second street)
    first = find_district()
    residents_before = Resident.objects.count()
    build_street = PeopleBuilder.build_street

    def dies_in_the_second_street(self, s, street):
        if street.code.startswith(SECOND.code) and s == 1:
            raise Interrupted
        return build_street(self, s, street)

    monkeypatch.setattr(PeopleBuilder, "build_street", dies_in_the_second_street)
    with pytest.raises(Interrupted):
        seed_city()

    # then nothing of the second district was kept
    assert find_district(SECOND.code) is None
    assert not Place.objects.filter(code__startswith=SECOND.code).exists()
    assert Resident.objects.count() == residents_before

    # given the next run killed in the second district's case loop
    monkeypatch.setattr(PeopleBuilder, "build_street", build_street)

    seed_case_loop = generator.seed_case_loop

    def dies_in_the_case_loop(district, **kwargs):
        if district.code == SECOND.code:
            raise Interrupted
        return seed_case_loop(district, **kwargs)

    monkeypatch.setattr(generator, "seed_case_loop", dies_in_the_case_loop)
    with pytest.raises(Interrupted):
        seed_city()

    # then the district and the parts before the case loop were kept
    interrupted = second_district_rows()
    assert interrupted["residents"] > 0
    assert interrupted["tags"] > 0
    assert interrupted["cases"] == 0

    # when the same command runs again
    monkeypatch.undo()
    out = seed_city()

    # then it continued where it stopped: the district was not written again
    assert "已存在，不再重复生成" in out
    resumed = second_district_rows()
    assert resumed["residents"] == interrupted["residents"]
    assert resumed["tags"] == interrupted["tags"]
    assert resumed["cases"] > 0
    # and its branches hold their 三会一课, as the first district's do
    assert resumed["meetings"] > 0 and resumed["attendance"] > 0
    # and the second district has the first one's shape
    assert resumed["places"] == places_by_kind(first)
    # and its demo accounts work in it, under their prefix
    worker = get_user_model().objects.get(username="d2.wangge")
    grids = Assignment.objects.filter(user=worker, role=Role.GRID_WORKER)
    assert grids.count() == 2
    assert all(a.place.path.startswith(resumed_path()) for a in grids)
    # and the first district is still the documented demo
    assert fingerprints(first) == FINGERPRINTS
    assert summarize(first)["residents"] == summarize()["residents"]

    # when the same command runs once more
    seed_city()

    # then nothing was added
    assert second_district_rows() == resumed

    # when the second district is deleted and made again in one go
    delete_city_district(SECOND)
    assert find_district(SECOND.code) is None
    seed_city()

    # then it is the same as the one made in three goes
    assert second_district_rows() == resumed


def resumed_path():
    return find_district(SECOND.code).path


def test_the_number_of_districts_is_bounded():
    # given a number of districts out of range
    # when the seed is asked for it
    # then it says so in Chinese and writes nothing
    before = Place.objects.filter(kind=PlaceKind.DISTRICT).count()
    with pytest.raises(Exception, match="区的个数"):
        seed_city(districts=99)
    assert Place.objects.filter(kind=PlaceKind.DISTRICT).count() == before


def test_a_rerun_refreshes_this_months_figures_and_a_new_district_a_years(
    monkeypatch,
):
    # given the seed's figure refresh, watched (a year of a city's figures takes
    # minutes, so a rerun that only tops up the apps' rows refreshes the month)
    from jiceng.demo.management.commands import seed_demo

    refreshed = []
    monkeypatch.setattr(
        seed_demo, "refresh_figures", lambda months: refreshed.append(months)
    )
    # when the seed runs again over the session's demo district
    seed_city(districts=1)
    # then only this month's figures are recomputed
    assert refreshed == [1]

    # when a district is generated (the generator and the apps stood in for)
    monkeypatch.setattr(seed_demo, "find_district", lambda code: None)
    monkeypatch.setattr(seed_demo.DemoGenerator, "run", lambda self: None)
    monkeypatch.setattr(seed_demo, "seed_apps", lambda **kwargs: None)
    seed_city(districts=1)
    # then the dashboards get a year of figures
    assert refreshed == [1, 12]
