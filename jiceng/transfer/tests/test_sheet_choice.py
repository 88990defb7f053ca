"""A workbook with several sheets holding data: the uploader chooses the sheet to
import, on the upload page and on the command line; the job reads that sheet."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from jiceng.people.models import Unit
from jiceng.places.models import Place, PlaceKind
from jiceng.transfer.models import ImportJob, JobStatus

pytestmark = pytest.mark.django_db

HEADER = ["单位名称", "所在地编码", "单位类型"]


def workbook(*sheets):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def two_years():
    """Last year's and this year's lists of units, one sheet each."""
    code = Place.objects.filter(kind=PlaceKind.STREET).order_by("code")[0].code
    return workbook(
        ("2025年", [HEADER, ["旧年单位甲", code, "其他"]]),
        (
            "2026年",
            [HEADER, ["新年单位乙", code, "其他"], ["新年单位丙", code, "其他"]],
        ),
    )


def test_the_uploader_chooses_the_sheet_and_the_import_reads_it(
    client_for, people, django_capture_on_commit_callbacks
):
    # given a workbook whose two sheets both hold a list of units
    client = client_for("quadmin")

    # when the administrator uploads it
    page = client.post(
        "/transfer/import/units/",
        {"file": SimpleUploadedFile("单位.xlsx", two_years()), "dry_run": "on"},
    )

    # then she is asked which sheet, before anything is read
    job = ImportJob.objects.get(created_by=people["quadmin"])
    assert job.status == JobStatus.NEEDS_SHEET
    assert page["Location"] == f"/transfer/jobs/{job.pk}/sheet/"
    choice = client.get(page["Location"]).content.decode()
    assert "第1个：2025年" in choice and "第2个：2026年" in choice

    # and when she picks this year's sheet, the job reads that sheet only
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(page["Location"], {"sheet": "1"})
    job.refresh_from_db()
    assert page["Location"] == job.get_absolute_url()
    assert job.sheet == 1 and job.status == JobStatus.DONE
    assert (job.total, job.rejected) == (2, 0)


def test_a_sheet_that_is_not_offered_is_refused(client_for, people):
    client = client_for("quadmin")
    page = client.post(
        "/transfer/import/units/",
        {"file": SimpleUploadedFile("单位.xlsx", two_years()), "dry_run": "on"},
    )
    refused = client.post(page["Location"], {"sheet": "7"})
    assert refused.status_code == 400
    assert ImportJob.objects.get().status == JobStatus.NEEDS_SHEET


def test_a_single_sheet_needs_no_choice(client_for):
    page = client_for("quadmin").post(
        "/transfer/import/units/",
        {
            "file": SimpleUploadedFile("单位.xlsx", workbook(("单位", [HEADER]))),
            "dry_run": "on",
        },
    )
    # a header with no rows is refused outright, not offered as a choice
    assert page.status_code == 400
    assert "文件只有表头，没有数据行" in page.content.decode()


def test_the_command_line_imports_the_sheet_named_or_numbered(tmp_path):
    # given the two-year workbook on disk
    path = tmp_path / "单位.xlsx"
    path.write_bytes(two_years())

    # when it is imported naming the second sheet, then numbering the first
    out = io.StringIO()
    call_command("import_data", str(path), kind="units", sheet="2026年", stdout=out)
    call_command("import_data", str(path), kind="units", sheet="1", stdout=out)

    # then each run read only its sheet
    assert set(
        Unit.objects.filter(name__contains="年单位").values_list("name", flat=True)
    ) == {
        "旧年单位甲",
        "新年单位乙",
        "新年单位丙",
    }
    assert "共2行：新增2" in out.getvalue() and "共1行：新增1" in out.getvalue()


def test_the_command_line_names_the_sheets_when_one_is_missing(tmp_path):
    path = tmp_path / "单位.xlsx"
    path.write_bytes(two_years())
    with pytest.raises(CommandError) as refused:
        call_command("import_data", str(path), kind="units", sheet="2024年")
    assert (
        str(refused.value)
        == "找不到工作表：2024年（文件中的工作表：1. 2025年、2. 2026年）"
    )


def test_without_a_choice_the_command_line_finds_the_table_as_before(tmp_path):
    path = tmp_path / "单位.xlsx"
    path.write_bytes(two_years())
    out = io.StringIO()
    call_command("import_data", str(path), kind="units", dry_run=True, stdout=out)
    assert "共1行" in out.getvalue()  # the first sheet holding the template's columns
