"""On a phone (375 px): a member re-registers, signs up, checks out of the activity
they checked in at, the organiser confirms the hours, points arrive and are redeemed;
a resident's wish is collected, published, claimed, fulfilled and confirmed."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from jiceng.conftest import PHONE, login

pytestmark = [pytest.mark.browser]


def phone_page(browser, live_site, username=None):
    context = browser.new_context(base_url=live_site, locale="zh-CN", **PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    if username:
        login(page, username)
    return page


def flash(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def test_member_registers_serves_earns_and_redeems(browser, live_site):
    member = phone_page(browser, live_site, "dangyuan")
    secretary = phone_page(browser, live_site, "shuji")

    # the member withdraws the demo registration and registers again
    member.goto("/volunteer/me/")
    member.get_by_test_id("my-registration").first.locator("xpath=..").get_by_role(
        "link"
    ).click()
    member.get_by_role("button", name="撤回报到").click()
    flash(member, "已撤回报到")
    member.goto("/volunteer/register/")
    member.get_by_label("服务承诺").fill("每月参加一次楼道清理")
    member.get_by_label("特长技能").fill("理发")
    member.get_by_role("button", name="提交报到").click()
    flash(member, "已提交报到")
    expect(member.get_by_test_id("my-registration").first).to_have_text("待社区确认")

    # the community confirms it
    secretary.goto("/volunteer/registrations/?status=pending")
    secretary.get_by_test_id("registration-table").get_by_role("link").first.click()
    secretary.get_by_role("button", name="确认报到").click()
    flash(secretary, "已确认报到")

    # the member signs up for an upcoming activity; its QR link is not open yet
    member.goto("/volunteer/activities/")
    member.get_by_test_id("activity-list").get_by_role(
        "link", name=re.compile("政策宣讲进小区")
    ).click()
    member.get_by_role("button", name="我要报名").click()
    flash(member, "报名成功")

    # on site at the cleaning day (checked in at its start), the member checks out
    secretary.goto("/volunteer/activities/")
    secretary.get_by_role("link", name=re.compile("社区环境清洁日")).click()
    activity_url = secretary.url
    link = secretary.get_by_test_id("checkin-link").get_attribute("href")
    member.goto(link)
    expect(member.get_by_test_id("checkin-state")).to_contain_text("已于")
    member.get_by_role("button", name="签退").click()
    flash(member, "签退成功")
    expect(member.get_by_test_id("checkin-state")).to_contain_text("小时")

    # the organiser confirms the hours; points arrive
    secretary.goto(activity_url)
    secretary.get_by_test_id("confirm-hours").click()
    flash(secretary, "积分已发放")
    member.goto("/volunteer/me/")
    expect(member.get_by_test_id("my-ledger")).to_contain_text("服务时长")
    balance = int(member.get_by_test_id("my-points").inner_text())

    # and redeems them in the points mall
    member.goto("/volunteer/mall/")
    member.get_by_role("button", name="兑换洗衣液").click()
    flash(member, "兑换成功")
    expect(member.get_by_test_id("my-balance")).to_have_text(str(balance - 30))
    assert member.evaluate("document.documentElement.scrollWidth") <= 380
    assert member.js_errors == [] and secretary.js_errors == []


def test_wish_from_collection_to_confirmation_on_a_phone(browser, live_site, tmp_path):
    photo = tmp_path / "心愿.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    worker = phone_page(browser, live_site, "wangge")
    worker.goto("/volunteer/wishes/new/")
    worker.get_by_label("所在网格/小区/楼栋").select_option(index=1)
    worker.locator("#id_title").fill("想要一个新台灯")
    worker.get_by_label("类别").select_option(label="学习助学")
    worker.get_by_label("公开称呼").fill("小红")
    worker.get_by_label("心愿人同意在心愿墙公开").check()
    worker.get_by_role("button", name="登记心愿").click()
    flash(worker, "心愿已登记")
    wish_url = worker.url

    secretary = phone_page(browser, live_site, "shuji")
    secretary.goto(wish_url)
    secretary.get_by_role("button", name="发布到心愿墙").click()
    flash(secretary, "已发布到心愿墙")

    member = phone_page(browser, live_site, "dangyuan")
    member.goto("/volunteer/wall/?status=published")
    member.get_by_test_id("wish-wall").get_by_role(
        "link", name=re.compile("想要一个新台灯")
    ).click()
    member.get_by_role("button", name="我来认领").click()
    flash(member, "认领成功")
    member.get_by_label("完成说明").fill("已送到小红家")
    member.get_by_label("完成照片").set_input_files(str(photo))
    member.get_by_role("button", name="反馈已完成").click()
    flash(member, "已反馈完成")
    expect(member.get_by_test_id("wall-status")).to_have_text("待确认")

    # the grid worker shows the confirmation link; the resident confirms on it
    worker.goto(wish_url)
    link = worker.get_by_test_id("confirm-link").get_attribute("href")
    resident = phone_page(browser, live_site)
    resident.goto(link)
    resident.get_by_label("反馈").fill("谢谢叔叔")
    resident.get_by_role("button", name="心愿已实现，确认").click()
    expect(resident.get_by_test_id("confirm-status")).to_have_text("已实现")
    resident.goto(member.url)
    expect(resident.get_by_test_id("wall-progress")).to_contain_text("心愿人确认")
    for page in (worker, secretary, member, resident):
        assert page.js_errors == []
