"""Every form and list page answers bad input with a Chinese page or message, never a 500.

The test reads each page's own forms (as a browser would), then submits them as
each role would on a bad day: fields missing, each field in turn given a value of
the wrong type, a NUL, a huge number, an impossible date or 3,000 characters, an
upload that is not what it says, a body past Django's size limit, and a POST without
a CSRF token. List pages get the same values in their filter fields.
"""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

BAD_VALUES = ["", "abc", "-1", "99999999999999999999", "2026-02-30", "\x00", "x" * 3000]
ENGLISH_CHROME = ("Bad Request", "Forbidden", "Server Error", "CSRF verification")


class Forms(HTMLParser):
    """The forms of a page: method, action, and each field with its first value."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form":
            self.forms.append(
                {
                    "method": (attrs.get("method") or "get").lower(),
                    "action": attrs.get("action") or "",
                    "fields": {},
                    "files": [],
                }
            )
        if not self.forms:
            return
        fields, name = self.forms[-1]["fields"], attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = attrs.get("type", "text")
            if kind == "file":
                self.forms[-1]["files"].append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs or kind == "radio":
                    fields.setdefault(name, attrs.get("value", "on"))
            elif kind not in ("submit", "button", "image", "reset"):
                fields[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, "")
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if "selected" in attrs or (
                value and not self.forms[-1]["fields"][self._select]
            ):
                self.forms[-1]["fields"][self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def forms_of(client, url, method):
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    parser = Forms()
    parser.feed(page.content.decode())
    found = [f for f in parser.forms if f["method"] == method and f["fields"]]
    assert found, f"no {method} form on {url}"
    for form in found:
        form["action"] = urljoin(url, form["action"]) if form["action"] else url
    return found


def assert_answered(response, what):
    """Below 500; an error page in Chinese, without Django's English chrome."""
    assert response.status_code < 500, what
    if response.status_code >= 400 and "html" in response.get("Content-Type", ""):
        text = response.content.decode()
        assert not any(word in text for word in ENGLISH_CHROME), what
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), what


def variants(fields, files):
    """The form's own values with one field at a time made bad, and nothing at all."""
    yield "nothing", {}
    for name in fields:
        for value in BAD_VALUES:
            yield f"{name}={value[:12]!r}", {**fields, name: value}
    for name in files:
        junk = SimpleUploadedFile("照片.jpg", b"not an image", "image/jpeg")
        yield f"{name}=junk file", {**fields, name: junk}


def case_to_act_on(people):
    """A case whose page offers the grid worker a step to take."""
    from jiceng.cases.models import Case

    client = client_as(people, "wangge")
    for pk in Case.objects.visible_to(people["wangge"]).values_list("pk", flat=True):
        if f"/cases/{pk}/act/" in client.get(f"/cases/{pk}/").content.decode():
            return pk
    raise AssertionError("the grid worker has no case to act on")


@pytest.fixture
def objects(people):
    from jiceng.people.models import Resident
    from jiceng.places.models import Place

    community = Place.objects.get(assignments__user=people["shuji"])
    return {
        "community": community.pk,
        "resident": Resident.objects.visible_to(people["shuji"]).first().pk,
        "case": case_to_act_on(people),
    }


FORM_PAGES = [
    ("shuji", "/people/residents/new/"),
    ("shuji", "/people/residents/{resident}/edit/"),
    ("shuji", "/people/residents/{resident}/tags/new/"),
    ("shuji", "/people/units/new/"),
    ("shuji", "/people/workers/new/"),
    ("shuji", "/places/{community}/new/"),
    ("shuji", "/volunteer/activities/new/"),
    ("shuji", "/transfer/import/residents/"),
    ("wangge", "/cases/new/"),
    ("wangge", "/cases/{case}/"),
    ("dangyuan", "/volunteer/hours/new/"),
    ("shuji", "/volunteer/wishes/new/"),
    ("dangyuan", "/account/"),
    ("quadmin", "/users/new/"),
    ("quadmin", "/people/key-populations/new/"),
    ("quadmin", "/party/roster-checks/new/"),
    ("quadmin", "/assessment/bulletins/"),
    ("quadmin", "/assessment/rankings/"),
    ("shuji", "/volunteer/matches/"),
    ("quadmin", "/account/"),
    (None, "/login/"),
]


def client_as(people, role, **kwargs):
    client = Client(**kwargs)
    if role:
        client.force_login(people[role])
    return client


@pytest.mark.parametrize(("role", "page"), FORM_PAGES)
def test_bad_form_posts_get_a_chinese_answer(people, objects, role, page):
    # given a role on one of its form pages
    client = client_as(people, role)
    url = page.format(**objects)
    for form in forms_of(client, url, "post"):
        for what, data in variants(form["fields"], form["files"]):
            # when the form is posted with a missing or bad value
            response = client.post(form["action"], data)
            # then the answer is a page or message, never a server error
            assert_answered(response, f"{role} POST {form['action']} {what}")


@pytest.mark.parametrize(("role", "page"), FORM_PAGES[::3])
def test_an_oversized_post_or_one_without_csrf_gets_a_chinese_page(
    people, objects, role, page
):
    url = page.format(**objects)
    action = forms_of(client_as(people, role), url, "post")[0]["action"]
    # when a body past the upload limit is posted
    response = client_as(people, role).post(action, {"note": "x" * (3 << 20)})
    # then it is a 400 page in Chinese
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()
    # when a form is posted without its CSRF token
    refused = client_as(people, role, enforce_csrf_checks=True).post(action, {})
    # then it is a 403 page in Chinese that says what to do
    assert refused.status_code == 403
    assert "页面已过期" in refused.content.decode()


LIST_PAGES = [
    "/cases/",
    "/cases/kpi/",
    "/cases/map/",
    "/people/residents/",
    "/people/households/",
    "/people/units/",
    "/people/workers/",
    "/people/tags/",
    "/party/members/",
    "/party/orgs/",
    "/party/roster-checks/",
    "/places/{community}/",
    "/volunteer/",
    "/volunteer/stats/",
    "/volunteer/activities/",
    "/volunteer/hours/",
    "/volunteer/volunteers/",
    "/volunteer/wishes/",
    "/volunteer/wall/",
    "/volunteer/needs/",
    "/volunteer/resources/",
    "/volunteer/matches/",
    "/volunteer/projects/",
    "/volunteer/practical/",
    "/volunteer/registrations/",
    "/notices/",
    "/audit/",
    "/users/",
    "/transfer/",
]


def query_fields(page, content):
    """The page's filter fields: its GET forms, and the parameters its own links set."""
    parser = Forms()
    parser.feed(content)
    fields = {"page": "1"}
    for form in parser.forms:
        if form["method"] == "get":
            fields.update(form["fields"])
    for link in parser.links:
        parts = urlsplit(urljoin(page, link))
        if parts.path == page:
            fields.update(parse_qsl(parts.query))
    return fields


@pytest.mark.parametrize("page", LIST_PAGES)
def test_bad_list_filters_get_a_chinese_answer(people, objects, page):
    # given the district admin on a list page
    client = client_as(people, "quadmin")
    page = page.format(**objects)
    first = client.get(page)
    assert first.status_code == 200, page
    for what, query in variants(query_fields(page, first.content.decode()), []):
        # when it is filtered with a missing or bad value
        response = client.get(page, query)
        # then the answer is a page, never a server error
        assert_answered(response, f"GET {page} {what}")
