"""A large 台账 saved by Excel or WPS is read row by row with the same values
openpyxl would give, and a broken or hostile file is refused with a clear reason."""

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from jiceng.core import tabular, xlsx_stream


def workbook_bytes():
    workbook = Workbook()  # normal mode: strings go to the shared-string table
    sheet = workbook.active
    sheet.append(["幸福社区居民台账 <2026年> & 说明"])
    sheet.append(["姓名", "身份证号", "手机号码", "登记日期", "在册", "面积", "公式"])
    sheet.append(
        [
            "王秀英 ",
            "11010519491231002X",
            13800138000,
            date(2023, 5, 1),
            True,
            1.5,
            "=1+1",
        ]
    )
    sheet["A5"] = "隔一行 'q' \"dq\""  # row 4 left out of the XML
    sheet["C5"] = 1.3800138e10
    sheet["G5"] = datetime(2024, 1, 2, 3, 4, 5)
    sheet["B6"] = CellRichText([TextBlock(InlineFont(b=True), "粗"), "体"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def trimmed(row):
    row = list(row)
    while row and row[-1] is None:
        row.pop()
    return row


def test_rows_match_openpyxl_including_gaps_dates_and_rich_text(tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(workbook_bytes())
    streamed = list(xlsx_stream.iter_rows(path))
    expected = [
        list(r)
        for r in load_workbook(path, read_only=True, data_only=True).active.iter_rows(
            values_only=True
        )
    ]
    assert [trimmed(r) for r in streamed] == [trimmed(r) for r in expected]
    assert streamed[2][:6] == [
        "王秀英 ",
        "11010519491231002X",
        13800138000,
        datetime(2023, 5, 1),
        True,
        1.5,
    ]
    assert streamed[3] == []  # the left-out row keeps the numbering
    assert trimmed(streamed[5]) == [None, "粗体"]


def test_shared_strings_are_packed_not_listed():
    strings = xlsx_stream.SharedStrings()
    for text in ["", "王秀英", "11010519491231002X", "幸福"]:
        strings.append(text)
    assert len(strings) == 4
    assert [strings[i] for i in range(4)] == [
        "",
        "王秀英",
        "11010519491231002X",
        "幸福",
    ]


def test_a_broken_or_hostile_workbook_is_refused_clearly(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "STREAM_XLSX_BYTES", 0)  # take the streamed path
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 and then not a zip at all")
    with pytest.raises(tabular.TabularError, match="无法读取表格文件"):
        list(tabular.raw_rows(broken, "坏.xlsx"))

    # a workbook part that declares entities (the "billion laughs" shape)
    hostile = tmp_path / "实体.xlsx"
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    with zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                data = (
                    b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                    + data
                )
            target.writestr(item, data)
    with pytest.raises(tabular.TabularError, match="无法读取表格文件"):
        list(tabular.raw_rows(hostile, "实体.xlsx"))


def sheet_workbook(path, sheet_xml, shared=()):
    """A minimal xlsx around a worksheet written by hand (as other tools write them)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    items = "".join(f"<si><t>{text}</t></si>" for text in shared)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{relations}"><sheets>'
            '<sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Target="sharedStrings.xml"/></Relationships>',
        )
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}">{items}</sst>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)


def test_other_writers_shapes_are_read_the_same(tmp_path, monkeypatch):
    # Prefixed elements, attributes in another order or quoted with ', extra
    # attributes, self-closing rows and cells, spaces kept, entities; and blocks
    # so small that every row is split across reads.
    monkeypatch.setattr(xlsx_stream, "BLOCK_BYTES", 7)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (
        f'<x:worksheet xmlns:x="{main}"><x:cols><x:col min="1" max="3"/></x:cols>'
        "<x:sheetData>"
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c>'
        "<x:c t='s' r='B1'><x:v>1</x:v></x:c></x:row>"
        '<x:row r="2" spans="1:3"><x:c r="A2" t="inlineStr">'
        '<x:is><x:t xml:space="preserve"> 王秀英 </x:t></x:is></x:c>'
        '<x:c r="C2" s="0" t="n" cm="1"><x:v>1.3800138E10</x:v></x:c></x:row>'
        '<x:row r="3"/>'
        '<x:row r="4"><x:c r="B4" t="inlineStr"><x:is><x:t>A&amp;B</x:t></x:is></x:c>'
        '<x:c r="C4"/><x:c r="D4" t="b"><x:v>1</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    path = tmp_path / "其他软件.xlsx"
    sheet_workbook(path, sheet, shared=["姓名", "身份证号"])
    assert list(xlsx_stream.iter_rows(path)) == [
        ["姓名", "身份证号"],
        [" 王秀英 ", None, 13800138000.0],
        [],
        [None, "A&B", None, True],
    ]
