"""The shared scope matrix: every scoped model, every demo role, every surface agrees.

Each app's `tests/test_scope_matrix.py` lists its scoped models as `Surface`s and
turns them into tests with one line:

    SURFACES = [
        Surface(
            Resident,
            list_url="/people/residents/",
            detail_url=lambda r: f"/people/residents/{r.pk}/",
            api_list="/api/v1/residents/",
            api_detail=lambda r: f"/api/v1/residents/{r.pk}",
            export_url="/transfer/export/residents.xlsx",
        ),
    ]
    test_scope_matrix = scope_matrix(SURFACES)

For each surface and each demo account (and an anonymous visitor) the test checks
that the HTML list, the API list and the export show exactly the rows that
`Model.objects.visible_to(user)` returns, that a row inside scope opens (200) and a
row outside it is 404 — the same answer as a row that does not exist — on the page
and in the API, and that a refused page (403) is refused to someone who lacks its
permission. `jiceng/tests/test_scope_coverage.py` fails when a model with a `scope`
is in no app's SURFACES.

This module lives in core (it imports no app) so that every app's tests may use it
without importing another app's tests.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.paginator import Page

from .scope import has_permission

# The demo accounts (demo_accounts prints the same list), one per role and scope.
DEMO_USERNAMES = [
    "quadmin",
    "jiedao",
    "jiedao2",
    "shuji",
    "shegong",
    "wangge",
    "wangge2",
    "loudong",
    "danwei",
    "bumen",
    "wuye",
    "dangyuan",
]
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Surface:
    """Where one scoped model shows itself: pages, API and export that must agree.

    rows: the rows these surfaces list before scope (default: all), for lists that
        deliberately show a subset (open cases only, say).
    permission: what opening the list page needs (default "<app>.view").
    refused_roles: usernames that hold the permission but whose role the page
        turns away on purpose (403), e.g. members sent to their own H5 page.
    action: the scope action the pages read rows for; an edit page ("change",
        "manage") opens exactly the rows `visible_to(user, action)` returns.
    """

    model: type
    list_url: str | None = None
    detail_url: Callable | None = None
    api_list: str | None = None
    api_detail: Callable | None = None
    export_url: str | None = None
    rows: Callable | None = None
    permission: str | None = None
    refused_roles: frozenset = field(default_factory=frozenset)
    action: str = "view"

    @property
    def name(self) -> str:
        return f"{self.model._meta.app_label}.{self.model.__name__}"

    def all_rows(self):
        return self.rows() if self.rows else self.model._default_manager.all()

    def needed_permission(self) -> str:
        return self.permission or f"{self.model._meta.app_label}.view"


def page_count(response) -> int | None:
    """The total row count of the paginated list a page rendered, if it has one."""
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, Page):
                return value.paginator.count
    return None


# Every export opens with a watermark line (who exported it, when) and the header.
EXPORT_HEADER_ROWS = 2


def export_count(response) -> int:
    """Data rows in an exported workbook, below its watermark and header rows."""
    from openpyxl import load_workbook

    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return (
        sum(1 for row in sheet.iter_rows(values_only=True) if any(row))
        - EXPORT_HEADER_ROWS
    )


def exported(client, url, params=None):
    """The answer to an export button: the file, or, for an export large enough to
    be queued, the file the task worker wrote (the immediate backend runs it when
    the request commits), downloaded from the job's page as its owner would."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(url, params or {})
    if response.status_code == 302 and "/transfer/exports/" in response["Location"]:
        return client.get(response["Location"] + "download/")
    return response


def _allowed(status, user, surface) -> bool:
    """A 403 is right only for someone without the page's permission (or refused)."""
    if status != 403:
        return False
    return (
        not has_permission(user, surface.needed_permission())
        or user.username in surface.refused_roles
    )


def check_anonymous(surface: Surface, client, api_client):
    if surface.list_url:
        response = client.get(surface.list_url)
        assert response.status_code == 302, surface.list_url
        assert "/login/" in response["Location"]
    if surface.api_list:
        assert api_client.get(surface.api_list).status_code == 401, surface.api_list
    sample = surface.all_rows().first()
    if sample is not None and surface.detail_url:
        response = client.get(surface.detail_url(sample))
        assert response.status_code in (302, 404), surface.detail_url(sample)


def _check_count(response, url, user, surface, expected, count_of) -> bool:
    """A list answers 403 (True: refused, to someone without its permission) or 200
    showing exactly the visible rows (count_of None: the page shows no count)."""
    if response.status_code == 403:
        assert _allowed(403, user, surface), f"{url} refused"
        return True
    assert response.status_code == 200, url
    shown = count_of(response)
    if shown is not None:
        assert shown == expected, f"{url}: {shown} ≠ {expected}"
    return False


def _check_details(get, url_for, inside, outside, user, surface):
    """A row in scope opens (200), a row outside it is 404 like a missing one."""
    for row, wanted in ((inside, 200), (outside, 404)):
        if row is not None:
            url = url_for(row)
            status = get(url).status_code
            assert status == wanted or _allowed(status, user, surface), (
                f"{url}: {status}"
            )


def check_user(surface: Surface, user, client, api_client):
    visible = surface.all_rows().visible_to(user, surface.action)
    expected = visible.count()
    inside = visible.order_by("pk").first()
    outside = surface.all_rows().exclude(pk__in=visible.values("pk")).order_by("pk")
    outside = outside.first()
    refused = False

    if surface.list_url:
        response = client.get(surface.list_url)
        refused = _check_count(
            response, surface.list_url, user, surface, expected, page_count
        )
    if surface.detail_url:
        opened = None if refused else inside
        _check_details(client.get, surface.detail_url, opened, outside, user, surface)
    if surface.api_list:
        response = api_client.get(surface.api_list, {"limit": 1})
        _check_count(
            response,
            surface.api_list,
            user,
            surface,
            expected,
            lambda r: r.json()["count"],
        )
    if surface.api_detail:
        _check_details(
            api_client.get, surface.api_detail, inside, outside, user, surface
        )
    if surface.export_url:
        _check_count(
            exported(client, surface.export_url),
            surface.export_url,
            user,
            surface,
            expected,
            export_count,
        )


def scope_matrix(surfaces: list[Surface]):
    """One test per surface × demo account (and anonymous) that the surfaces agree."""

    @pytest.mark.parametrize("username", [ANONYMOUS, *DEMO_USERNAMES])
    @pytest.mark.parametrize("surface", surfaces, ids=lambda s: s.name)
    def test_scope_matrix(surface, username, db):
        from django.contrib.auth import get_user_model
        from django.test import Client

        from .services import create_api_token

        if username == ANONYMOUS:
            check_anonymous(surface, Client(), Client())
            return
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        _, raw = create_api_token(actor=user, user=user, name="matrix", days=1)
        api_client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        check_user(surface, user, client, api_client)

    return test_scope_matrix


def scoped_models():
    """Every installed model that declares a Scope (what the matrix must cover)."""
    from django.apps import apps

    return [m for m in apps.get_models() if getattr(m, "scope", None) is not None]
