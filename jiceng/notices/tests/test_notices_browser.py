"""On a phone: a unit claims a resident's wish on the wall, and the resident sees the
unread badge on the bell, the notification in her list, and opens her wish."""

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from jiceng.conftest import PHONE, ROOT, login

pytestmark = [pytest.mark.browser]

TITLE = "想请人修一下阳台的晾衣架"
PUBLISH_WISH = f"""
from django.utils import timezone
from jiceng.core.models import Assignment, User
from jiceng.notices.models import Notification
from jiceng.volunteer import services
u = {{x.username: x for x in User.objects.filter(
    username__in=["wangge", "shuji", "dangyuan"])}}
grid = Assignment.objects.filter(user=u["wangge"]).order_by("place__code")[0].place
wish = services.collect_wish(actor=u["wangge"], place=grid, title="{TITLE}",
    category="repair", alias="王阿姨", consent=True,
    beneficiary=u["dangyuan"].resident)
wish = services.review_wish(actor=u["shuji"], wish=wish, publish=True, version=0)
Notification.objects.filter(user=u["dangyuan"], read_at=None).update(
    read_at=timezone.now())
print(wish.pk)
"""


@pytest.fixture(scope="module")
def dangyuans_wish(demo_site_env, live_site):
    """A published wish of dangyuan's, and none of her notifications unread."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", PUBLISH_WISH],
        env=demo_site_env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return int(done.stdout.strip().splitlines()[-1])


def phone(browser, live_site, username):
    context = browser.new_context(base_url=live_site, locale="zh-CN", **PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    login(page, username)
    return page


def test_a_resident_hears_her_wish_was_claimed(browser, live_site, dangyuans_wish):
    resident = phone(browser, live_site, "dangyuan")
    expect(resident.get_by_test_id("unread-badge")).to_have_count(0)

    # a unit's party organisation claims the wish on the wall
    unit = phone(browser, live_site, "danwei")
    unit.goto(f"/volunteer/wall/{dangyuans_wish}/")
    unit.get_by_test_id("claim-box").get_by_role("button", name="名义认领").click()
    expect(unit.get_by_role("alert").filter(has_text="认领成功")).to_be_visible()

    # the resident sees the badge, the notification, and opens her wish
    resident.reload()
    expect(resident.get_by_test_id("unread-badge")).to_have_text("1")
    resident.get_by_test_id("notification-bell").click()
    note = resident.get_by_test_id("notification-list").get_by_role(
        "link", name="已被认领"
    )
    expect(note).to_contain_text(TITLE[:20])
    expect(note).to_contain_text("未读")
    width = resident.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    note.click()
    resident.wait_for_url(f"**/volunteer/wall/{dangyuans_wish}/")
    expect(resident.get_by_text(TITLE).first).to_be_visible()
    expect(resident.get_by_test_id("unread-badge")).to_have_count(0)
    assert resident.js_errors == [] and unit.js_errors == []
