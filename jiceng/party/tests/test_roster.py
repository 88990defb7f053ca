"""双向核查: a unit's roster against the community's register, with a review queue."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from jiceng.core.validators import compose_id_number as make_id
from jiceng.party.matching import AUTO, Person, match, name_similarity
from jiceng.party.models import MemberStatus, PairKind, PartyMember, RosterPair
from jiceng.places.models import Place


def test_same_id_number_matches_even_in_traditional_characters():
    result = match(
        [Person(1, "張國強", make_id("19700101", 1))],
        [Person("a", "张国强", make_id("19700101", 1))],
    )
    assert len(result.matched) == 1 and result.matched[0].differences == []


def test_one_mistyped_digit_with_the_same_name_is_a_match():
    number = make_id("19700101", 2)
    typo = number[:9] + ("1" if number[9] != "1" else "2") + number[10:]
    result = match([Person(1, "李秀兰", typo)], [Person("a", "李秀兰", number)])
    assert len(result.matched) == 1 and result.matched[0].score >= AUTO
    assert result.matched[0].differences == ["身份证号"]


def test_two_swapped_neighbouring_digits_with_the_same_name_is_a_match():
    number = make_id("19700101", 27)  # ...0270X: swap two different digits
    i = next(i for i in range(6, 16) if number[i] != number[i + 1])
    swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    result = match([Person(1, "赵丽华", swapped)], [Person("a", "赵丽华", number)])
    assert len(result.matched) == 1 and result.matched[0].differences == ["身份证号"]


def test_a_pinyin_name_matches_whatever_its_spacing_and_case():
    result = match([Person(1, "Wang Xiuying", "")], [Person("a", "wangxiuying", "")])
    assert result.matched == [] and len(result.review) == 1  # a name alone: review


def test_a_homophone_name_with_the_same_id_is_a_conflict_not_a_new_person():
    number = make_id("19700101", 3)
    result = match([Person(1, "王晓燕", number)], [Person("a", "王小燕", number)])
    assert result.matched[0].differences == ["姓名"]
    assert name_similarity("王晓燕", "王小燕") > 0.9


def test_a_name_alone_never_matches_automatically():
    result = match([Person(1, "陈建国", "")], [Person("a", "陈建国", make_id())])
    assert result.matched == [] and len(result.review) == 1


def test_different_people_stay_apart():
    result = match(
        [Person(1, "赵敏", make_id("19800101", 4))],
        [Person("a", "钱伟", make_id("19650505", 5))],
    )
    assert result.only_left and result.only_right and not result.matched


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("王李张刘陈杨黄赵"),
            st.sampled_from("伟芳娜敏静丽强"),
            st.integers(0, 999),
        ),
        min_size=1,
        max_size=30,
        unique_by=lambda t: t[2],
    )
)
def test_every_record_ends_up_in_exactly_one_place(people_rows):
    left = [
        Person(i, a + b, make_id("19800101", seq))
        for i, (a, b, seq) in enumerate(people_rows)
    ]
    right = [Person(f"r{i}", p.name, p.id_number) for i, p in enumerate(left[::2])]
    result = match(left, right)
    lefts = [p.left.key for p in result.matched + result.review] + [
        p.key for p in result.only_left
    ]
    rights = [p.right.key for p in result.matched + result.review] + [
        p.key for p in result.only_right
    ]
    assert sorted(lefts) == sorted(p.key for p in left)
    assert sorted(rights) == sorted(p.key for p in right)
    assert len(result.matched) == len(right)  # identical records always pair up


# --- the pages and the stored check ---------------------------------------------------


def roster_file(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["某某局在职党员名单"])
    sheet.append(["序号", "姓名", "身份证号码", "职务"])
    for i, row in enumerate(rows, start=1):
        sheet.append([i, *row, ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "名单.xlsx"
    return buffer


@pytest.mark.django_db
def test_a_community_checks_a_units_roster_and_settles_the_doubtful(client_for, people):
    community = Place.objects.get(assignments__user=people["shuji"])
    members = list(
        PartyMember.objects.filter(
            place__in=Place.objects.subtree_of(community),
            status=MemberStatus.IN_SERVICE,
        ).select_related("resident")[:3]
    )
    assert len(members) == 3
    exact, renamed, nameonly = members
    rows = [
        [exact.resident.name, exact.resident.id_number],
        [renamed.resident.name[0] + "某某", renamed.resident.id_number],
        [nameonly.resident.name, ""],
        ["新来的", make_id("19880808", 91)],
    ]
    client = client_for("shuji")
    response = client.post(
        "/party/roster-checks/new/",
        {"community": community.pk, "file": roster_file(rows)},
    )
    assert response.status_code == 302
    check_url = response.url
    pairs = RosterPair.objects.filter(
        roster_check__pk=check_url.rstrip("/").split("/")[-1]
    )
    kinds = {
        p.entry.name if p.entry else p.member.resident.name: p.kind
        for p in pairs.select_related("entry", "member__resident")
    }
    assert kinds[exact.resident.name] == PairKind.MATCHED
    assert kinds["新来的"] == PairKind.ONLY_UNIT
    assert kinds[renamed.resident.name[0] + "某某"] == PairKind.CONFLICT
    doubtful = pairs.get(kind=PairKind.REVIEW, entry__name=nameonly.resident.name)
    assert doubtful.member == nameonly

    # two people confirm at once: the second gets a clear message, not a lost update
    stale_version = doubtful.version
    client.post(
        f"/party/roster-pairs/{doubtful.pk}/decide/",
        {"same": "1", "version": stale_version},
    )
    second = client_for("jiedao").post(
        f"/party/roster-pairs/{doubtful.pk}/decide/",
        {"same": "0", "version": stale_version},
        follow=True,
    )
    assert second.status_code == 200
    assert second.redirect_chain[-1][0].startswith(check_url)
    assert "已被他人处理" in second.content.decode()
    doubtful.refresh_from_db()
    assert doubtful.kind == PairKind.MATCHED and doubtful.decided_by == people["shuji"]

    html = client.get(check_url, {"kind": "only_unit"}).content.decode()
    assert "新来的" in html
    export = client.get(check_url + "export.xlsx")
    assert export.status_code == 200 and export.getvalue()[:2] == b"PK"
    # another street cannot open it
    assert client_for("jiedao2").get(check_url).status_code == 404


@pytest.mark.django_db
def test_a_unit_checks_its_own_roster_and_sees_only_its_members(client_for, people):
    from jiceng.core.models import Assignment

    unit = Assignment.objects.get(user=people["danwei"]).unit
    own = PartyMember.objects.filter(
        unit=unit, status=MemberStatus.IN_SERVICE
    ).select_related("resident", "place")
    member = own.first()
    community = member.place.ancestor_of_kind("community")
    client = client_for("danwei")
    response = client.post(
        "/party/roster-checks/new/",
        {
            "community": community.pk,
            "unit": unit.pk,
            "file": roster_file(
                [
                    [member.resident.name, member.resident.id_number],
                    ["未报到的人", make_id("19900101", 92)],
                ]
            ),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    pairs = RosterPair.objects.filter(roster_check__unit=unit).select_related("member")
    assert all(p.member is None or p.member.unit_id == unit.pk for p in pairs)
    assert pairs.filter(kind=PairKind.MATCHED, member=member).exists()
    # the unit reads the results but leaves decisions to the community
    assert client.get(response.url).status_code == 200
    other_unit = PartyMember.objects.exclude(unit=unit).exclude(unit=None).first().unit
    refused = client.post(
        "/party/roster-checks/new/",
        {
            "community": community.pk,
            "unit": other_unit.pk,
            "file": roster_file([["某人", make_id("19900101", 93)]]),
        },
    )
    assert refused.status_code == 400
