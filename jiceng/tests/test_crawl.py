"""Nothing dead-ends: each demo role follows every same-site link from its workbench.

For each demo account the crawler starts at the workbench and follows every link on
every page it reaches, to a bounded depth. Every link answers 200 (or a redirect to
a page that does), or a deliberate 403 with a Chinese page — never 404 or 500 — and
every HTML page carries Chinese text. To stay fast, at most URLS_PER_VIEW addresses
are opened per view (url_name), so a list of a thousand residents costs two.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from jiceng.core.testing import DEMO_USERNAMES

pytestmark = pytest.mark.django_db

MAX_DEPTH = 3
URLS_PER_VIEW = 2
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Links that end the session or stream files: followed by other tests, not here.
SKIPPED_VIEWS = {"logout", "media"}
SKIPPED_PREFIXES = ("/static/", "/media/")


class Links(HTMLParser):
    """The href of every <a> on a page."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.found.append(href)


def same_site_links(page_url, html):
    parser = Links()
    parser.feed(html)
    for href in parser.found:
        if href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        parts = urlsplit(urljoin(page_url, href))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue  # another site
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def view_name(url):
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client):
    """Visit pages breadth first; return the failures as (url, from, problem)."""
    seen, per_view, failures = set(), {}, []
    queue = deque([("/", None, 0)])
    while queue:
        url, source, depth = queue.popleft()
        if url in seen or url.startswith(SKIPPED_PREFIXES):
            continue
        seen.add(url)
        name = view_name(url)
        if name is None:
            failures.append((url, source, "no such page (404)"))
            continue
        if name in SKIPPED_VIEWS:
            continue
        if per_view.get(name, 0) >= URLS_PER_VIEW:
            continue
        per_view[name] = per_view.get(name, 0) + 1
        response = client.get(url)
        if response.status_code in (301, 302):
            target = response.url
            if "/login/" in target:
                failures.append((url, source, "sends a logged-in reader to log in"))
                continue
            seen.discard(target)
            queue.appendleft((target, url, depth))
            continue
        kind = response.get("Content-Type", "")
        body = response.content.decode(errors="replace") if "html" in kind else ""
        if response.status_code == 403:
            if not CHINESE.search(body):
                failures.append((url, source, "403 without a Chinese page"))
            continue
        if response.status_code != 200:
            failures.append((url, source, f"answers {response.status_code}"))
            continue
        if "html" not in kind:
            continue
        if not CHINESE.search(body):
            failures.append((url, source, "no Chinese text"))
        if depth < MAX_DEPTH:
            for link in same_site_links(url, body):
                if link not in seen:
                    queue.append((link, url, depth + 1))
    return failures, seen


@override_settings(DEBUG=False)
@pytest.mark.parametrize("username", [*DEMO_USERNAMES, "sysadmin"])
def test_every_link_a_role_meets_opens(username):
    # given a demo account on its workbench
    from django.contrib.auth import get_user_model

    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))

    # when it follows every link, page after page
    failures, visited = crawl(client)

    # then no link dead-ends, and the crawl went beyond the workbench
    assert failures == [], "\n".join(map(str, failures))
    assert len(visited) > 3
