"""On a phone (375 px): a community books a unit's meeting room, the unit approves
the request, and the booker checks in at the room through the booking's QR link."""

import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from jiceng.conftest import PHONE, ROOT, login

pytestmark = [pytest.mark.browser]

ROOM = "全天共享会议室"
CREATE_ROOM = f"""
from datetime import time
from jiceng.alliances.models import Venue
from jiceng.core.models import Assignment
unit = Assignment.objects.get(user__username="danwei").unit
shuji = Assignment.objects.get(user__username="shuji").place
Venue.objects.get_or_create(
    name="{ROOM}", defaults=dict(kind="unit_room", place=shuji, owner_unit=unit,
    capacity=20, opens_at=time(0, 0), closes_at=time(23, 59), max_hours=2))
"""


@pytest.fixture(scope="module")
def round_the_clock_room(demo_site_env, live_site):
    """A room of danwei's unit open all day, so the flow can check in right now."""
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", CREATE_ROOM],
        env=demo_site_env,
        check=True,
        cwd=ROOT,
    )
    return ROOM


def phone(browser, live_site, username):
    context = browser.new_context(base_url=live_site, locale="zh-CN", **PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    login(page, username)
    return page


def flash(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def no_overflow(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide"


def test_a_community_books_the_unit_approves_the_booker_checks_in(
    browser, live_site, round_the_clock_room
):
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    if now.hour >= 23:
        pytest.skip("the slot would run past midnight")
    start = (now + timedelta(minutes=2)).replace(second=0, microsecond=0)
    end = min(start + timedelta(hours=1), start.replace(hour=23, minute=59))
    community = phone(browser, live_site, "shuji")
    owner = phone(browser, live_site, "danwei")

    # the community finds the room in the catalogue and books it
    community.goto("/alliances/venues/")
    no_overflow(community)
    community.get_by_test_id("venue-list").get_by_role(
        "link", name=round_the_clock_room
    ).click()
    expect(community.get_by_test_id("week-calendar")).to_be_visible()
    no_overflow(community)
    community.get_by_label("开始时间").fill(start.strftime("%Y-%m-%dT%H:%M"))
    community.get_by_label("结束时间").fill(end.strftime("%Y-%m-%dT%H:%M"))
    community.get_by_label("用途").fill("居民议事会")
    community.get_by_label("参加人数").fill("12")
    community.get_by_test_id("book").click()
    flash(community, "等待场地方审批")
    expect(community.get_by_test_id("booking-status")).to_have_text("待审批")
    booking_url = community.url

    # the owner unit approves it
    owner.goto(booking_url.replace(live_site, ""))
    owner.get_by_test_id("approve").click()
    flash(owner, "预约已批准")

    # at the room, the booker opens the QR link and checks in
    community.reload()
    expect(community.get_by_test_id("booking-status")).to_have_text("已批准")
    link = community.get_by_test_id("checkin-link").get_attribute("href")
    community.goto(link)
    community.get_by_test_id("checkin").click()
    flash(community, "签到成功")
    expect(community.get_by_test_id("checkin-state")).to_contain_text("已签到")
    no_overflow(community)
    assert not community.js_errors and not owner.js_errors
