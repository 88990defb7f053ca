"""Read spreadsheet rows (xlsx, xls, ods via python-calamine; csv in UTF-8 or GBK).

Communities' 台账 often have a merged title row or two above the header, and
trailing empty rows; the reader finds the header by the columns it expects and
reports every data row with its 1-based spreadsheet row number. CSV files are
streamed line by line; spreadsheets are read by calamine, which holds one sheet
in memory — fast, but a million-row xlsx would take a gigabyte. Large xlsx files
are therefore streamed row by row by xlsx_stream (flat memory).

A file is read by what its bytes are, not by its name (an .xls saved as .xlsx is
still read), and a file that holds no table is refused with one Chinese sentence:
empty, a Word document, password-protected, a web page, or broken. The table is
the first sheet whose first rows hold the expected columns, so a workbook whose
first sheet is a 填表说明 still imports. Cells merged down several rows (a
household's 户号 or address) give their value to every row they cover.
"""

import codecs
import csv
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import ParseError

from python_calamine import CalamineWorkbook, PasswordError

from . import xlsx_stream

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
SUPPORTED_SUFFIXES = (*SPREADSHEET_SUFFIXES, ".csv")
HEADER_SEARCH_ROWS = 10
ENCODING_SNIFF_BYTES = 1 << 20
# An xlsx whose sheet unpacks to more XML than this is streamed (about 25,000
# rows of a 12-column 台账); smaller ones go through calamine, which holds the
# sheet: ~60 MB at 100,000 rows, in each of an import's two processes.
STREAM_XLSX_BYTES = 16 << 20

# What a whole file can be refused for: one sentence each, the same on the command
# line, the upload page and the job page.
EMPTY = "文件是空的"
HEADER_ONLY = "文件只有表头，没有数据行"
NOT_EXCEL = "不是有效的Excel文件"
WORD_FILE = (
    "不是有效的Excel文件：这是一个Word文档，请把表格复制到Excel中另存为.xlsx再导入"
)
WEB_PAGE = (
    "不是有效的Excel文件：这是网页格式的表格，请用Excel或WPS打开后另存为.xlsx再导入"
)
PLAIN_TEXT = "不是有效的Excel文件：内容是纯文本，如果是CSV文件，请把扩展名改为.csv"
PROTECTED = "文件设有打开密码：请在Excel或WPS中取消密码后再导入"
BROKEN = "无法读取表格文件：文件已损坏，请用Excel或WPS打开后另存为.xlsx再导入"
UNSUPPORTED = "仅支持 xlsx、xls、ods、csv 格式的文件"

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted xlsx is an OLE2 container holding this stream (name in UTF-16).
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
SUFFIX_FORMATS = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xlsb": "xlsb",
    ".ods": "ods",
    ".xls": "xls",
    ".csv": "csv",
}


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


# --- what the file is ------------------------------------------------------------


def _ole2_is_encrypted_package(path) -> bool:
    """Whether an OLE2 file's first directory sector names an EncryptedPackage."""
    with open(path, "rb") as handle:
        header = handle.read(512)
        sector_size = 1 << int.from_bytes(header[30:32], "little")
        first_directory = int.from_bytes(header[48:52], "little")
        if not 7 <= sector_size.bit_length() <= 13:
            return False
        handle.seek((first_directory + 1) * sector_size)
        return ENCRYPTED_PACKAGE in handle.read(sector_size)


def _zip_format(path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise TabularError(BROKEN) from exc
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if b"opendocument.spreadsheet" in mimetype:
        return "ods"
    if any(name.startswith("word/") for name in names):
        raise TabularError(WORD_FILE)
    raise TabularError(NOT_EXCEL)


def file_format(path, filename: str) -> str:
    """The format the file's bytes are in: 'csv', 'xlsx', 'xlsb', 'ods' or 'xls'.

    A spreadsheet is recognised whatever its name says; a file that holds no
    table raises TabularError with the sentence that says why.
    """
    suffix = Path(filename.lower()).suffix
    if suffix not in SUFFIX_FORMATS:
        raise TabularError(UNSUPPORTED)
    if os.path.getsize(path) == 0:
        raise TabularError(EMPTY)
    with open(path, "rb") as handle:
        head = handle.read(512)
    if head.startswith(ZIP_MAGIC):
        return _zip_format(path)
    if head.startswith(OLE2_MAGIC):
        if _ole2_is_encrypted_package(path):
            raise TabularError(PROTECTED)
        return "xls"
    if suffix == ".csv":
        return "csv"
    if head.lstrip().startswith(b"<"):
        raise TabularError(WEB_PAGE)  # HTML or XML "xls" that web systems export
    if head.startswith(b"PK"):
        raise TabularError(BROKEN)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        raise TabularError(BROKEN) from None
    raise TabularError(PLAIN_TEXT)


# --- reading one sheet -------------------------------------------------------------


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
    except csv.Error as exc:  # a NUL byte, or a field past csv's size limit
        raise TabularError(BROKEN) from exc


STREAM_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    ValueError,
    ParseError,
)


def _sheet_size(path: Path, sheet: int) -> int:
    """Uncompressed size of an xlsx worksheet's XML."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts, _shared = xlsx_stream.sheet_parts(archive)
            return archive.getinfo(parts[sheet][1]).file_size
    except STREAM_ERRORS as exc:  # (defusedxml's refusals are ValueErrors)
        raise TabularError(BROKEN) from exc


def _streamed_xlsx_rows(path: Path, sheet: int):
    try:
        for row in xlsx_stream.iter_rows(path, sheet):
            yield ["" if value is None else value for value in row]
    except STREAM_ERRORS as exc:  # a broken archive, XML or cell, at start or midway
        raise TabularError(BROKEN) from exc


def _open_workbook(path: Path, filename: str, kind: str):
    """calamine's workbook; by content when the name's suffix says another format."""
    try:
        if SUFFIX_FORMATS.get(Path(filename.lower()).suffix) == kind:
            return CalamineWorkbook.from_path(str(path))
        with open(path, "rb") as handle:
            return CalamineWorkbook.from_filelike(handle)
    except PasswordError as exc:
        raise TabularError(PROTECTED) from exc
    except Exception as exc:  # calamine raises several error types for broken files
        raise TabularError(BROKEN) from exc


@lru_cache(maxsize=4)
def _marks(path: str, sheet: int, size: int, mtime: float):
    try:
        return xlsx_stream.sheet_marks(path, sheet)
    except STREAM_ERRORS:
        return [], []


def sheet_marks(path, sheet: int):
    """(hidden rows, merged ranges) of an xlsx sheet, scanned once per file."""
    stat = os.stat(path)
    return _marks(str(path), sheet, stat.st_size, stat.st_mtime)


def _merged_cells(sheet, kind, path, index):
    """Ranges merged down more than one row: (first row, last row, column), rows
    1-based, columns as the sheet's rows are indexed."""
    if kind == "xlsx":
        ranges = sheet_marks(path, index)[1]
    else:
        try:
            found = sheet.merged_cell_ranges or []
        except Exception:  # not every format keeps them
            return []
        ranges = [(r1 + 1, c1, r2 + 1, c2) for (r1, c1), (r2, c2) in found]
    # calamine's rows start at the sheet's first used column
    offset = sheet.start[1] if sheet is not None and sheet.start else 0
    return [(r1, r2, c1 - offset) for r1, c1, r2, _c2 in ranges if r2 > r1]


def _fill_merged(rows, merged):
    """Give each row of a vertically merged range the value of its first cell."""
    if not merged:
        return rows
    return _filled_rows(rows, merged)


def _filled_rows(rows, merged):
    covering = {}
    for first, last, column in merged:
        for number in range(first + 1, last + 1):
            covering.setdefault(number, []).append((column, first))
    starts = {}
    for first, _last, column in merged:
        starts.setdefault(first, []).append(column)
    kept = {}
    for number, row in enumerate(rows, start=1):
        for column in starts.get(number, ()):
            kept[(number, column)] = row[column] if column < len(row) else ""
        for column, first in covering.get(number, ()):
            value = kept.get((first, column), "")
            if column >= len(row):
                row = [*row, *[""] * (column - len(row) + 1)]
            if row[column] in ("", None):
                row[column] = value
        yield row


def _calamine_rows(path: Path, filename: str, kind: str, sheet: int):
    workbook = _open_workbook(path, filename, kind)
    try:
        data = workbook.get_sheet_by_index(sheet)
        rows = data.iter_rows()
    except PasswordError as exc:
        raise TabularError(PROTECTED) from exc
    except Exception as exc:
        raise TabularError(BROKEN) from exc
    yield from _fill_merged(rows, _merged_cells(data, kind, path, sheet))


def sheet_names(path, filename: str) -> list[str]:
    """The workbook's sheets in order (a CSV file is one unnamed sheet)."""
    kind = file_format(path, filename)
    if kind == "csv":
        return [""]
    if kind == "xlsx":  # without calamine, which would load the shared strings
        try:
            with zipfile.ZipFile(path) as archive:
                return [name for name, _part in xlsx_stream.sheet_parts(archive)[0]]
        except STREAM_ERRORS as exc:
            raise TabularError(BROKEN) from exc
    return list(_open_workbook(Path(path), filename, kind).sheet_names) or [""]


def sheets_with_data(path, filename: str) -> list[str]:
    """The names of the sheets that hold anything in their first rows (for a page
    that lets the user choose the sheet to import)."""
    return [
        name
        for index, name in enumerate(sheet_names(path, filename))
        if _header_in(enumerate(raw_rows(path, filename, index), 1), {}, set())[1]
    ]


def raw_rows(path, filename: str, sheet: int = 0):
    """Yield every row of a sheet (the first by default) as a list of cell values."""
    path = Path(path)
    kind = file_format(path, filename)
    if kind == "csv":
        return _csv_rows(path)
    if kind == "xlsx" and _sheet_size(path, sheet) > STREAM_XLSX_BYTES:
        return _fill_merged(
            _streamed_xlsx_rows(path, sheet), _merged_cells(None, kind, path, sheet)
        )
    return _calamine_rows(path, filename, kind, sheet)


def clean_header(value) -> str:
    return re.sub(r"[\s*＊]", "", str(value or ""))


def _blank(value) -> bool:
    """Whether a cell reads as empty text (cell_text(value) == "", but cheaper)."""
    return value is None or value == "" or (type(value) is str and value.isspace())


def _filled(cells) -> int:
    return sum(1 for c in cells if c)


# --- finding the table -------------------------------------------------------------


@dataclass
class Table:
    """Where a file's table is: its sheet, header row and what the reader noticed."""

    header: list[str]
    sheet: int = 0
    sheet_name: str = ""
    header_row: int = 0
    notices: list[str] = field(default_factory=list)


def _header_in(rows, rename, required):
    """Look through the first rows of a sheet for its header.

    Returns (row number, cleaned header as the file spells it) of the row that
    holds every required column once renamed, or else of the fullest row (number
    0 when the sheet is empty), and whether the header matched. rows is left just
    after the rows looked at.
    """
    best, best_number = [], 0
    for number, raw in rows:
        cells = [clean_header(c) for c in raw]
        if required and required.issubset([rename.get(c, c) for c in cells]):
            return number, cells, True
        if _filled(cells) > _filled(best):
            best, best_number = cells, number
        if number >= HEADER_SEARCH_ROWS:
            break
    return best_number, best, False


def _has_data_after(rows, number):
    """Whether any non-empty row follows row `number` (rows continues from it)."""
    for index, raw in rows:
        if index > number and any(cell_text(c) for c in raw):
            return True
    return False


def _hidden_rows(path, kind, sheet):
    return sheet_marks(path, sheet)[0] if kind == "xlsx" else []


def _row_list(numbers, limit=10):
    shown = "、".join(str(n) for n in numbers[:limit])
    return shown + ("等" if len(numbers) > limit else "")


def find_table(path, filename: str, *, required=(), aliases=None, sheet=None) -> Table:
    """Find the table an import will read, and refuse a file that has none.

    The table is on the given sheet, or else on the first sheet whose first
    rows hold every required column, or else on the first sheet with data (its
    fullest early row taken as the header, for the user to map).
    """
    rename = dict(aliases or {})
    required = set(required)
    names = sheet_names(path, filename)
    candidates = [sheet] if sheet is not None else range(len(names))
    kind = file_format(path, filename)
    fallback = None
    for index in candidates:
        rows = enumerate(raw_rows(path, filename, index), start=1)
        number, header, matched = _header_in(rows, rename, required)
        if not _filled(header):
            continue
        found = (index, number, header, rows)
        if matched:
            break
        fallback = fallback or found
    else:
        if fallback is None:
            raise TabularError(EMPTY)
        found = fallback
    index, number, header, rows = found
    if not _has_data_after(rows, number):
        rows = enumerate(raw_rows(path, filename, index), start=1)
        if not _has_data_after(rows, number):
            raise TabularError(HEADER_ONLY)
    while header and not header[-1]:
        header.pop()
    table = Table(
        header=header,
        sheet=index,
        sheet_name=names[index],
        header_row=number,
    )
    if len(names) > 1 and index > 0:
        table.notices.append(f"读取的是第{index + 1}个工作表“{names[index]}”")
    hidden = [n for n in _hidden_rows(path, kind, index) if n > number]
    if hidden:
        table.notices.append(
            f"第{_row_list(hidden)}行在表格中是隐藏的，已和其他行一样导入"
        )
    return table


def find_header(path, filename: str) -> list[str]:
    """Return the fullest of the first rows of the first sheet with data, cleaned."""
    return find_table(path, filename).header


def read_rows(
    path, filename: str, *, required: set[str], aliases=None, mapping=None, sheet=None
):
    """Yield Row objects after the header row that contains all required columns.

    aliases maps other spellings found in real files (身份证号码, 联系电话…) to the
    template's header; mapping is the user's own file-header → template-header choice.
    The header is looked for on the given sheet, or on each sheet in turn.
    """
    rename = {**(aliases or {}), **(mapping or {})}
    names = sheet_names(path, filename)
    candidates = [sheet] if sheet is not None else range(len(names))
    for index in candidates:
        rows = enumerate(raw_rows(path, filename, index), start=1)
        _number, header, matched = _header_in(rows, rename, required)
        if matched:
            header = [rename.get(c, c) for c in header]
            break
    else:
        missing = "、".join(sorted(required))
        raise TabularError(
            f"未找到表头，表格前{HEADER_SEARCH_ROWS}行中应包含列：{missing}"
        )
    read = 0
    for number, raw in rows:
        values = {h: raw[i] if i < len(raw) else "" for i, h in enumerate(header) if h}
        if all(_blank(v) for v in values.values()):
            continue  # trailing or spacer empty row
        read += 1
        yield Row(number=number, values=values, cells=list(raw))
    if not read:
        raise TabularError(HEADER_ONLY)


FLOAT_TEXT_RE = re.compile(r"(\d+)\.0+")


def cell_text(value) -> str:
    """Return a cell as trimmed text; integral floats lose their '.0', whether the
    cell holds the number (xlsx) or its text (a CSV that a program wrote)."""
    if type(value) is str:  # nearly every cell: skip the type checks below
        text = value.strip()
        if text[-1:] == "0" and "." in text:
            match = FLOAT_TEXT_RE.fullmatch(text)
            if match:
                return match.group(1)
        return text
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
