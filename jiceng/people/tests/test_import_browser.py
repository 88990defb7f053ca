"""In a browser: upload a ledger, read the dry run, commit, fetch the rejected rows."""

import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from jiceng.conftest import login
from jiceng.core.validators import compose_id_number as make_id
from jiceng.people.tests.test_import import wrong_check

pytestmark = [pytest.mark.browser]


def ledger(dwelling_code, seq):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["幸福社区居民台账"])
    sheet.append(["姓名", "身份证号码", "联系电话", "住址编码"])
    sheet.append(["浏览器甲", make_id("19700303", seq), "13800138301", dwelling_code])
    sheet.append(
        ["浏览器乙", wrong_check(make_id("19700303", seq + 2)), "", dwelling_code]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_upload_check_commit_and_download_rejected_rows(page, tmp_path):
    login(page, "shuji")
    # a dwelling code from the secretary's own community, read off the place pages
    page.goto("/places/")
    for _level in range(5):
        page.get_by_test_id("children").get_by_role("link").first.click()
    code = page.get_by_test_id("place-code").inner_text()

    page.goto("/transfer/import/residents/")
    path = tmp_path / "台账.xlsx"
    # the server is shared by the phone and desktop runs: each imports its own person
    path.write_bytes(ledger(code, 301 if page.viewport_kind == "phone" else 311))
    page.get_by_label("台账文件").set_input_files(str(path))
    page.get_by_role("button", name="上传").click()

    counts = page.get_by_test_id("job-counts")
    # the page's title; the result's own heading appears once the check is done
    expect(
        page.get_by_role("heading", level=1, name=re.compile("^预检"))
    ).to_be_visible()
    expect(counts).to_contain_text("新增 1", timeout=20000)
    expect(counts).to_contain_text("拒绝 1")
    expect(page.get_by_test_id("rejections")).to_contain_text("校验位")

    page.get_by_role("button", name=re.compile("确认导入")).click()
    expect(
        page.get_by_role("heading", level=1, name=re.compile("^导入"))
    ).to_be_visible()
    expect(page.get_by_test_id("job-counts")).to_contain_text("新增 1", timeout=20000)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("下载被拒绝的行")).click()
    assert download.value.suggested_filename.endswith("被拒绝的行.xlsx")
    saved = tmp_path / "rejected.xlsx"
    download.value.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[1][0] == "浏览器乙" and "校验位" in rows[1][-1]
    assert page.js_errors == []
