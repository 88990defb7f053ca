"""Stream the first worksheet of a large xlsx in flat memory.

calamine reads a whole sheet into memory and openpyxl's read-only mode keeps the
shared-string table as a list of Python strings: a 1,000,000-row 台账 has about
three million distinct strings (names, ID numbers, phones), ~200 MB as a list.
Here the table is packed into one UTF-8 buffer with an array of end offsets
(the text plus 8 bytes each), and the sheet XML is scanned a megabyte at a time
with regular expressions for its <row>/<c>/<v> elements — SpreadsheetML is flat
and regular, and an XML parser's per-element events cost ten times more. No
entity is expanded beyond XML's five and numeric references, so an uploaded file
cannot make the scanner fetch or multiply anything. The small parts (workbook,
relationships, styles) go through defusedxml.

Values come back as openpyxl gives them: str, int, float, bool, datetime for
cells with a date number format, None for an empty cell.
"""

import codecs
import posixpath
import re
import zipfile
from array import array
from datetime import datetime
from html import unescape

from defusedxml.ElementTree import iterparse
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import from_excel

BLOCK_BYTES = 1 << 20
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# Elements may carry a namespace prefix (<x:c>, written by the OpenXML SDK).
P = r"(?:\w+:)?"
ROW_RE = re.compile(rf"<{P}row\b([^>]*?)(?:/>|>(.*?)</{P}row>)", re.S)
ROW_NUMBER_RE = re.compile(r'\br="(\d+)"')
CELL_RE = re.compile(rf"<{P}c\b([^>]*?)(?:/>|>(.*?)</{P}c>)", re.S)
ATTRIBUTE_RE = re.compile(r"(\w+)=[\"']([^\"']*)[\"']")
VALUE_RE = re.compile(rf"<{P}v(?:\s[^>]*)?>(.*?)</{P}v>", re.S)
TEXT_RE = re.compile(rf"<{P}t(?:\s[^>]*)?>(.*?)</{P}t>", re.S)
PHONETIC_RE = re.compile(rf"<{P}rPh\b.*?</{P}rPh>", re.S)
SHARED_ITEM_RE = re.compile(rf"<{P}si\b[^>]*?(?:/>|>(.*?)</{P}si>)", re.S)


class SharedStrings:
    """An append-only list of strings kept as one UTF-8 buffer plus end offsets."""

    def __init__(self):
        self._data = bytearray()
        self._ends = array("q")

    def append(self, text: str):
        self._data += text.encode("utf-8")
        self._ends.append(len(self._data))

    def __len__(self):
        return len(self._ends)

    def __getitem__(self, index: int) -> str:
        start = self._ends[index - 1] if index else 0
        return self._data[start : self._ends[index]].decode("utf-8")


def _elements(source, pattern):
    """Yield each match of pattern in an XML stream read a megabyte at a time.

    A match must end inside the buffer; whatever follows the last match waits
    for the next block.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    buffer = ""
    while True:
        block = source.read(BLOCK_BYTES)
        buffer += decoder.decode(block, final=not block)
        end = 0
        for match in pattern.finditer(buffer):
            yield match
            end = match.end()
        buffer = buffer[end:]
        if not block:
            return


def _text(content: str) -> str:
    """The value of an <si> or <is>: its <t> texts, without phonetic runs."""
    if "<" not in content:
        return ""
    if "rPh" in content:
        content = PHONETIC_RE.sub("", content)
    return unescape("".join(TEXT_RE.findall(content)))


def read_shared_strings(archive, name) -> SharedStrings:
    strings = SharedStrings()
    if name is None:
        return strings
    with archive.open(name) as source:
        for match in _elements(source, SHARED_ITEM_RE):
            strings.append(_text(match.group(1) or "").replace("_x005F_", "_"))
    return strings


def _date_styles(archive) -> set[int]:
    """Indexes of the cell formats (cellXfs) whose number format shows a date."""
    try:
        source = archive.open("xl/styles.xml")
    except KeyError:
        return set()
    with source:
        custom, formats, in_cell_xfs = {}, [], False
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag
            if tag == f"{MAIN}numFmt" and event == "end":
                custom[int(element.get("numFmtId"))] = element.get("formatCode", "")
            elif tag == f"{MAIN}cellXfs":
                in_cell_xfs = event == "start"
            elif tag == f"{MAIN}xf" and event == "start" and in_cell_xfs:
                formats.append(int(element.get("numFmtId", 0)))
    dated = set()
    for index, format_id in enumerate(formats):
        code = custom.get(format_id, BUILTIN_FORMATS.get(format_id, ""))
        if code and is_date_format(code):
            dated.add(index)
    return dated


def _parts(archive):
    """(first worksheet's part name, shared strings part name or None)."""
    with archive.open("xl/workbook.xml") as source:
        first = next((e for _, e in iterparse(source) if e.tag == f"{MAIN}sheet"), None)
    if first is None:
        raise ValueError("工作簿中没有工作表")
    with archive.open("xl/_rels/workbook.xml.rels") as source:
        targets = {
            e.get("Id"): e.get("Target")
            for _, e in iterparse(source)
            if e.tag == f"{PACKAGE_REL}Relationship"
        }
    names = set(archive.namelist())

    def part(target):
        name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        return posixpath.normpath(name)

    sheet = part(targets[first.get(f"{REL}id")])
    shared = next(
        (part(t) for t in targets.values() if t.endswith("sharedStrings.xml")), None
    )
    return sheet, shared if shared in names else None


_COLUMNS: dict[str, int] = {}


def _column(reference: str) -> int:
    """0-based column of a cell reference such as 'AB12'."""
    letters = reference.rstrip("0123456789")
    column = _COLUMNS.get(letters)
    if column is None:
        column = 0
        for char in letters:
            column = column * 26 + ord(char) - 64
        column = _COLUMNS[letters] = column - 1
    return column


def _number(text, style, dated):
    if text is None:
        return None
    value = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
    if style in dated:
        return from_excel(value)
    return value


def _cell_value(attributes, content, strings, dated):
    kind = attributes.get("t", "n")
    if kind == "inlineStr":
        return _text(content) if content else None
    found = VALUE_RE.search(content) if content else None
    text = found.group(1) if found else None
    if kind == "s":
        return strings[int(text)] if text is not None else None
    if kind in ("str", "e"):
        return unescape(text) if text is not None else None
    if kind == "b":
        return text == "1" if text is not None else None
    if kind == "d":
        return datetime.fromisoformat(text) if text else None
    return _number(text, int(attributes.get("s", 0)), dated)


def iter_rows(path):
    """Yield each row of the first worksheet as a list of values, empty rows
    included, so the n-th row yielded is spreadsheet row n."""
    with zipfile.ZipFile(path) as archive:
        sheet, shared = _parts(archive)
        strings = read_shared_strings(archive, shared)
        dated = _date_styles(archive)
        expected = 1
        with archive.open(sheet) as source:
            for row in _elements(source, ROW_RE):
                number = ROW_NUMBER_RE.search(row.group(1))
                number = int(number.group(1)) if number else expected
                while expected < number:  # rows Excel left out are empty rows
                    yield []
                    expected += 1
                values = []
                for cell in CELL_RE.finditer(row.group(2) or ""):
                    attributes = dict(ATTRIBUTE_RE.findall(cell.group(1)))
                    reference = attributes.get("r")
                    if reference:
                        column = _column(reference)
                        if column > len(values):
                            values.extend([None] * (column - len(values)))
                    values.append(
                        _cell_value(attributes, cell.group(2), strings, dated)
                    )
                expected = number + 1
                yield values
