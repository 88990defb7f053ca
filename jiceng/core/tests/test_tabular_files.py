"""The files a community actually sends: each is read, or refused with one sentence.

files/wps.xls is an old-format (BIFF8) workbook as WPS and Excel 2003 save it, and
files/password.xlsx an xlsx saved with an opening password ("jiceng"); both were
made once with xlwt and msoffcrypto-tool, which the project does not otherwise need.
"""

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from jiceng.core import tabular
from jiceng.core.tabular import TabularError, cell_text, find_table, read_rows

FILES = Path(__file__).parent / "files"
REQUIRED = {"姓名", "身份证号"}
ENGLISH = ("Zip", "EOCD", "File not found", "Error", "invalid", "Cfb")


def xlsx_bytes(*sheets, hidden=(), merged=()):
    """A workbook of (title, rows) sheets; hidden rows and merged ranges on the first."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    first = workbook.worksheets[0]
    for number in hidden:
        first.row_dimensions[number].hidden = True
    for cells in merged:
        first.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/_rels/document.xml.rels", "<Relationships/>")
    return buffer.getvalue()


HEADER = ["姓名", "身份证号", "手机号码", "户号"]
ROW = ["张三", "11010519491231002X", "13760004799", "H-1"]


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "sentence"),
    [
        ("台账.xlsx", b"", tabular.EMPTY),
        ("台账.csv", b"", tabular.EMPTY),
        ("台账.csv", b"\r\n\r\n", tabular.EMPTY),
        ("台账.xlsx", xlsx_bytes(("Sheet1", [])), tabular.EMPTY),
        ("台账.csv", "姓名,身份证号\n".encode("gbk"), tabular.HEADER_ONLY),
        ("台账.xlsx", xlsx_bytes(("台账", [["标题"], HEADER, [], []])), "只有表头"),
        ("台账.xlsx", docx_bytes(), tabular.WORD_FILE),
        ("台账.xlsx", b"PK\x03\x04 cut short", tabular.BROKEN),
        ("台账.xls", b"<html><table><tr><td>x</td></tr></table></html>", "网页"),
        ("台账.xlsx", "姓名,身份证号\n张三,1\n".encode(), tabular.PLAIN_TEXT),
        ("台账.xlsx", (FILES / "password.xlsx").read_bytes(), tabular.PROTECTED),
        ("台账.pdf", b"%PDF-1.4", tabular.UNSUPPORTED),
    ],
    ids=[
        "0-byte xlsx",
        "0-byte csv",
        "blank-lines csv",
        "empty workbook",
        "header-only csv",
        "header-only xlsx",
        "docx renamed xlsx",
        "truncated zip",
        "html saved as xls",
        "text renamed xlsx",
        "password xlsx",
        "pdf",
    ],
)
def test_a_file_without_a_table_is_refused_with_one_chinese_sentence(
    tmp_path, name, data, sentence
):
    # given a file a community might send / when the import looks for its table
    path = write(tmp_path, name, data)
    with pytest.raises(TabularError) as refused:
        find_table(path, name, required=REQUIRED)
    # then it is refused with the sentence that says why, and nothing in English
    message = str(refused.value)
    assert sentence in message
    assert not any(word in message for word in ENGLISH)


def test_an_old_format_xls_from_wps_is_read_with_its_row_numbers(tmp_path):
    # given an .xls (BIFF8) with a merged title row above the header
    path = shutil.copy(FILES / "wps.xls", tmp_path / "台账.xls")
    # when it is read
    rows = list(read_rows(path, "台账.xls", required={"姓名"}))
    # then both data rows come back under their spreadsheet row numbers, the phone
    # stored as a number reading as its digits
    assert [r.number for r in rows] == [3, 4]
    assert rows[0].values["姓名"] == "张三"
    assert cell_text(rows[0].values["手机号码"]) == "13760004799"


def test_a_workbook_saved_under_the_other_suffix_is_read_by_its_content(tmp_path):
    # given an .xls saved as .xlsx, and an .xlsx saved as .xls
    xls = shutil.copy(FILES / "wps.xls", tmp_path / "台账.xlsx")
    xlsx = write(tmp_path, "台账2.xls", xlsx_bytes(("台账", [HEADER, ROW])))
    # when each is read / then each gives its rows
    assert [r.number for r in read_rows(xls, "台账.xlsx", required={"姓名"})] == [3, 4]
    assert [
        r.values["户号"] for r in read_rows(xlsx, "台账2.xls", required=REQUIRED)
    ] == ["H-1"]


@pytest.mark.parametrize(
    "first_sheet",
    [[], [["填表说明：身份证号请设为文本格式"], ["户号请与户籍一致"]]],
    ids=["empty first sheet", "instructions first"],
)
def test_the_table_on_a_later_sheet_is_found_and_named(tmp_path, first_sheet):
    # given a workbook whose first sheet is empty or holds instructions
    data = xlsx_bytes(("说明", first_sheet), ("居民", [HEADER, ROW]))
    path = write(tmp_path, "台账.xlsx", data)
    # when the import looks for the table
    table = find_table(path, "台账.xlsx", required=REQUIRED)
    # then it is the second sheet, and the uploader is told so
    assert (table.sheet, table.sheet_name, table.header) == (1, "居民", HEADER)
    assert table.notices == ["读取的是第2个工作表“居民”"]
    rows = list(read_rows(path, "台账.xlsx", required=REQUIRED))
    assert [(r.number, r.values["姓名"]) for r in rows] == [(2, "张三")]
    assert tabular.sheets_with_data(path, "台账.xlsx") == (
        ["说明", "居民"] if first_sheet else ["居民"]
    )


def test_a_chosen_sheet_is_read_even_when_another_matches(tmp_path):
    # given two sheets that both hold a table
    other = ["李四", "510502196001010014", "", "H-2"]
    data = xlsx_bytes(("一月", [HEADER, ROW]), ("二月", [HEADER, other]))
    path = write(tmp_path, "台账.xlsx", data)
    # when the user names the second / then that one is read
    rows = read_rows(path, "台账.xlsx", required=REQUIRED, sheet=1)
    assert [r.values["姓名"] for r in rows] == ["李四"]
    assert (
        find_table(path, "台账.xlsx", required=REQUIRED, sheet=1).sheet_name == "二月"
    )


@pytest.mark.parametrize("streamed", [False, True], ids=["calamine", "streamed"])
def test_cells_merged_down_a_household_give_every_row_their_value(
    tmp_path, monkeypatch, streamed
):
    if streamed:
        monkeypatch.setattr(tabular, "STREAM_XLSX_BYTES", 0)
    # given a 台账 whose 户号 is merged over a household's three rows, with a
    # merged title above the header and a hidden row among the data
    rows = [
        ["幸福社区居民台账"],
        HEADER,
        ["张三", "11010519491231002X", "", "H-1"],
        ["张四", "110105194912310029", "", None],
        ["张五", "110105194912310037", "", None],
        ["李六", "510502196001010014", "", "H-2"],
    ]
    data = xlsx_bytes(("台账", rows), hidden=[4], merged=["A1:D1", "D3:D5"])
    path = write(tmp_path, "台账.xlsx", data)
    # when the table is found and read
    table = find_table(path, "台账.xlsx", required=REQUIRED)
    read = list(read_rows(path, "台账.xlsx", required=REQUIRED))
    # then every member carries the household number, each row keeps its number,
    # the hidden row is read like the others, and the uploader is told about it
    assert [(r.number, r.values["户号"]) for r in read] == [
        (3, "H-1"),
        (4, "H-1"),
        (5, "H-1"),
        (6, "H-2"),
    ]
    assert table.notices == ["第4行在表格中是隐藏的，已和其他行一样导入"]


def test_a_merged_range_starting_in_a_later_column_is_filled_in_place(tmp_path):
    # given data that begins in column B (calamine then starts its rows there)
    rows = [[None, *HEADER], [None, *ROW], [None, "张四", "110105194912310029"]]
    data = xlsx_bytes(("台账", rows), merged=["E2:E3"])
    path = write(tmp_path, "台账.xlsx", data)
    # when it is read / then the merged 户号 lands in the 户号 column of both rows
    read = read_rows(path, "台账.xlsx", required=REQUIRED)
    assert [r.values["户号"] for r in read] == ["H-1", "H-1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13760004799.0", "13760004799"),
        ("510502001001.00", "510502001001"),
        (" 12.0 ", "12"),
        ("1.5", "1.5"),
        ("2023.5.10", "2023.5.10"),
        ("幸福小区 3.0期", "幸福小区 3.0期"),
        (13760004799.0, "13760004799"),
    ],
)
def test_a_whole_number_reads_the_same_from_a_csv_as_from_an_xlsx(text, expected):
    # a CSV that a program wrote from float cells spells 13760004799.0; an xlsx
    # keeps the number: both read as the digits
    assert cell_text(text) == expected


def test_a_gbk_csv_with_float_looking_numbers_reads_like_the_xlsx(tmp_path):
    # given the same rows as a GBK CSV written from floats and as an xlsx
    csv_text = (
        "姓名,身份证号,手机号码,户号\n张三,11010519491231002X,13760004799.0,12.0\n"
    )
    csv_path = write(tmp_path, "台账.csv", csv_text.encode("gbk"))
    xlsx_path = write(
        tmp_path,
        "台账.xlsx",
        xlsx_bytes(("台账", [HEADER, ["张三", "11010519491231002X", 13760004799, 12]])),
    )
    # when both are read / then their cells read the same
    from_csv = next(read_rows(csv_path, "台账.csv", required=REQUIRED)).values
    from_xlsx = next(read_rows(xlsx_path, "台账.xlsx", required=REQUIRED)).values
    assert {k: cell_text(v) for k, v in from_csv.items()} == {
        k: cell_text(v) for k, v in from_xlsx.items()
    }
