"""Stream a worksheet of a large xlsx in flat memory.

calamine reads a whole sheet into memory and openpyxl's read-only mode keeps the
shared-string table as a list of Python strings: a 1,000,000-row 台账 has about
three million distinct strings (names, ID numbers, phones), ~200 MB as a list.
Here the table is packed into one UTF-8 buffer with an array of end offsets
(the text plus 8 bytes each), and the sheet XML is scanned 128 KB at a time
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

# 128 KB: a findall over a block holds ~10 bytes of tokens per byte of XML
# (21 MB more at 1 MB blocks), and smaller blocks were no slower.
BLOCK_BYTES = 1 << 17
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# Elements may carry a namespace prefix (<x:c>, written by the OpenXML SDK).
P = r"(?:\w+:)?"
ROW_NUMBER_RE = re.compile(r'\br="(\d+)"')
ROW_START_RE = re.compile(r"<(\w+:)?row\b")
# The sheet is scanned as a stream of three tokens, so that one findall covers a
# block: a row's start tag ("row", its attributes, "/" when it is empty), a
# cell, a row's end tag (all groups empty). A cell gives "c", its attributes,
# then r's column letters, s, t, s again and the rest of the tag — r, s and t in
# the orders Excel, WPS and openpyxl write them; a tag with anything else in it
# (another order, other attributes, single quotes) is parsed in full instead —
# and its content: the text of a plain <is><t>…</t></is>, the text of a plain
# <v>…</v>, or else the whole content.
TOKEN_RE = re.compile(
    rf"<{P}(row)\b([^>]*?)(/?)>"
    rf"|<{P}(c)(?=[\s/>])"
    r'((?: r="([A-Z]+)\d+")?(?: s="(\d+)")?(?: t="(\w+)")?(?: s="(\d+)")?([^>]*?))'
    r"(?:/>"
    rf"|><is><t>([^<]*)</t></is></{P}c>"
    rf"|><v>([^<]*)</v></{P}c>"
    rf"|>([^<]*(?:<(?!/{P}c>)[^<]*)*)</{P}c>)"
    rf"|</{P}row>"
)
ATTRIBUTE_RE = re.compile(r"([\w:]+)=[\"']([^\"']*)[\"']")
CELL_REFERENCE_RE = re.compile(r"([A-Z]+)\d+$")
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
    """Yield each match of pattern in an XML stream read a block at a time.

    A match must end inside the buffer; whatever follows the last match waits
    for the next block. (For the small parts: shared strings.)
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


def _row_pieces(source):
    """Yield the sheet XML in pieces of a block or more that each end just
    after a row's end tag (the last piece: whatever is left), so that no token
    is ever cut in two."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    buffer, end_tag = "", None
    while True:
        block = source.read(BLOCK_BYTES)
        buffer += decoder.decode(block, final=not block)
        if not block:
            yield buffer
            return
        if end_tag is None:
            start = ROW_START_RE.search(buffer)
            if start is None:
                continue
            end_tag = f"</{start.group(1) or ''}row>"
        cut = buffer.rfind(end_tag)
        if cut >= 0:
            cut += len(end_tag)
            yield buffer[:cut]
            buffer = buffer[cut:]


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
    # openpyxl only when an xlsx is read: ~9 MB (see transfer/workbooks.py)
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

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


def sheet_parts(archive):
    """[(sheet name, worksheet part name)] in the workbook's order, and the shared
    strings part name (None when the workbook has none)."""
    with archive.open("xl/workbook.xml") as source:
        sheets = [
            (e.get("name", ""), e.get(f"{REL}id"))
            for _, e in iterparse(source)
            if e.tag == f"{MAIN}sheet"
        ]
    if not sheets:
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

    shared = next(
        (part(t) for t in targets.values() if t.endswith("sharedStrings.xml")), None
    )
    parts = [(name, part(targets[rid])) for name, rid in sheets]
    return parts, shared if shared in names else None


_COLUMNS: dict[str, int] = {}


def _column(letters: str) -> int:
    """0-based column of a cell reference's letters ('AB' of 'AB12')."""
    column = _COLUMNS.get(letters)
    if column is None:
        column = 0
        for char in letters:
            column = column * 26 + ord(char) - 64
        column = _COLUMNS[letters] = column - 1
    return column


def _number(text, style, dated):
    if not text:  # <v/> or <v></v>: writers that use lxml leave empty numbers so
        return None
    value = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
    if style in dated:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value)
    return value


def _plain(text: str) -> str:
    return unescape(text) if "&" in text else text


def _inline_text(content: str):
    # Nearly every inline string is <is><t>text</t></is>: slice it out.
    if content.startswith("<is><t>") and content.endswith("</t></is>"):
        text = content[7:-9]
        if "<" not in text:
            return _plain(text)
    return _text(content)


def _value_text(content: str):
    if content.startswith("<v>") and content.endswith("</v>"):
        return content[3:-4]
    found = VALUE_RE.search(content)
    return found.group(1) if found else None


def _cell_value(kind, style, content, strings, dated):
    """A cell's value from its t and s attributes and its content (None: empty)."""
    if kind == "inlineStr":
        return _inline_text(content) if content else None
    text = _value_text(content) if content else None
    return _typed(kind, style, text, strings, dated)


def _typed(kind, style, text, strings, dated):
    """A cell's value from its t and s attributes and the text of its <v>."""
    if text is None:
        return None
    if kind == "s":
        return strings[int(text)]
    if kind in ("str", "e"):
        return _plain(text)
    if kind == "b":
        return text == "1"
    if kind == "d":
        return datetime.fromisoformat(text) if text else None
    return _number(text, int(style) if style else 0, dated)


def _cell_attributes(attributes):
    """(column letters, style, kind) of a cell tag the token did not take apart."""
    found = dict(ATTRIBUTE_RE.findall(attributes))
    reference = CELL_REFERENCE_RE.match(found.get("r", ""))
    return (reference.group(1) if reference else "", found.get("s"), found.get("t"))


def iter_rows(path, sheet=0):
    """Yield each row of a worksheet (the first by default) as a list of values,
    empty rows included, so the n-th row yielded is spreadsheet row n."""
    with zipfile.ZipFile(path) as archive:
        parts, shared = sheet_parts(archive)
        sheet_part = parts[sheet][1]
        strings = read_shared_strings(archive, shared)
        dated = _date_styles(archive)
        expected, number, values, columns = 1, 1, [], _COLUMNS
        with archive.open(sheet_part) as source:
            for piece in _row_pieces(source):
                for (
                    row,
                    row_attributes,
                    row_empty,
                    cell,
                    attributes,
                    letters,
                    style,
                    kind,
                    style_after,
                    rest,
                    inline_text,
                    value_text,
                    content,
                ) in TOKEN_RE.findall(piece):
                    if cell:
                        if "=" in rest:
                            letters, style, kind = _cell_attributes(attributes)
                        if letters:
                            column = columns.get(letters)
                            if column is None:
                                column = _column(letters)
                            if column > len(values):
                                values.extend([None] * (column - len(values)))
                        style = style or style_after
                        if inline_text and kind == "inlineStr":
                            value = _plain(inline_text)
                        elif value_text:
                            value = _typed(kind, style, value_text, strings, dated)
                        else:
                            value = _cell_value(kind, style, content, strings, dated)
                        values.append(value)
                        continue
                    if row:
                        found = ROW_NUMBER_RE.search(row_attributes)
                        number = int(found.group(1)) if found else expected
                        while expected < number:  # rows Excel left out are empty
                            yield []
                            expected += 1
                        values = []
                        if not row_empty:
                            continue
                    yield values  # the row's end tag, or an empty row's only tag
                    expected, values = number + 1, []


MARK_BLOCK_BYTES = 1 << 20
HIDDEN_ROW_RE = re.compile(
    rb'<(?:\w+:)?row\b(?=[^>]*?\bhidden="(?:1|true)")[^>]*?\br="(\d+)"'
)
MERGE_RE = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"'
)


def sheet_marks(path, sheet=0):
    """(hidden row numbers, merged ranges) of a worksheet, read from its XML.

    A range is (first row, first column, last row, last column), rows 1-based as
    the spreadsheet shows them, columns 0-based. The XML is scanned a block at a
    time and only blocks that mention either are searched, so a sheet with
    neither costs one pass of decompression.
    """
    hidden, merged = [], []
    with zipfile.ZipFile(path) as archive:
        parts, _shared = sheet_parts(archive)
        with archive.open(parts[sheet][1]) as source:
            tail = b""
            while True:
                block = source.read(MARK_BLOCK_BYTES)
                data = tail + block
                # Every tag searched for ends before the next "<": keep the last
                # (possibly cut) tag for the next block.
                cut = data.rfind(b"<") if block else len(data)
                data, tail = data[:cut], data[cut:]
                if b"hidden=" in data:
                    hidden += [int(m.group(1)) for m in HIDDEN_ROW_RE.finditer(data)]
                if b"mergeCell" in data:
                    merged += [
                        (int(r1), _column(c1.decode()), int(r2), _column(c2.decode()))
                        for c1, r1, c2, r2 in MERGE_RE.findall(data)
                    ]
                if not block:
                    return hidden, merged
