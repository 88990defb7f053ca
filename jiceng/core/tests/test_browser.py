"""Real browser flows on a phone (375 px) and a desktop, against a served demo district.

Chromium is Debian's package (scripts/ensure_chromium.sh); the server is a separate
process with its own freshly migrated and seeded database.
"""

import re

import pytest
from playwright.sync_api import expect

from jiceng.conftest import login

pytestmark = [pytest.mark.browser]


def open_menu(page, label):
    """Follow a side-menu entry; on a phone the menu sits behind the hamburger button."""
    if page.viewport_kind == "phone":
        page.get_by_role("button", name="打开菜单").click()
    # the entry's name is its icon and label; ending with the label tells 居民
    # from 居民服务门户
    page.get_by_role("navigation", name="主菜单").get_by_role(
        "link", name=re.compile(rf"{re.escape(label)}$")
    ).click()


def block_outside_requests(page):
    """Fail loudly if a page asks anything of the internet (intranets have none)."""
    outside = []

    def handle(route):
        outside.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), handle)
    return outside


def test_grid_worker_finds_and_reveals_a_resident_in_the_grid(page):
    outside = block_outside_requests(page)
    # given wangge, a grid worker, logs in on a phone or a desktop
    login(page, "wangge")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_test_id("roles")).to_contain_text("网格员")

    # when the worker opens the resident list, only their grids' residents are listed
    open_menu(page, "居民")
    table = page.get_by_test_id("resident-table")
    expect(table).to_be_visible()
    first_name = table.locator("tbody tr td a").first.inner_text()
    assert re.search(r"\*{4}", table.locator("td.masked").first.inner_text())

    # and a search narrows the list in place (htmx), keeping the URL shareable
    page.get_by_label("搜索").fill(first_name)
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"q="))
    expect(table.locator("tbody tr td a").first).to_have_text(first_name)

    # then opening the resident shows masked values until the worker asks to see one
    table.get_by_role("link", name=first_name).first.click()
    expect(page.get_by_role("heading", name=re.compile(first_name))).to_be_visible()
    # the button is htmx's: wait for the deferred script, as a busy server may be slow
    page.wait_for_load_state()
    page.get_by_test_id("reveal-id_number").click()
    revealed = page.get_by_test_id("revealed")
    expect(revealed).to_have_text(re.compile(r"^\d{17}[\dX]$"))
    assert page.js_errors == [] and outside == []


def test_street_admin_walks_the_territory_tree_down_to_a_grid(page):
    login(page, "jiedao")
    open_menu(page, "辖区网格")
    # one assigned street opens directly
    expect(
        page.get_by_role("heading", level=1, name=re.compile("街道"))
    ).to_be_visible()
    # street → community → grid, each page listing its children
    for _level in ("社区", "网格"):
        page.get_by_test_id("children").get_by_role("link").first.click()
        expect(page.get_by_test_id("place-code")).to_have_text(re.compile(r"^\d+$"))
    expect(
        page.get_by_role("heading", level=1, name=re.compile("网格"))
    ).to_be_visible()
    expect(page.get_by_test_id("responsible")).to_contain_text("网格员")
    assert page.js_errors == []


def test_an_invalid_resident_form_keeps_what_was_typed(page):
    login(page, "wangge")
    page.goto("/people/residents/new/")
    page.get_by_label("姓名").fill("李四")
    page.get_by_label("身份证号").fill("110105194912310021")
    page.get_by_label("手机号码").fill("12345")
    page.get_by_label("搜索地点").fill("999")  # the address picker's search box
    # its answer moves the form down: wait for it, or the click may land where
    # 保存 was a moment before (CI saw the form stay unsent)
    expect(page.get_by_text("没有找到“999”")).to_be_visible()
    page.get_by_label("备注").fill("三楼东户")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("身份证号校验位错误")).to_be_visible()
    expect(page.get_by_label("姓名")).to_have_value("李四")
    expect(page.get_by_label("备注")).to_have_value("三楼东户")
    assert page.js_errors == []


def test_the_api_documentation_works_without_internet(page):
    outside = block_outside_requests(page)
    login(page, "quadmin")
    page.goto("/api/v1/docs")
    expect(page.get_by_text("基层治理平台 API").first).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    assert outside == []


def test_a_phone_screen_does_not_scroll_sideways(phone_page):
    page = phone_page
    login(page, "shuji")
    for url in [
        "/",
        "/places/",
        "/people/residents/",
        "/party/members/",
        "/cases/",
        "/cases/kpi/",
        "/notices/",
    ]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width}px wide"
