"""On a phone (375 px): a resident rates their compound's property company; the
street computes, approves and publishes the quarter's 红黑榜; the public page
(no login) shows it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jiceng.conftest import PHONE, login

pytestmark = [pytest.mark.browser]


def phone(browser, live_site):
    context = browser.new_context(base_url=live_site, locale="zh-CN", **PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    return page


def no_overflow(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide"


def test_resident_rates_street_publishes_public_sees_the_board(browser, live_site):
    today = timezone.localdate()
    quarter = f"{today.year}Q{(today.month - 1) // 3 + 1}"

    # a resident rates the property company on the phone: a low score needs a reason
    resident = phone(browser, live_site)
    login(resident, "dangyuan")
    resident.goto("/assessment/rate/")
    company = resident.get_by_test_id("rate-form").locator("..").locator("p").first
    expect(company).to_contain_text("物业")
    name = company.inner_text().split("·")[1].split("\n")[0].strip()
    for code, stars in (("service", 5), ("cleaning", 4), ("security", 4)):
        resident.locator(f"label[for={code}{stars}]").click()
    resident.locator("label[for=repair2]").click()
    resident.get_by_role("button", name="提交评价").click()
    expect(resident.get_by_test_id("error")).to_contain_text("说明理由")
    resident.locator("label[for=repair2]").click()
    for code, stars in (("service", 5), ("cleaning", 4), ("security", 4)):
        resident.locator(f"label[for={code}{stars}]").click()
    resident.get_by_label("理由（低分必填）").fill("报修后三天才来人")
    resident.get_by_role("button", name="提交评价").click()
    expect(resident.get_by_test_id("done")).to_be_visible()
    no_overflow(resident)

    # the street computes the quarter's board, approves and publishes it
    street = phone(browser, live_site)
    login(street, "jiedao")
    street.goto("/assessment/rankings/")
    street.get_by_label("季度").fill(quarter)
    street.get_by_role("button", name="计算红黑榜").click()
    expect(street.get_by_test_id("status")).to_have_text("草稿（已计算）")
    street.get_by_role("button", name="街道审定").click()
    expect(street.get_by_test_id("status")).to_have_text("街道已审定")
    street.get_by_role("button", name="公开发布").click()
    expect(street.get_by_test_id("status")).to_have_text("已公布")
    no_overflow(street)

    # the public page, without logging in, shows the published board
    visitor = phone(browser, live_site)
    visitor.goto("/assessment/public/rankings/")
    expect(visitor.get_by_test_id("public-ranking").first).to_be_visible()
    board = visitor.get_by_test_id("public-ranking").filter(has_text=quarter).first
    expect(board).to_contain_text(name)
    no_overflow(visitor)
    assert not resident.js_errors and not street.js_errors
