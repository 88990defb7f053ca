"""Nothing personal leaves through the portal: an anonymous crawl of every page
reachable from /public/ finds no ID number, no mobile number, no masked fragment
and no resident's name, and no page that fails."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db

MAX_DEPTH = 4
URLS_PER_VIEW = 4  # a list of many wishes costs a few detail pages, not all
SKIPPED_PREFIXES = ("/static/", "/files/", "/media/", "/logout/")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
MASKED = re.compile(r"\d{3}\*{4}\d{4}|\*{4}|\d{6}\*{8}")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href)


def links_of(page_url, html):
    parser = Links()
    parser.feed(html)
    for href in parser.found:
        if href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        parts = urlsplit(urljoin(f"http://testserver{page_url}", href))
        if parts.netloc not in ("", "testserver"):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def view_name(url):
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def crawl(client, starts):
    """Breadth first from starts; return ({url: html}, [(url, from, problem)]).

    Pages that answer 200 without a login are read and followed; a redirect to
    the login page is the end of the public part (reporting, staff pages)."""
    queue = deque((url, None, 0) for url in starts)
    seen, per_view, pages, failures = set(), {}, {}, []
    while queue:
        url, source, depth = queue.popleft()
        if url in seen or url.startswith(SKIPPED_PREFIXES):
            continue
        seen.add(url)
        name = view_name(url)
        if name is None:
            failures.append((url, source, "no such page (404)"))
            continue
        if per_view.get(name, 0) >= URLS_PER_VIEW:
            continue
        per_view[name] = per_view.get(name, 0) + 1
        response = client.get(url)
        if response.status_code in (301, 302):
            if "/login/" not in response.url:
                queue.appendleft((response.url, url, depth))
            continue
        if response.status_code != 200:
            failures.append((url, source, f"answers {response.status_code}"))
            continue
        if "html" not in response.get("Content-Type", "") or name == "core:login":
            continue
        html = response.content.decode()
        pages[url] = html
        if depth < MAX_DEPTH:
            queue.extend((link, url, depth + 1) for link in links_of(url, html))
    return pages, failures


def known_names():
    """Every resident's and every account holder's real name on record."""
    from django.contrib.auth import get_user_model

    from jiceng.people.models import Resident

    names = set(Resident.objects.values_list("name", flat=True))
    for user in get_user_model().objects.all():
        full = (user.last_name + user.first_name).strip()
        if full:
            names.add(full)
    return {n for n in names if len(n) >= 2}


@override_settings(DEBUG=False)
def test_no_public_page_shows_personal_data(public):
    # given the demo district, with a wish whose beneficiary is a named resident
    # and an unpublished wish whose story carries a phone and an ID number
    from jiceng.places.models import Place, PlaceKind

    client = Client(raise_request_exception=False)
    starts = ["/public/"] + [
        f"/public/?place={code}"
        for code in Place.objects.filter(
            kind__in=[PlaceKind.STREET, PlaceKind.COMMUNITY]
        ).values_list("code", flat=True)
    ]

    # when an anonymous visitor follows every link from the portal
    pages, failures = crawl(client, starts)

    # then no page fails, and the crawl reached the apps' public pages
    assert failures == [], "\n".join(map(str, failures))
    reached = {view_name(url) for url in pages}
    for expected in (
        "portal:index",
        "portal:section",
        "volunteer:wall",
        "volunteer:wall_detail",
        "volunteer:practical",
        "assessment:public_rankings",
        "assessment:public_ranking",
        "assessment:public_bulletins",
        "deliberation:public_list",
        "deliberation:public_detail",
        "onewindow:map",
        "onewindow:nearby",
        "cases:public_lookup",
    ):
        assert expected in reached, expected

    # and no page holds an ID number, a mobile number, a masked fragment or a name
    names = known_names()
    assert public.beneficiary_name in names
    leaks = []
    for url, html in pages.items():
        for pattern in (ID_NUMBER, MOBILE, MASKED):
            leaks += [(url, m.group(0)) for m in pattern.finditer(html)]
        leaks += [(url, name) for name in names if name in html]
    assert leaks == [], leaks[:20]
