"""On a phone: a grid worker reports a broken streetlight with a photo; the street
dispatches it to the grid, the worker handles and verifies it, the street closes
it, and the reporter rates it on the public status page."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from jiceng.conftest import login

pytestmark = [pytest.mark.browser]


def take_step(page, label, note=None, select=None):
    page.get_by_test_id("case-steps").locator("summary", has_text=label).click()
    form = page.get_by_test_id("case-steps").locator("details[open] form")
    if select:
        form.get_by_label(select[0]).select_option(label=select[1])
    if note:
        form.get_by_label("说明").fill(note)
    form.get_by_role("button", name=f"确认{label}").click()
    expect(page.get_by_role("alert").filter(has_text=f"已{label}")).to_be_visible()


def test_report_to_rating_on_a_phone(phone_page, browser, live_site, tmp_path):
    page = phone_page
    picture = tmp_path / "路灯.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(buffer, "JPEG")
    picture.write_bytes(buffer.getvalue())

    login(page, "wangge")
    page.goto("/cases/new/")
    # a category with no routing rule, so it waits for the street to dispatch
    page.get_by_label("问题类别").select_option(label="上水井盖")
    page.get_by_label("问题描述").fill("3栋门口井盖破损")
    page.get_by_label("现场照片").set_input_files(str(picture))
    grid_name = page.get_by_label("所在网格").locator("option").nth(1).inner_text()
    page.get_by_label("所在网格").select_option(label=grid_name)
    page.get_by_role("button", name="上报").click()
    expect(page.get_by_test_id("case-status")).to_have_text("待受理")
    case_url = page.url
    public_url = page.get_by_role("link", name="公开进度页").get_attribute("href")

    street = browser.new_page(
        base_url=live_site, viewport={"width": 375, "height": 740}
    )
    login(street, "jiedao")
    street.goto(case_url)
    take_step(street, "受理立案")
    take_step(street, "派遣", select=("承办网格", grid_name))
    expect(street.get_by_test_id("case-status")).to_have_text("处置中")

    page.goto(case_url)
    take_step(page, "处置反馈", note="已更换井盖")
    # 核查 is by someone other than the handler: the street checks it
    street.goto(case_url)
    take_step(street, "核查通过", note="复查已修好")
    take_step(street, "结案")
    expect(street.get_by_test_id("timeline")).to_contain_text("结案")
    street.close()

    resident = browser.new_page(
        base_url=live_site, viewport={"width": 375, "height": 740}
    )
    resident.goto(public_url)
    expect(resident.get_by_test_id("public-status")).to_contain_text("已结案")
    resident.get_by_label("满意", exact=True).check()
    resident.get_by_role("button", name="提交").click()
    expect(resident.get_by_text(re.compile("您的评价：4星"))).to_be_visible()
    resident.close()
    assert page.js_errors == []


def test_the_street_reads_its_kpi_dashboard_and_notifications(desktop_page):
    page = desktop_page
    login(page, "jiedao")
    page.get_by_test_id("notification-bell").click()
    expect(page.get_by_test_id("notification-list")).to_be_visible()
    page.goto("/cases/kpi/?period=year")
    expect(page.get_by_test_id("kpi-cards")).to_contain_text("按期办结率")
    expect(page.locator("#kpi-trend canvas")).to_have_count(1)
    expect(page.get_by_test_id("kpi-ranking-table")).to_contain_text("社区")
    page.goto("/cases/map/?status=closed")
    expect(page.locator("#case-map")).to_have_attribute(
        "data-loaded", re.compile(r"\d+")
    )
    assert page.js_errors == []
