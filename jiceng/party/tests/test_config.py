"""What the district (and a street) configures for party work — the 标准化
checklist and the 党费 bands — and the standardisation results as a sheet."""

import pytest

from jiceng.core.models import AuditEntry
from jiceng.party.models import DuesBand, PartyOrg, PartyOrgKind, Standard
from jiceng.places.models import Place
from jiceng.transfer.workbooks import read_workbook

pytestmark = pytest.mark.django_db


def _checklist_post(rows, seen=None):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{n}-{key}"] = value
    if seen:
        data["seen"] = seen
    return data


def test_a_street_sets_its_own_checklist_and_weights_must_sum_to_100(
    people, client_for
):
    # given the street's 组织委员 on the checklist page of their street
    street = Place.objects.visible_to(people["jiedao"]).get(kind="street")
    client = client_for("jiedao")
    url = f"/party/standards/checklist/?place={street.code}"
    assert client.get(url).status_code == 200
    # when the weights add up to 90, then nothing is saved and the input is kept
    rows = [
        {"area": "setup", "title": "支委班子健全", "weight": "40", "active": "on"},
        {
            "area": "meetings",
            "title": "三会一课按时开展",
            "weight": "50",
            "active": "on",
        },
    ]
    response = client.post(url, _checklist_post(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "合计应为100，现为90" in page and "三会一课按时开展" in page
    assert not Standard.objects.filter(place=street).exists()
    # when they make it 100, then the street's checklist applies to its branches
    rows[1]["weight"] = "60"
    before = AuditEntry.objects.count()
    response = client.post(url, _checklist_post(rows))
    assert response.status_code == 302
    saved = Standard.objects.filter(place=street).order_by("order")
    assert [(s.title, s.weight) for s in saved] == [
        ("支委班子健全", 40),
        ("三会一课按时开展", 60),
    ]
    assert AuditEntry.objects.count() == before + 2
    # when a second editor saves over a checklist they saw before that change,
    # then they are told to reload, keeping what they typed
    rows[0]["title"] = "支委班子健全有力"
    response = client.post(url, _checklist_post(rows, seen="stale"))
    assert response.status_code == 409 and "支委班子健全有力" in (
        response.content.decode()
    )
    branch = PartyOrg.objects.filter(
        kind=PartyOrgKind.GRID_BRANCH, place__path__startswith=street.path
    ).first()
    from jiceng.party.services.standards import standards_for

    assert list(standards_for(branch)) == list(saved)


def test_a_community_reads_the_checklist_but_may_not_change_it(people, client_for):
    # given a community secretary and the district's checklist
    district = Place.objects.get(kind="district")
    client = client_for("shuji")
    # then the page shows the checklist read only, another place is not found,
    # and a post is refused
    response = client.get("/party/standards/checklist/")
    assert response.status_code == 200
    assert '<form method="post" novalidate>' not in response.content.decode()
    assert client.post("/party/standards/checklist/", {}).status_code == 403
    url = f"/party/standards/checklist/?place={district.code}"
    assert client.get(url).status_code == 404
    # and a department without party rights may not open it at all
    assert client_for("bumen").get("/party/standards/checklist/").status_code == 403


def test_the_district_edits_dues_bands_without_overlaps(people, client_for):
    # given the district's administrator on the 党费档次 page
    district = Place.objects.get(kind="district")
    client = client_for("quadmin")
    url = f"/party/dues-bands/?place={district.code}"
    assert client.get(url).status_code == 200
    rows = [
        {"retired": "0", "above": "0", "rate": "0.5"},
        {"retired": "0", "above": "3000", "rate": "1"},
        {"retired": "0", "above": "3000", "rate": "1.5"},
    ]
    # when two bands start at 3000, then nothing is saved and the input is kept
    response = client.post(url, _checklist_post(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "档次重叠" in page and 'value="1.5"' in page
    # when a rate is over 100%, it is refused too
    rows[2] = {"retired": "0", "above": "5000", "rate": "120"}
    assert client.post(url, _checklist_post(rows)).status_code == 400
    # when the bands are sound, they replace the district's and leave an audit row
    rows[2]["rate"] = "1.5"
    before = AuditEntry.objects.count()
    assert client.post(url, _checklist_post(rows)).status_code == 302
    bands = DuesBand.objects.filter(place=district, retired=False)
    assert [(str(b.above), str(b.rate)) for b in bands] == [
        ("0.00", "0.50"),
        ("3000.00", "1.00"),
        ("5000.00", "1.50"),
    ]
    assert AuditEntry.objects.count() == before + 1
    # and a street administrator may not change the district's bands
    assert client_for("jiedao").post(url, _checklist_post(rows)).status_code == 404


def test_the_standardisation_export_lists_every_visible_branch(people, client_for):
    # given the street 党工委 above its branches
    jiedao = people["jiedao"]
    branches = PartyOrg.objects.visible_to(jiedao).filter(kind=PartyOrgKind.GRID_BRANCH)
    # when they export the year's results
    response = client_for("jiedao").get("/party/standards/export.xlsx?year=2026")
    assert response.status_code == 200
    _, header, rows = read_workbook(response)
    # then there is one row per visible branch, with grade and rectification
    assert header[0] == "党支部" and header[-1] == "整改情况"
    assert sorted(r[0] for r in rows) == sorted(b.name for b in branches)


def test_the_dues_statement_and_settings_open_from_branch_and_member_pages(
    people, client_for
):
    # given a branch secretary on a branch page and a member's page
    client = client_for("shuji")
    org = (
        PartyOrg.objects.visible_to(people["shuji"])
        .filter(kind=PartyOrgKind.GRID_BRANCH, members__isnull=False)
        .first()
    )
    member = org.members.first()
    # then both link to the branch's 党费 annual statement and the bands
    statement = f"/party/orgs/{org.pk}/dues.xlsx"
    for url in (f"/party/orgs/{org.pk}/", f"/party/members/{member.pk}/"):
        page = client.get(url).content.decode()
        assert statement in page and "/party/dues-bands/" in page
    # and the standardisation page links to the checklist and the export
    page = client.get("/party/standards/").content.decode()
    assert (
        "/party/standards/checklist/" in page and "/party/standards/export.xlsx" in page
    )
