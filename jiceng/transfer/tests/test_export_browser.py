"""In a browser: a community's large resident export is written by the task worker;
the secretary watches it finish and downloads it, on a desk and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from jiceng.conftest import LIVE_EXPORT_INLINE_ROWS, login
from jiceng.transfer.workbooks import read_workbook

pytestmark = [pytest.mark.browser]


def test_a_large_export_is_queued_watched_and_downloaded(page, tmp_path):
    login(page, "shuji")
    # One surname of the community: other browser tests import thousands of residents
    # into it, and the export need only be past the served demo's inline limit.
    if page.viewport_kind == "desktop":
        # the list's button, with the list's search (desk only: phones have none)
        page.goto("/people/residents/?q=王")
        page.get_by_role("link", name="导出Excel").click()
    else:
        page.goto("/transfer/export/residents.xlsx?q=王")
    # The community has more residents than a request writes: the job's page opens
    expect(page).to_have_url(re.compile(r"/transfer/exports/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", name="导出居民")).to_be_visible()
    link = page.get_by_test_id("export-download")
    # the page polls until the worker is done
    expect(link).to_be_visible(timeout=60_000)
    status = page.get_by_test_id("export-status").inner_text()
    written = int(re.search(r"已生成 (\d+) 行", status).group(1))
    assert written > LIVE_EXPORT_INLINE_ROWS
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("居民_")
    saved = tmp_path / "export.xlsx"
    download.value.save_as(saved)
    note, header, rows = read_workbook(saved.read_bytes())
    assert "不得外传" in note and header[0] == "姓名" and len(rows) == written
    assert all("王" in row[0] for row in rows)
    # And the secretary finds it again among their exports
    page.goto("/transfer/exports/")
    expect(page.get_by_test_id("exports")).to_contain_text(
        download.value.suggested_filename
    )
    assert page.js_errors == []
