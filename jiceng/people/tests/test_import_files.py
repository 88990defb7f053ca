"""A community secretary imports the files her community really has: a GBK CSV that
Excel or WPS exported, workbooks with the table on a later sheet, merged and hidden
rows, and files that hold no table at all. Valid rows are never rejected; a file
that cannot be read gets one Chinese sentence on the upload page and the command
line alike."""

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook
from stdnum.cn import ric

from jiceng.core import tabular
from jiceng.people.models import Resident
from jiceng.places.models import Place, PlaceKind
from jiceng.transfer import services

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号", "手机号码", "住址编码", "户号"]
FILES = Path(tabular.__file__).parent / "tests" / "files"


def id_number(i):
    body = f"510502{date(1960, 1, 1) + timedelta(days=i):%Y%m%d}{i % 900 + 100:03d}"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def codes(people):
    community = Place.objects.get(assignments__user=people["shuji"])
    return list(
        Place.objects.filter(path__startswith=community.path, kind=PlaceKind.DWELLING)
        .order_by("code")
        .values_list("code", flat=True)[:5]
    )


def xlsx(*sheets, hidden=(), merged=()):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    for number in hidden:
        workbook.worksheets[0].row_dimensions[number].hidden = True
    for cells in merged:
        workbook.worksheets[0].merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def exported_csv(rows):
    """The 台账 as Excel's or WPS's "CSV" export writes it: GBK, CRLF."""
    lines = [",".join(HEADER), *(",".join(str(c) for c in row) for row in rows)]
    return "\r\n".join(lines).encode("gbk")


def ledger_rows(codes, count=40):
    return [
        [f"居民{i}", id_number(i), f"{13760004700 + i}.0", codes[i % 5], f"H-{i}"]
        for i in range(count)
    ]


def test_a_gbk_csv_with_float_phones_imports_every_valid_resident(
    people, codes, run_import
):
    # given the ledger as exported to GBK CSV: 40 residents whose phones read
    # 13760004799.0, a row repeated, one phone Excel showed as 1.376E+10, one
    # full-width phone, and an ID number the spreadsheet stored as a number
    rows = ledger_rows(codes)
    rows.append(rows[5])  # row 42: the same resident again
    rows.append(["科学计数", id_number(50), "1.376E+10", codes[0], ""])  # row 43
    rows.append(["全角", id_number(51), "１３７６０００４７５１", codes[0], ""])  # 44
    rows.append(["存成数字", "5.10502E+17", "", codes[0], ""])  # row 45
    # when the secretary imports it
    job = run_import(people["shuji"], "residents", exported_csv(rows), "台账.csv")
    # then every valid resident is created, and each rejected row keeps its
    # number and the reason that is really wrong with it
    assert job.summary() == {
        "total": 44,
        "created": 41,
        "updated": 0,
        "unchanged": 0,
        "rejected": 3,
    }
    assert set(job.errors) == {42, 43, 45}
    assert job.errors[42] == "身份证号与本文件第7行重复"
    assert "科学计数法" in job.errors[43] and "1.376E+10" in job.errors[43]
    assert "存成了数字" in job.errors[45]
    assert Resident.objects.get(name="居民39").phone == "13760004739"
    assert Resident.objects.get(name="全角").phone == "13760004751"


def test_the_same_ledger_as_xlsx_and_as_csv_gives_the_same_outcome(
    people, codes, run_import
):
    # given the ledger as xlsx (phones as number cells) and as exported CSV
    rows = ledger_rows(codes, count=10)
    as_numbers = [[*row[:2], float(row[2]), *row[3:]] for row in rows]
    # when each is checked in a dry run / then both accept every row
    from_xlsx = run_import(
        people["shuji"],
        "residents",
        xlsx(("台账", [HEADER, *as_numbers])),
        "台账.xlsx",
        dry_run=True,
    )
    from_csv = run_import(
        people["shuji"], "residents", exported_csv(rows), "台账.csv", dry_run=True
    )
    assert from_xlsx.summary() == from_csv.summary()
    assert from_csv.created == 10 and not from_csv.errors


def refusal(client_for, people, tmp_path, name, data):
    """What the upload page, the command line and the service say to a file."""
    page = client_for("shuji").post(
        "/transfer/import/residents/",
        {"file": SimpleUploadedFile(name, data), "dry_run": "on"},
    )
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError) as cli:
        call_command("import_data", str(path), kind="residents", user="shuji")
    with pytest.raises(ValidationError) as service:
        services.start_import(
            actor=people["shuji"],
            kind="residents",
            upload=SimpleUploadedFile(name, data),
        )
    return page, str(cli.value), service.value.messages


@pytest.mark.parametrize(
    ("name", "data", "sentence"),
    [
        ("台账.xlsx", b"", tabular.EMPTY),
        ("台账.csv", b"", tabular.EMPTY),
        ("台账.xlsx", xlsx(("Sheet1", [])), tabular.EMPTY),
        ("台账.csv", ",".join(HEADER).encode("gbk"), tabular.HEADER_ONLY),
        ("台账.xlsx", xlsx(("台账", [HEADER])), tabular.HEADER_ONLY),
        ("台账.xlsx", b"PK\x03\x04 cut short", tabular.BROKEN),
    ],
    ids=[
        "0-byte xlsx",
        "0-byte csv",
        "empty workbook",
        "csv header",
        "xlsx header",
        "broken",
    ],
)
def test_a_file_without_rows_gets_one_sentence_everywhere(
    client_for, people, tmp_path, name, data, sentence
):
    # given a file with no rows to import / when it is uploaded, run on the
    # command line and started by the service
    page, cli, service = refusal(client_for, people, tmp_path, name, data)
    # then all three say the same Chinese sentence, and nothing is imported
    assert page.status_code == 400
    assert sentence in page.content.decode()
    assert cli == sentence
    assert service == [sentence]


def test_a_word_document_and_a_locked_workbook_are_named_as_such(
    client_for, people, tmp_path
):
    # given a .docx renamed to .xlsx, and a password-protected xlsx
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    locked = (FILES / "password.xlsx").read_bytes()
    for data, sentence in ((docx.getvalue(), "Word"), (locked, "密码")):
        # when each is uploaded and run on the command line
        page, cli, service = refusal(client_for, people, tmp_path, "台账.xlsx", data)
        # then each is named for what it is, in Chinese only
        assert page.status_code == 400
        assert sentence in cli and sentence in service[0]
        assert "不是有效的Excel文件" in cli or "密码" in cli
        assert "Zip" not in page.content.decode()


def test_a_ledger_on_the_second_sheet_with_merged_and_hidden_rows_imports(
    people, codes, run_import, client_for, tmp_path
):
    # given a workbook whose first sheet is 填表说明 and whose second holds the
    # ledger: a household of three with its address code and 户号 merged down
    # their rows, and one resident in a hidden row
    rows = [
        HEADER,
        ["张大", id_number(60), "", codes[1], "H-60"],
        ["张二", id_number(61), "", None, None],
        ["张三", id_number(62), "", None, None],
        ["李四", id_number(63), "", codes[2], "H-63"],
    ]
    data = xlsx(
        ("居民", rows),
        hidden=[5],
        merged=["D2:D4", "E2:E4"],
    )
    workbook = xlsx(("填表说明", [["身份证号请设为文本格式"]]), ("居民", rows))
    # when the secretary uploads the two-sheet workbook on the page
    client = client_for("shuji")
    page = client.post(
        "/transfer/import/residents/",
        {"file": SimpleUploadedFile("台账.xlsx", workbook), "dry_run": "on"},
        follow=False,
    )
    # then she is offered both sheets, the ledger's already chosen
    assert page.status_code == 302 and page["Location"].endswith("/sheet/")
    choice = client.get(page["Location"]).content.decode()
    assert "第1个：填表说明" in choice and "第2个：居民" in choice
    assert 'id="id_sheet_1" checked' in choice
    # and once she confirms it, the import starts from the second sheet, saying so
    page = client.post(page["Location"], {"sheet": "1"})
    assert page.status_code == 302
    shown = [str(m) for m in get_messages(page.wsgi_request)]
    assert shown == ["读取的是第2个工作表“居民”"]
    # and when the merged, hidden ledger is imported, every member is created
    # at the merged address, in the merged household
    job = run_import(people["shuji"], "residents", data, "台账.xlsx")
    assert job.summary()["created"] == 4 and not job.errors
    family = Resident.objects.filter(name__in=["张大", "张二", "张三"])
    assert {r.household.number for r in family} == {"H-60"}
    assert Resident.objects.get(name="张三").place.code == codes[1]
    # and the command line tells about the hidden row
    path = tmp_path / "台账.xlsx"
    path.write_bytes(data)
    err = io.StringIO()
    call_command(
        "import_data",
        str(path),
        kind="residents",
        user="shuji",
        dry_run=True,
        stdout=io.StringIO(),
        stderr=err,
    )
    assert "第5行在表格中是隐藏的" in err.getvalue()
