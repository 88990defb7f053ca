"""Read spreadsheet rows (xlsx, xls, ods via python-calamine; csv in UTF-8 or GBK).

Communities' 台账 often have a merged title row or two above the header, and
trailing empty rows; the reader finds the header by the columns it expects and
reports every data row with its 1-based spreadsheet row number. CSV files are
streamed line by line; spreadsheets are read by calamine, which holds one sheet
in memory — fast, but a million-row xlsx would take a gigabyte. Large xlsx files
are therefore streamed row by row by xlsx_stream (flat memory).
"""

import codecs
import csv
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.etree.ElementTree import ParseError

from python_calamine import CalamineWorkbook

from . import xlsx_stream

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
SUPPORTED_SUFFIXES = (*SPREADSHEET_SUFFIXES, ".csv")
HEADER_SEARCH_ROWS = 10
ENCODING_SNIFF_BYTES = 1 << 20
# An xlsx whose first sheet unpacks to more XML than this is streamed (about
# 25,000 rows of a 12-column 台账); smaller ones go through calamine, which holds
# the sheet: ~60 MB at 100,000 rows, in each of an import's two processes.
STREAM_XLSX_BYTES = 16 << 20


class TabularError(Exception):
    """The file as a whole cannot be read (format, encoding or missing header)."""


@dataclass
class Row:
    number: int  # as the spreadsheet shows it (1-based)
    values: dict  # template header -> cell value
    cells: list  # the row as it was in the file, for the rejected-rows workbook

    def __reduce__(self):
        # Rows travel pickled from the import's preparing process: rebuilding them
        # by the constructor loads in half the time of the default instance state.
        return (Row, (self.number, self.values, self.cells))


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the start decodes as UTF-8, else GB18030."""
    with open(path, "rb") as handle:
        head = handle.read(ENCODING_SNIFF_BYTES)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)  # a multi-byte char may straddle the cut
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _csv_rows(path: Path):
    encoding = _csv_encoding(path)
    try:
        with open(path, encoding=encoding, newline="") as handle:
            yield from csv.reader(handle)
    except UnicodeDecodeError as exc:
        raise TabularError("CSV文件中混有无法识别的编码（支持UTF-8和GBK）") from exc


def _first_sheet_size(path: Path) -> int:
    """Uncompressed size of an xlsx's first worksheet (0 when not an xlsx zip)."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = sorted(
                info
                for info in archive.infolist()
                if info.filename.startswith("xl/worksheets/sheet")
            )
            return sheets[0].file_size if sheets else 0
    except (zipfile.BadZipFile, OSError):
        return 0


def _streamed_xlsx_rows(path: Path):
    try:
        for row in xlsx_stream.iter_rows(path):
            yield ["" if value is None else value for value in row]
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        IndexError,
        ValueError,
        ParseError,
    ) as exc:  # a broken archive, XML or cell, at the start or midway
        raise TabularError(f"无法读取表格文件：{exc}") from exc


def _sheet_rows(path: Path):
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:  # calamine raises several error types for broken files
        raise TabularError(f"无法读取表格文件：{exc}") from exc
    yield from sheet.iter_rows()


def raw_rows(path, filename: str):
    """Yield every row of the file as a list of cell values."""
    name = filename.lower()
    if name.endswith(".csv"):
        return _csv_rows(Path(path))
    if (
        name.endswith((".xlsx", ".xlsm"))
        and _first_sheet_size(path) > STREAM_XLSX_BYTES
    ):
        return _streamed_xlsx_rows(Path(path))
    if name.endswith(SPREADSHEET_SUFFIXES):
        return _sheet_rows(Path(path))
    raise TabularError("仅支持 xlsx、xls、ods、csv 格式的文件")


def clean_header(value) -> str:
    return re.sub(r"[\s*＊]", "", str(value or ""))


def find_header(path, filename: str) -> list[str]:
    """Return the fullest of the first rows, cleaned, keeping column positions."""
    best = []
    for index, raw in enumerate(raw_rows(path, filename), start=1):
        cells = [clean_header(c) for c in raw]
        if sum(1 for c in cells if c) > sum(1 for c in best if c):
            best = cells
        if index >= HEADER_SEARCH_ROWS:
            break
    while best and not best[-1]:
        best.pop()
    return best


def read_rows(path, filename: str, *, required: set[str], aliases=None, mapping=None):
    """Yield Row objects after the header row that contains all required columns.

    aliases maps other spellings found in real files (身份证号码, 联系电话…) to the
    template's header; mapping is the user's own file-header → template-header choice.
    """
    rename = {**(aliases or {}), **(mapping or {})}
    header = None
    for index, raw in enumerate(raw_rows(path, filename), start=1):
        if header is None:
            cells = [clean_header(c) for c in raw]
            cells = [rename.get(c, c) for c in cells]
            if required.issubset(cells):
                header = cells
            elif index >= HEADER_SEARCH_ROWS:
                break
            continue
        values = {h: raw[i] if i < len(raw) else "" for i, h in enumerate(header) if h}
        if all(cell_text(v) == "" for v in values.values()):
            continue  # trailing or spacer empty row
        yield Row(number=index, values=values, cells=list(raw))
    if header is None:
        missing = "、".join(sorted(required))
        raise TabularError(
            f"未找到表头，表格前{HEADER_SEARCH_ROWS}行中应包含列：{missing}"
        )


def cell_text(value) -> str:
    """Return a cell as trimmed text; integral floats lose their '.0'."""
    if type(value) is str:  # nearly every cell: skip the type checks below
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def cell_float(value):
    text = cell_text(value)
    if not text:
        return None
    return float(text)


EXCEL_EPOCH = date(1899, 12, 30)
DATE_RE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")


def cell_date(value):
    """Read a date written as a date cell, an Excel serial, 2023-5-1, 2023.5.1 or 2023年5月1日.

    Returns None for an empty cell; raises ValueError for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        if 1 <= value < 2958466:  # Excel's valid serial range
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(value)
    text = cell_text(value)
    if not text:
        return None
    if text.isdigit() and len(text) == 8:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if text.isdigit() and len(text) <= 5:
        return EXCEL_EPOCH + timedelta(days=int(text))
    match = DATE_RE.match(text)
    if not match:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))


DIMENSION_RE = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')
ROW_TAG_RE = re.compile(rb"<(?:\w+:)?row[\s>/]")
SAMPLE_BYTES = 256 * 1024


def estimate_rows(path, filename: str) -> int:
    """A cheap row count for a progress bar; 0 when unknown.

    CSV: count line breaks. xlsx: the sheet's <dimension> element, read from the
    zip without parsing the sheet.
    """
    name = filename.lower()
    try:
        if name.endswith(".csv"):
            count = 0
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    count += chunk.count(b"\n")
            return count
        if name.endswith((".xlsx", ".xlsm")):
            with zipfile.ZipFile(path) as archive:
                sheets = sorted(
                    n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")
                )
                if not sheets:
                    return 0
                with archive.open(sheets[0]) as sheet:
                    head = sheet.read(SAMPLE_BYTES)
                match = DIMENSION_RE.search(head[:4096])
                if match and int(match.group(1)) > 1:
                    return int(match.group(1))
                # No usable <dimension> (streaming writers leave it out): scale the
                # rows in the first 256 KB by the sheet's unpacked size.
                rows = len(ROW_TAG_RE.findall(head))
                if not rows:
                    return 0
                size = archive.getinfo(sheets[0]).file_size
                return max(rows, int(size / len(head) * rows))
    except (OSError, zipfile.BadZipFile):
        return 0
    return 0
