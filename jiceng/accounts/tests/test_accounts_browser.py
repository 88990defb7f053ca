"""On a phone: a party member scans the community's printed invitation, registers,
the community approves, and the new member signs up for the activity under way and
checks in there — their first check-in."""

import re

import pytest
from playwright.sync_api import expect

from jiceng.accounts.models import Registration
from jiceng.accounts.views.staff import qr_svg
from jiceng.conftest import DESKTOP, PHONE, login
from jiceng.core.scope import path_prefix
from jiceng.party.models import PartyMember

pytestmark = [pytest.mark.browser]


def open_page(browser, live_site, options, username=None):
    context = browser.new_context(base_url=live_site, locale="zh-CN", **options)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    if username:
        login(page, username)
    return page


def modules(svg):
    """The QR code's dark modules: the path the SVG draws."""
    return re.search(r' d="([^"]+)"', svg).group(1)


def flash(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def a_member_without_account(people):
    """A party member of 社工's community (the same seed as the site's)."""
    community = people["shegong"].assignments.get(active=True).place
    return (
        PartyMember.objects.filter(
            path_prefix(community.path, "resident__place__path"),
            resident__user__isnull=True,
        )
        .exclude(resident__in=Registration.objects.values("resident_id"))
        .select_related("resident")
        .order_by("resident__place__path", "pk")
        .first()
        .resident
    )


def test_self_registration_by_qr_approval_and_first_check_in(
    browser, live_site, people
):
    resident = a_member_without_account(people)
    staff = open_page(browser, live_site, DESKTOP, "shegong")

    # the community's printable invitation: its QR code encodes the register page
    staff.goto("/accounts/invitations/")
    staff.get_by_test_id("invitation-table").get_by_role("link").first.click()
    qr = staff.get_by_test_id("invitation-qr")
    url = qr.get_attribute("data-url")
    assert re.search(r"/accounts/register/\w+/$", url)
    assert modules(qr.inner_html()) == modules(qr_svg(url))

    # the person opens the URL the QR encodes on their phone and registers
    phone = open_page(browser, live_site, PHONE)
    phone.goto(url)
    phone.get_by_label("姓名").fill(resident.name)
    phone.get_by_label("身份证号").fill(resident.id_number)
    phone.get_by_label("手机号码").fill("13955556666")
    phone.get_by_label("登录账号").fill("saoma_dangyuan")
    phone.locator("#id_password").fill("Saoma2026dang")
    phone.locator("#id_password2").fill("Saoma2026dang")
    phone.get_by_role("button", name="提交注册").click()
    expect(phone.get_by_test_id("registered")).to_have_text("注册已提交，待社区审核")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 380

    # the community approves the match
    staff.goto("/accounts/registrations/")
    staff.get_by_test_id("registration-table").get_by_role(
        "link", name=resident.name
    ).click()
    expect(staff.get_by_test_id("registration-match")).to_contain_text(resident.name)
    staff.get_by_test_id("approve").click()
    flash(staff, "账号已开通")

    # the new member logs in, signs up for the activity under way, checks in
    login(phone, "saoma_dangyuan", "Saoma2026dang")
    phone.goto("/volunteer/activities/")
    phone.get_by_role("link", name=re.compile("社区环境清洁日")).first.click()
    phone.get_by_role("button", name="我要报名").click()
    flash(phone, "报名成功")
    staff.goto("/volunteer/activities/")
    staff.get_by_role("link", name=re.compile("社区环境清洁日")).first.click()
    link = staff.get_by_test_id("checkin-link").get_attribute("href")
    phone.goto(link)
    expect(phone.get_by_test_id("checkin-state")).to_have_text("未签到")
    phone.get_by_role("button", name="签到").click()
    flash(phone, "签到成功")
    expect(phone.get_by_test_id("checkin-state")).to_contain_text("已于")
    assert phone.js_errors == [] and staff.js_errors == []
