"""The big screen in a browser: at 1920×1080 the map draws its grids and the charts
their canvases with no console errors, the page refreshes itself, rides out a lost
connection and an ended session, and still fits a 375 px phone."""

import re

import pytest
from playwright.sync_api import expect

from jiceng.conftest import PHONE, login

pytestmark = [pytest.mark.browser]

WALL = {"viewport": {"width": 1920, "height": 1080}}


def _favicon(url):
    # the browser asks the workbench it lands on after login for /favicon.ico
    return url.endswith("/favicon.ico")


def open_screen(browser, live_site, options):
    context = browser.new_context(base_url=live_site, locale="zh-CN", **options)
    page = context.new_page()
    login(page, "jiedao")
    # from here on the screen's own errors (the workbench has its own tests)
    errors, polls = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"{msg.text} {msg.location.get('url', '')}")
            if msg.type == "error" and not _favicon(msg.location.get("url", ""))
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not _favicon(r.url)
            else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            polls.append(request.url) if "data.json" in request.url else None
        ),
    )
    # a 2 s poll instead of 30 s, so the test sees the page refresh
    page.goto("/screen/?poll=2")
    return context, page, errors, polls


def test_the_wall_screen_draws_map_and_charts_and_refreshes(browser, live_site):
    # given the street administrator's screen on a 1920×1080 wall
    context, page, errors, polls = open_screen(browser, live_site, WALL)
    root = page.locator("#screen")
    # then the map draws the grids as polygons in Leaflet's overlay pane
    expect(root).to_have_attribute("data-state", "ok", timeout=20000)
    grids = page.locator(".leaflet-overlay-pane path.screen-grid")
    expect(grids.first).to_be_attached()
    assert grids.count() >= 2
    # and both charts are drawn on ECharts' canvases
    expect(page.locator("#chart-trend canvas").first).to_be_visible()
    expect(page.locator("#chart-categories canvas").first).to_be_visible()
    # and the headline figures and the rankings are filled in
    expect(page.locator("[data-figure=open]")).to_have_text(re.compile(r"^\d+$"))
    expect(page.locator("#rank-communities tr").first).to_be_visible()
    # and it polls again by itself
    page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".filter(e => e.name.includes('data.json')).length >= 2",
        timeout=20000,
    )
    assert len(polls) >= 2
    # and the wall shows it all on one screen, with no console errors
    size = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size[0] <= 1920 and size[1] <= 1081, size
    assert errors == []

    # when the server stops answering (a restart), the screen keeps its picture
    figure = page.locator("[data-figure=open]").inner_text()
    page.route("**/data.json*", lambda route: route.abort())
    expect(page.locator("#screen-status")).to_contain_text(
        "连接中断，正在重试", timeout=15000
    )
    assert page.locator("[data-figure=open]").inner_text() == figure
    # then, once it answers again, the screen recovers without a reload
    page.unroute("**/data.json*")
    expect(root).to_have_attribute("data-state", "ok", timeout=30000)
    expect(page.locator("#screen-status")).to_be_hidden()

    # when the session has ended, the screen says so and links to the login page
    page.route(
        "**/data.json*",
        lambda route: route.fulfill(
            status=401,
            content_type="application/json",
            body='{"error": "login_required", "message": "登录已失效"}',
        ),
    )
    expect(page.locator("#screen-status")).to_contain_text("登录已失效", timeout=15000)
    expect(page.locator("#screen-status a")).to_have_attribute(
        "href", re.compile(r"^/login/\?next=/screen/")
    )
    page.unroute("**/data.json*")
    expect(root).to_have_attribute("data-state", "ok", timeout=15000)
    context.close()


def test_the_screen_fits_a_phone(browser, live_site):
    # given the same screen on a 375 px phone
    context, page, errors, _ = open_screen(browser, live_site, PHONE)
    # then it draws, in one column, without scrolling sideways
    expect(page.locator("#screen")).to_have_attribute("data-state", "ok", timeout=20000)
    expect(
        page.locator(".leaflet-overlay-pane path.screen-grid").first
    ).to_be_attached()
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )
    assert errors == []
    context.close()
