"""On a phone (375 px): a grid worker patrols with the track sampled by the
browser, a finding becomes a case in two taps, then a home visit corrects a
household member's phone number in the registry."""

import re

import pytest
from playwright.sync_api import expect

from jiceng.conftest import PHONE, login

pytestmark = [pytest.mark.browser]

START = {"latitude": 30.6601, "longitude": 104.0633}


def fits(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


def flash(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def test_grid_worker_patrols_reports_and_corrects_on_a_visit(browser, live_site):
    context = browser.new_context(
        base_url=live_site,
        locale="zh-CN",
        geolocation=START,
        permissions=["geolocation"],
        **PHONE,
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, "wangge")

    # the grid worker starts a patrol in their first grid
    page.goto("/workforce/m/")
    page.get_by_test_id("start-patrol").click()
    expect(page.get_by_role("heading", name=re.compile("巡查中"))).to_be_visible()
    # the phone moves: the page samples the positions while it is open
    for step in range(1, 4):
        page.wait_for_timeout(300)
        context.set_geolocation(
            {
                "latitude": START["latitude"] + 0.0003 * step,
                "longitude": START["longitude"],
            }
        )
    expect(page.get_by_test_id("track-status")).to_contain_text("轨迹")
    assert fits(page)

    # records a finding, and turns it into a case in two taps
    page.get_by_label("发现的问题").fill("小区门口路灯不亮")
    page.get_by_test_id("add-finding").click()
    flash(page, "已记录发现")
    page.get_by_role("link", name="上报为事件").click()  # tap one
    page.get_by_test_id("confirm-case").click()  # tap two
    flash(page, "已上报事件")
    expect(page.get_by_test_id("findings")).to_contain_text(re.compile(r"\d{8,}"))

    # ends the patrol: the line is stored with its points
    page.get_by_test_id("end-patrol").click()
    flash(page, "巡查结束")
    expect(page.locator("#track-map")).to_have_attribute("data-ready", "1")
    assert fits(page)

    # a home visit: pick a household, who was seen, save
    page.goto("/workforce/m/visits/new/")
    page.get_by_test_id("pick-household").click()
    page.locator("input[name=seen]").first.check()
    page.get_by_label("走访情况").fill("入户核实家庭信息")
    page.get_by_test_id("save-visit").click()
    flash(page, "已登记走访")
    assert fits(page)

    # and corrects the first member's phone number in place
    page.locator("details summary").first.click()
    page.get_by_label("手机号码").first.fill("13800001111")
    page.get_by_role("button", name="保存更正").first.click()
    flash(page, "已更正")
    expect(page.get_by_test_id("members")).to_contain_text("138****1111")
    assert not errors, errors
    context.close()
