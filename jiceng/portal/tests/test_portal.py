"""The public portal: every section for an anonymous reader, published rows only,
narrowed to a place, shareable (og tags, QR), offline, in bounded queries."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jiceng.core.public import (
    SECTIONS,
    PublicItem,
    public_sections,
    register_public_section,
)

pytestmark = pytest.mark.django_db

EXPECTED_SECTIONS = {
    "cases.report",
    "volunteer.wishes",
    "volunteer.practical",
    "assessment.rankings",
    "assessment.bulletins",
    "deliberation.publicity",
    "onewindow.points",
    "onewindow.catalogue",
}


class Meta(HTMLParser):
    """<meta property|name=… content=…> and the <title> of a page."""

    def __init__(self):
        super().__init__()
        self.tags, self.title, self._in_title = {}, "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.tags[attrs.get("property") or attrs.get("name")] = attrs["content"]
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def meta_of(html):
    parser = Meta()
    parser.feed(html)
    return parser


def section_urls():
    return ["/public/"] + [f"/public/{s.slug}/" for s in public_sections()]


def test_every_app_registers_its_public_section():
    # given the installed apps, when their AppConfig.ready have run,
    # then each public capability has its section, in a stable order
    assert EXPECTED_SECTIONS <= set(SECTIONS)
    orders = [s.order for s in public_sections()]
    assert orders == sorted(orders)


def test_the_root_and_every_section_open_without_login(public):
    # given an anonymous visitor
    client = Client()
    for url in section_urls():
        # when they open the portal and each section's page
        response = client.get(url)
        # then each answers 200 with the section's content, never a login page
        assert response.status_code == 200, url
        assert 'data-testid="portal"' in response.content.decode(), url
    home = client.get("/public/").content.decode()
    for key in EXPECTED_SECTIONS:
        assert f'data-section="{key}"' in home


def test_only_published_rows_reach_the_portal(public):
    # given published and unpublished rows of every kind (the fixture)
    client = Client()
    # when the portal's section pages are read
    pages = "".join(client.get(url).content.decode() for url in section_urls())
    # then the published ones show and the draft 红黑榜, the unapproved bulletins,
    # the expired 公示, the unconsented and unreviewed wishes do not
    for title in public.shown.values():
        assert title in pages, title
    for title in public.hidden.values():
        assert title not in pages, title
    assert "13812345678" not in pages


def test_the_app_pages_behind_the_sections_agree(public):
    # given the same rows, when the apps' own public pages are read
    client = Client()
    wall = client.get("/volunteer/wall/").content.decode()
    rankings = client.get("/assessment/public/rankings/").content.decode()
    bulletins = client.get("/assessment/public/bulletins/").content.decode()
    # then they show what the portal shows and hide what it hides
    assert public.shown["wish_first"] in wall
    assert public.hidden["wish_no_consent"] not in wall
    assert public.shown["ranking"] in rankings
    assert public.hidden["ranking_draft"] not in rankings
    assert public.shown["bulletin"] in bulletins
    assert public.hidden["bulletin_pending"] not in bulletins


def test_a_place_narrows_every_list(public):
    # given two wishes in communities of different streets
    client = Client()
    first = public.communities[0]

    # when the portal is narrowed to the first community, then to the second street
    in_first = client.get(f"/public/volunteer-wishes/?place={first.code}")
    in_second = client.get(f"/public/?place={public.streets[1].code}")

    # then each shows its own wish and not the other's
    assert in_first.status_code == in_second.status_code == 200
    body = in_first.content.decode()
    assert public.shown["wish_first"] in body
    assert public.shown["wish_second"] not in body
    assert f'<option value="{first.code}" selected>' in body
    body = in_second.content.decode()
    assert public.shown["wish_second"] in body
    assert public.shown["wish_first"] not in body
    # a street's 红黑榜 concerns its communities too; another street's does not
    assert public.shown["ranking"] in client.get(
        f"/public/assessment-rankings/?place={first.code}"
    ).content.decode("utf-8")
    assert public.shown["ranking"] not in client.get(
        f"/public/assessment-rankings/?place={public.streets[1].code}"
    ).content.decode("utf-8")


def offered(body):
    """The place codes the picker offers, in order, and the selected one."""
    picker = body[body.index('data-testid="place-picker"') :]
    picker = picker[: picker.index("</form>")]
    codes = re.findall(r'<option value="(\d+)"', picker)
    selected = re.findall(r'<option value="(\d+)" selected>', picker)
    return codes, (selected[0] if selected else None)


def codes_of(places):
    return [p.code for p in sorted(places, key=lambda p: p.path)]


def test_the_place_picker_goes_down_one_level_at_a_time(public):
    # given the demo district, its streets and their communities
    from jiceng.places.models import Place, PlaceKind

    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    street = public.streets[1]
    community = public.communities[1]
    streets = list(Place.objects.filter(kind=PlaceKind.STREET))
    client = Client()

    # when a resident opens the portal, then it offers the district and its
    # streets under 全区, no community yet and nothing finer
    body = client.get("/public/").content.decode()
    assert offered(body) == (codes_of([district, *streets]), None)
    assert '<option value="">全区</option>' in body

    # when they pick a street, then its communities appear under it, the other
    # streets stay one step away, and no other street's community is offered
    in_street = list(
        Place.objects.filter(kind=PlaceKind.COMMUNITY, path__startswith=street.path)
    )
    expected = codes_of([district, *streets, *in_street])
    body = client.get(f"/public/?place={street.code}").content.decode()
    assert offered(body) == (expected, street.code)

    # when they pick a community, then the same list, with their community chosen
    body = client.get(f"/public/?place={community.code}").content.decode()
    assert offered(body) == (expected, community.code)
    assert f"{community.name}居民服务" in body

    # and nothing below a community is ever offered
    finer = Place.objects.exclude(
        kind__in=[PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY]
    ).values_list("code", flat=True)
    assert not set(finer) & set(expected)


def add_district(code, name):
    """A second district with one street and two communities (a city's database)."""
    from jiceng.places.models import Place

    district = Place.objects.add_root({"name": name, "kind": "district", "code": code})
    street = Place.objects.add_child(
        district, {"name": f"{name}一街道", "kind": "street", "code": f"{code}001"}
    )
    communities = [
        Place.objects.add_child(
            street,
            {
                "name": f"{name}{n}社区",
                "kind": "community",
                "code": f"{code}001{n:03d}",
            },
        )
        for n in (1, 2)
    ]
    return district, street, communities


def test_in_a_city_the_picker_starts_from_the_districts(public):
    # given a city's database: the demo district and a second one
    from jiceng.places.models import Place, PlaceKind

    first = Place.objects.get(kind=PlaceKind.DISTRICT)
    second, street, communities = add_district("510599", "南岸区")
    client = Client()

    # when a resident opens the portal, then it is the city's (全市), and the
    # picker offers the two districts only
    body = client.get("/public/").content.decode()
    assert offered(body) == (codes_of([first, second]), None)
    assert '<option value="">全市</option>' in body
    assert "全市居民服务" in body and "中和区居民服务" not in body

    # when they pick a community of the second district, then the districts, the
    # second district's street and its communities, and none of the first's
    body = client.get(f"/public/?place={communities[0].code}").content.decode()
    assert offered(body) == (
        codes_of([first, second, street, *communities]),
        communities[0].code,
    )

    # and an unknown code shows the whole city, in Chinese
    body = client.get("/public/?place=999999999999").content.decode()
    assert "未找到所选地区，已显示全市内容" in body


def test_the_picker_weighs_the_same_as_the_city_grows(public):
    # given the portal of one district and a community's page in it
    client = Client()
    community = public.communities[0]
    url = f"/public/?place={community.code}"
    before = offered(client.get(url).content.decode())[0]
    queries = _queries(url)

    # when nine more districts join the database
    for n in range(9):
        add_district(f"5106{n:02d}", f"新区{n}")

    # then a community's picker offers nine more names (the districts), not
    # their streets and communities, in the same number of queries
    after = offered(client.get(url).content.decode())[0]
    assert len(after) == len(before) + 9
    assert _queries(url) == queries


def test_an_unknown_place_is_told_in_chinese_and_shows_everything(public):
    # given a made-up place code, when the portal is opened with it
    response = Client().get("/public/?place=999999999999")
    # then the page still opens, says so, and lists the whole district
    assert response.status_code == 200
    body = response.content.decode()
    assert "未找到所选地区" in body
    assert public.shown["wish_first"] in body and public.shown["wish_second"] in body


def test_an_unknown_section_is_404():
    assert Client().get("/public/no-such-section/").status_code == 404


@pytest.mark.parametrize("url", ["/public/", "/public/volunteer-wishes/"])
def test_pages_carry_wechat_share_tags_and_a_qr_code(public, url):
    # given a page of the portal, reached with a place
    place = public.communities[0]
    response = Client().get(f"{url}?place={place.code}")
    body = response.content.decode()
    meta = meta_of(body)
    # then it has a title, description, absolute image and URL for sharing
    assert meta.tags["og:title"] and meta.tags["og:title"] in meta.title
    assert place.name in meta.tags["og:title"]
    assert meta.tags["og:description"]
    assert meta.tags["og:image"].startswith("http://testserver/static/")
    assert meta.tags["og:image"].endswith("portal/share.png")
    assert meta.tags["og:url"] == f"http://testserver{url}?place={place.code}"
    # and a QR code of its own address in the share box
    share = body[body.index('data-testid="share"') :]
    assert "<svg" in share and meta.tags["og:url"] in share
    # the share image is a vendored static file
    assert finders.find("portal/share.png")


def test_pages_call_no_outside_server(public):
    # given every portal page, when their assets and links are read
    client = Client()
    for url in section_urls():
        body = client.get(url).content.decode()
        # then every script, stylesheet and image is served by the site itself
        outside = re.findall(r'(?:src|href)="(https?://(?!testserver)[^"]+)"', body)
        assert outside == [], (url, outside)


def test_the_case_section_links_to_reporting_and_the_status_lookup(public, people):
    # given a case with its public token
    from jiceng.cases.models import Case

    case = Case.objects.order_by("pk").first()
    client = Client()
    # when an anonymous resident opens the case section
    body = client.get("/public/cases-report/").content.decode()
    # then reporting asks to log in first, and the lookup finds the case
    assert 'href="/cases/new/"' in body and "上报需先登录" in body
    report = client.get("/cases/new/")
    assert report.status_code == 302 and "/login/" in report.url
    found = client.get("/cases/s/", {"token": case.public_token})
    assert found.status_code == 302 and found.url == case.get_public_url()
    pasted = client.get(
        "/cases/s/", {"token": f"https://x.example/cases/s/{case.public_token}/"}
    )
    assert pasted.url == case.get_public_url()
    assert client.get(found.url).status_code == 200


@pytest.mark.parametrize(
    ("token", "status", "message"),
    [
        ("", 400, "请输入查询码"),
        ("A" * 22, 404, "未找到该查询码"),
        ("坏的'\"<>", 404, "未找到该查询码"),
        ("x" * 5000, 404, "未找到该查询码"),
    ],
)
def test_a_wrong_lookup_is_told_in_chinese(token, status, message):
    response = Client().get("/cases/s/", {"token": token})
    assert response.status_code == status
    assert message in response.content.decode()


def test_a_new_app_adds_a_section_without_portal_code():
    # given a section registered as an app would in its ready()
    def items(place, *, limit):
        return [PublicItem(title="新栏目条目", meta="测试")][:limit]

    try:
        register_public_section(
            "test.extra", title="新栏目", order=999, items=items, url=None
        )
        client = Client()
        # when the portal is read, then the section shows on the root and its page
        assert "新栏目条目" in client.get("/public/").content.decode()
        page = client.get("/public/test-extra/")
        assert page.status_code == 200 and "新栏目条目" in page.content.decode()
    finally:
        SECTIONS.pop("test.extra", None)


def _queries(url):
    client = Client()
    client.get(url)  # warm caches (content types, templates)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/public/", "/public/volunteer-wishes/", "/public/onewindow-catalogue/"]
)
def test_queries_stay_bounded_as_rows_grow(public, people, url):
    # given the portal's query count on the demo district
    from jiceng.volunteer.models import Wish

    before = _queries(url)
    # when fifty more wishes are published
    grid = Wish.objects.public().first().place
    Wish.objects.bulk_create(
        Wish(
            title=f"加量心愿{n}",
            category="other",
            place=grid,
            alias="居民",
            consent=True,
            status="published",
            collected_by=people["wangge"],
        )
        for n in range(50)
    )
    # then the page runs the same few queries (one per section, one for places)
    after = _queries(url)
    assert after == before
    assert after <= len(SECTIONS) + 3
