"""In a browser: the compound's chart renders its map on a phone, its A3 poster
prints to a PDF of one or two pages carrying the compound's name, and an admin
draws a grid's outline on the place editor (and is told when it crosses itself)."""

import json
import re

import pytest
from playwright.sync_api import expect

from jiceng.conftest import DESKTOP, PHONE, login

from .pdftext import pdf_pages, pdf_text

pytestmark = [pytest.mark.browser]


def _page(browser, live_site, username, options):
    context = browser.new_context(base_url=live_site, locale="zh-CN", **options)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    login(page, username)
    return page


def _compound_chart(browser, live_site):
    """The chart URL of the property company's compound (its only place)."""
    page = _page(browser, live_site, "wuye", DESKTOP)
    page.goto("/places/")
    name = page.locator("h1").first.inner_text().split(" ")[0]
    href = page.get_by_test_id("place-atlas").get_by_role("link", name="查看图示")
    url = href.get_attribute("href")
    page.context.close()
    return name.strip(), url


def test_the_chart_works_on_a_phone_and_the_poster_prints_on_a3(browser, live_site):
    name, url = _compound_chart(browser, live_site)

    # given the community secretary on a phone, on the compound's chart
    phone = _page(browser, live_site, "shuji", PHONE)
    phone.goto(url)
    expect(phone.get_by_test_id("atlas-title")).to_contain_text(name)
    expect(phone.locator("#atlas-map[data-ready]")).to_have_count(1)
    assert phone.locator("#atlas-map .leaflet-interactive").count() > 0
    assert phone.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )
    assert not phone.js_errors
    phone.context.close()

    # when she opens the poster at a desk and prints it on A3
    desk = _page(browser, live_site, "shuji", DESKTOP)
    desk.goto(url)
    desk.get_by_role("link", name="A3海报").click()
    expect(desk.locator("#atlas-map[data-ready]")).to_have_count(1)
    assert desk.locator("nav.navbar").count() == 0
    desk.emulate_media(media="print")
    pdf = desk.pdf(format="A3", print_background=True)

    # then the PDF has one or two pages and carries the compound's name
    assert 1 <= pdf_pages(pdf) <= 2
    text = re.sub(r"\s+", "", pdf_text(pdf))
    assert name in text and "一小区一图示" in text
    assert not desk.js_errors
    desk.context.close()


def _centre(page):
    """The map's centre in the viewport (scrolled into view first: below the
    form's fields it starts off screen on a desk)."""
    editor = page.get_by_test_id("geometry-editor")
    editor.scroll_into_view_if_needed()
    box = editor.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _draw(page, offsets):
    """Click the polygon tool, then the map at offsets from its centre, then the
    first corner again to close the shape; wait for the field to take it."""
    before = page.locator("#id_geometry").input_value()
    page.locator(".leaflet-pm-toolbar .leaflet-pm-icon-polygon").click()
    cx, cy = _centre(page)
    for dx, dy in [*offsets, offsets[0]]:
        page.mouse.move(cx + dx, cy + dy, steps=3)
        page.mouse.click(cx + dx, cy + dy)
        page.wait_for_timeout(150)
    expect(page.locator("#id_geometry")).not_to_have_value(before)
    expect(page.locator("[data-place-editor]")).to_have_attribute(
        "data-geometry-type", "Polygon"
    )


def _delete_drawn(page):
    """Remove the shape with the eraser tool (the field empties)."""
    eraser = page.locator(".leaflet-pm-toolbar .leaflet-pm-icon-delete")
    eraser.click()
    cx, cy = _centre(page)
    page.mouse.move(cx, cy, steps=3)
    page.mouse.click(cx, cy)
    expect(page.locator("#id_geometry")).to_have_value("")
    eraser.click()


def _open_grid_editor(page):
    page.goto("/places/")  # the secretary's community
    page.get_by_test_id("children").get_by_role("link").first.click()
    grid_url = page.url
    page.get_by_role("link", name="编辑", exact=True).click()
    expect(page.locator("[data-place-editor][data-ready]")).to_have_count(1)
    return grid_url


def test_an_admin_draws_a_grid_outline_and_a_crossing_one_is_refused(
    browser, live_site
):
    page = _page(browser, live_site, "shuji", DESKTOP)

    # given the community secretary on a grid's edit page, the reference drawn
    grid_url = _open_grid_editor(page)
    assert page.locator("#id_geometry").is_hidden()

    # when she draws a square and saves
    _draw(page, [(-60, -50), (60, -50), (60, 50), (-60, 50)])
    drawn = json.loads(page.locator("#id_geometry").input_value())
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(grid_url)

    # then the grid's stored geometry is that polygon, closed, with four corners
    data = page.request.get(grid_url + "map.json").json()
    stored = next(f for f in data["features"] if f["properties"]["is_self"])
    assert stored["geometry"]["type"] == "Polygon"
    ring = stored["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5
    assert stored["geometry"] == drawn

    # when she erases it and draws a bow tie instead
    page.get_by_role("link", name="编辑", exact=True).click()
    expect(page.locator("[data-place-editor][data-ready]")).to_have_count(1)
    _delete_drawn(page)
    _draw(page, [(-60, -50), (60, 50), (60, -50), (-60, 50)])
    crossing = page.locator("#id_geometry").input_value()
    page.get_by_role("button", name="保存").click()

    # then the page says why in Chinese and keeps what she drew
    expect(page.locator(".invalid-feedback")).to_contain_text("自相交")
    assert page.locator("#id_geometry").input_value() == crossing
    expect(page.locator("[data-place-editor][data-ready]")).to_have_count(1)
    expect(page.locator("[data-place-editor]")).to_have_attribute(
        "data-geometry-type", "Polygon"
    )
    assert not page.js_errors
    page.context.close()
