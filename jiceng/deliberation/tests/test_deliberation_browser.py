"""On a phone (375 px): a resident raises a topic; the community grades it 大事;
the 居民议事会 meets (notice, attendance, minutes, the topic discussed); a vote is
opened; the resident's household votes on the phone and the clerk enters the
others' votes from the meeting; the result is published on the public page."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from jiceng.conftest import PHONE, login

pytestmark = [pytest.mark.browser]
SHANGHAI = ZoneInfo("Asia/Shanghai")


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


def local(moment):
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def no_overflow(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide"


def test_resident_raises_community_grades_meeting_votes_result_published(
    browser, live_site
):
    resident = phone_page(browser, live_site, "dangyuan")
    secretary = phone_page(browser, live_site, "shuji")

    # a resident raises a topic about their building on the phone
    resident.goto("/deliberation/topics/new/")
    places = resident.get_by_label("涉及范围")
    building = places.locator("option").last.get_attribute("value")
    places.select_option(building)
    resident.get_by_label("议题").fill("楼下增设电动车充电桩")
    resident.get_by_label("具体内容").fill(
        "电动车在楼道充电有火灾隐患，希望在楼下集中充电"
    )
    resident.get_by_role("button", name="提交议题").click()
    flash(resident, "议题已提交")
    no_overflow(resident)
    topic_url = resident.url

    # the community grades it 大事
    secretary.goto(topic_url)
    secretary.get_by_test_id("grade-select").select_option("major")
    secretary.get_by_role("button", name="定级", exact=True).click()
    flash(secretary, "已定级")
    expect(secretary.get_by_test_id("grade")).to_have_text("大事")

    # the 居民议事会 meets: notice, attendance and minutes, the topic discussed
    secretary.goto("/deliberation/meetings/")
    secretary.get_by_role("link", name=re.compile("^幸福社区居民议事会")).click()
    secretary.get_by_label("会议名称").fill("电动车充电议事会")
    secretary.get_by_label("召开时间").fill(local(datetime.now(SHANGHAI)))
    secretary.get_by_label("地点").fill("党群服务中心")
    secretary.get_by_label("会议通知").fill("审议楼下增设电动车充电桩")
    secretary.get_by_role("button", name="发出通知").click()
    flash(secretary, "会议通知已发出")
    for box in (
        secretary.get_by_test_id("record-form").locator("input[type=checkbox]").all()
    ):
        box.check()
    secretary.get_by_label("会议纪要").fill("议事会成员全部到会，同意提交住户表决")
    secretary.get_by_role("button", name="保存").click()
    flash(secretary, "出席情况和会议纪要已记录")
    expect(secretary.get_by_test_id("quorate")).to_have_text("达到法定人数")
    form = secretary.get_by_test_id("discuss-form")
    form.get_by_label("议题").select_option(label="楼下增设电动车充电桩")
    form.get_by_label("讨论情况").fill("各方同意，提交全楼住户表决")
    form.get_by_label("社区意见").fill("协调供电部门")
    form.get_by_label("物业公司意见").fill("负责日常管理")
    form.get_by_role("button", name="记录议题协商").click()
    flash(secretary, "议题讨论情况已记录")
    no_overflow(secretary)

    # a vote is opened, one vote per household
    secretary.goto(topic_url)
    expect(secretary.get_by_test_id("status")).to_have_text("已上会")
    poll = secretary.get_by_test_id("poll-form")
    now = datetime.now(SHANGHAI)
    poll.get_by_label("计票单位").select_option("household")
    poll.get_by_label("表决规则").select_option("simple")
    poll.get_by_label("开始时间").fill(local(now - timedelta(minutes=2)))
    poll.get_by_label("截止时间").fill(local(now + timedelta(days=3)))
    poll.get_by_role("button", name="发起表决").click()
    flash(secretary, "表决已发起")

    # the resident's household votes on the phone, once
    resident.goto(topic_url)
    resident.get_by_label("同意").check()
    resident.get_by_test_id("vote").click()
    flash(resident, "投票成功")
    expect(resident.get_by_test_id("poll")).to_contain_text("已投票")
    no_overflow(resident)

    # the clerk enters the votes the other households cast at the meeting
    secretary.goto(topic_url.rstrip("/") + "/clerk/")
    for choice in secretary.locator("select.vote-choice").all():
        choice.select_option("同意")
    secretary.get_by_test_id("clerk-submit").click()
    flash(secretary, "已登记")

    # the result is computed and published
    secretary.goto(topic_url)
    secretary.get_by_test_id("close-poll").click()
    flash(secretary, "结果已公布")
    expect(secretary.get_by_test_id("status")).to_have_text("公示中")
    public = browser.new_context(base_url=live_site, locale="zh-CN", **PHONE).new_page()
    public.goto("/deliberation/public/")
    public.get_by_role("link", name=re.compile("楼下增设电动车充电桩")).click()
    expect(public.get_by_test_id("public-result")).to_contain_text("表决通过")
    no_overflow(public)
    assert not resident.js_errors and not secretary.js_errors
