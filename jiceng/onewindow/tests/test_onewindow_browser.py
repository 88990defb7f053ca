"""On a phone (375 px): a resident books a visit to the window and applies for 高龄津贴
with a material missing; the window tells them once, in full; the resident uploads
the rest; the window accepts, the street decides, the result is posted and rated."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from jiceng.conftest import PHONE, login

pytestmark = [pytest.mark.browser]


def phone_page(browser, live_site, username):
    context = browser.new_context(base_url=live_site, locale="zh-CN", **PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    login(page, username)
    return page


def flash(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def picture(name):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def fits(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


def test_resident_books_applies_completes_and_rates(browser, live_site):
    resident = phone_page(browser, live_site, "dangyuan")
    clerk = phone_page(browser, live_site, "shegong")
    street = phone_page(browser, live_site, "jiedao")

    # the resident books a morning at the community's 党群服务中心
    resident.goto("/onewindow/points/?kind=party_center")
    resident.get_by_test_id("point-list").get_by_role(
        "link", name=re.compile("幸福社区党群服务中心")
    ).click()
    resident.get_by_role("link", name="预约").click()
    resident.get_by_test_id("slots").locator("input[type=radio]:enabled").first.check()
    resident.get_by_test_id("book").click()
    flash(resident, "预约成功")
    expect(resident.get_by_test_id("my-appointments")).to_contain_text("已预约")
    assert fits(resident)

    # and applies for 高龄津贴 on the phone with only the ID card
    resident.get_by_role("link", name="我要办事").click()
    resident.get_by_test_id("apply-items").get_by_role(
        "link", name=re.compile("高龄津贴申领")
    ).click()
    resident.get_by_label(re.compile("居民身份证")).set_input_files(picture("id.jpg"))
    resident.get_by_test_id("submit-application").click()
    flash(resident, "申请已提交")
    number = re.search(r"YC\d{12}", resident.content()).group(0)
    my_application = resident.url
    assert fits(resident)

    # the window finds it and tells them once everything that is missing
    clerk.goto(f"/onewindow/applications/?number={number}")
    clerk.get_by_test_id("application-list").get_by_role("link").first.click()
    clerk.get_by_test_id("issue-notice").click()
    notice = clerk.get_by_test_id("notice")
    expect(notice).to_contain_text("户口簿")
    expect(notice).to_contain_text("银行卡")
    expect(notice).to_contain_text("2 项材料")
    assert fits(clerk)

    # the resident sees the same list on the phone and uploads both
    resident.goto(my_application)
    told = resident.get_by_test_id("notice")
    expect(told).to_contain_text("户口簿")
    expect(told).to_contain_text("银行卡")
    resident.get_by_label("上传户口簿").set_input_files(picture("hukou.jpg"))
    resident.get_by_label("上传银行卡").set_input_files(picture("card.jpg"))
    resident.get_by_test_id("resupply").click()
    flash(resident, "材料已补齐")

    # the window accepts; it goes to the street, which decides
    clerk.goto(f"/onewindow/applications/?number={number}")
    clerk.get_by_test_id("application-list").get_by_role("link").first.click()
    clerk.get_by_test_id("accept").click()
    flash(clerk, "已受理")
    application_url = clerk.url
    street.goto(application_url)
    street.get_by_test_id("approve").click()
    flash(street, "已办结")

    # the result is posted to the resident, who rates the service
    clerk.goto(application_url)
    clerk.get_by_label("领取方式").select_option("mail")
    clerk.get_by_test_id("collect").click()
    flash(clerk, "已登记领取")
    resident.goto(my_application)
    expect(resident.get_by_test_id("status")).to_have_text("已领取")
    resident.get_by_label("非常满意").check()
    resident.get_by_test_id("rate").click()
    flash(resident, "感谢您的评价")
    for page in (resident, clerk, street):
        assert page.js_errors == []
