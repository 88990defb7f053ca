"""On a phone (375 px): a community's branch secretary records this month's 支委会
with attendance, and the street 党工委 above sees the branch's month turn green in
the compliance view."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from jiceng.conftest import PHONE, login

pytestmark = [pytest.mark.browser]


def phone(browser, live_site, username):
    context = browser.new_context(base_url=live_site, locale="zh-CN", **PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    login(page, username)
    return page


def no_overflow(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide"


def committee_cell(page, branch):
    month = datetime.now(ZoneInfo("Asia/Shanghai")).month
    card = page.locator("section").filter(
        has=page.get_by_role("heading", name=branch, exact=True)
    )
    return card.locator(f'[data-cell="committee-{month}"]')


def test_a_branch_records_a_committee_and_the_street_sees_it_green(browser, live_site):
    secretary = phone(browser, live_site, "shuji")
    street = phone(browser, live_site, "jiedao")

    # given a branch of the community, whose 支委会 this month is not yet held
    secretary.goto("/party/meetings/")
    no_overflow(secretary)
    secretary.get_by_test_id("record-meeting").click()
    branch_link = secretary.get_by_test_id("branch-pick").get_by_role("link").first
    branch = branch_link.inner_text().strip()
    street.goto("/party/compliance/")
    no_overflow(street)
    expect(committee_cell(street, branch)).not_to_have_attribute("data-state", "ok")

    # when the secretary records the 支委会, one member absent with a reason
    branch_link.click()
    secretary.get_by_label("会议类型").select_option(label="支委会")
    secretary.get_by_label("主题").fill("研究本月志愿服务安排")
    secretary.get_by_label("会议记录").fill("书记主持，研究部署本月工作。")
    rows = secretary.get_by_test_id("att-row")
    expect(rows.first).to_be_visible()
    no_overflow(secretary)
    rows.first.get_by_text("缺席").click()
    rows.first.get_by_placeholder("缺席原因（缺席时填写）").fill("出差")
    secretary.get_by_role("button", name="保存").click()

    # then the meeting shows its attendance, the absence awaiting make-up
    expect(
        secretary.get_by_role("alert").filter(has_text="已记录支委会")
    ).to_be_visible()
    expect(secretary.get_by_test_id("attendance")).to_contain_text("缺席（出差）")
    no_overflow(secretary)

    # and the street 党工委 sees this month's 支委会 of the branch turn green
    street.reload()
    expect(committee_cell(street, branch)).to_have_attribute("data-state", "ok")
    assert not secretary.js_errors and not street.js_errors
