"""The side menu and the pages agree: an entry is shown exactly when its page opens."""

import pytest
from django.urls import resolve, reverse

from jiceng.core.testing import DEMO_USERNAMES
from jiceng.home.navigation import MENU, menu_for

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = [*DEMO_USERNAMES, "sysadmin"]


def open_page(client, url):
    """Open a page as its menu link does, through landing redirects within the site."""
    response = client.get(url)
    for _hop in range(3):
        if response.status_code != 302:
            break
        target = response["Location"]
        assert not target.startswith(reverse("core:login")), f"{url} asks for login"
        response = client.get(target)
    return response.status_code


def test_every_demo_account_is_checked(people):
    assert set(DEMO_ACCOUNTS) <= set(people)


@pytest.mark.parametrize("username", DEMO_ACCOUNTS)
def test_the_menu_lists_exactly_the_pages_one_may_open(client_for, people, username):
    # given a demo account and the entries of its menu
    client = client_for(username)
    shown = {entry["url"] for entry in menu_for(people[username])}
    assert shown, "everyone has a workbench"
    # when it opens every page of the main sections
    answers = {
        item.url: open_page(client, item.url)
        if item.url in shown
        else client.get(item.url).status_code
        for item in MENU
    }
    # then every page in its menu opens and every other one is refused
    assert {url: answers[url] for url in shown if answers[url] != 200} == {}
    refused = {url: status for url, status in answers.items() if url not in shown}
    assert {url: s for url, s in refused.items() if s != 403} == {}


def test_a_page_that_names_its_permissions_is_the_only_place_they_are_named():
    for item in MENU:
        declared = getattr(resolve(item.url).func, "required_permissions", None)
        assert declared is None or item.permissions in ((), declared), item.url_name
