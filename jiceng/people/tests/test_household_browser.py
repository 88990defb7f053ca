"""On a phone: a community registrar splits a household, choosing the new household's
address with the place picker (search, then tap a result)."""

import re

import pytest
from playwright.sync_api import expect

from jiceng.conftest import login

pytestmark = [pytest.mark.browser]


def open_a_household_of_two(page):
    """From the household list, the first household with a member besides its head."""
    page.goto("/people/households/")
    links = page.get_by_test_id("household-table").get_by_role("link")
    for index in range(links.count()):
        page.goto("/people/households/")
        page.get_by_test_id("household-table").get_by_role("link").nth(index).click()
        rows = page.locator("table tbody tr")
        if rows.count() >= 2 and page.get_by_text("分户").count():
            return
    pytest.skip("no household of two on the first page")


def test_split_a_household_on_a_phone(phone_page):
    page = phone_page
    login(page, "shuji")
    open_a_household_of_two(page)
    number = page.get_by_role("heading").first.inner_text().replace("户 ", "")

    page.get_by_role("link", name=re.compile("分户")).click()
    expect(page.get_by_role("heading", name=re.compile("分户"))).to_be_visible()
    # one member who is not the head moves out, and heads the new household
    members = page.get_by_role("group", name=re.compile("迁入新户的成员"))
    boxes = page.locator("input[name=residents]")
    labels = page.locator("input[name=head]")
    for index in range(boxes.count()):
        label = page.locator(f"label[for={boxes.nth(index).get_attribute('id')}]")
        if "户主" not in label.inner_text():
            boxes.nth(index).check()
            labels.nth(index).check()
            mover = label.inner_text().split("（")[0]
            break
    assert members is not None
    # the new address: search the picker and tap the first dwelling it offers
    picker = page.locator("[data-place-picker]")
    picker.get_by_role("searchbox").fill("室")
    first = picker.locator("[data-pick]").first
    expect(first).to_be_visible(timeout=10000)
    chosen = first.get_attribute("data-pick-label")
    first.click()
    expect(picker.locator("[data-pick-label]")).to_have_text(chosen)
    page.get_by_role("button", name="分户").click()

    # the new household's page lists the member who moved
    expect(
        page.get_by_role("heading", name=re.compile(rf"户 {number}-"))
    ).to_be_visible()
    expect(page.locator("table")).to_contain_text(mover)
    expect(page.get_by_text(re.compile("已分户"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    assert page.js_errors == []
