"""Write xlsx files with openpyxl's write-only mode (constant memory at any size).

openpyxl is imported when a workbook is written, not when Django starts: it is
~9 MB in every process, and most (the task worker between jobs, an import's
processes reading CSV) never write one.
"""

import io
import tempfile

from django.http import FileResponse


def write_workbook(target, rows, *, title="数据", note=None, width=18):
    """Write rows (the first is the header) to target, a path or a file object.

    note is a line above the header, e.g. the export watermark; the importers find
    the header below it, so an exported file can be edited and imported again.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    rows = iter(rows)
    header = next(rows)
    for index in range(len(header)):
        sheet.column_dimensions[_letter(index)].width = width
    if note:
        sheet.oddHeader.center.text = note
        sheet.oddFooter.center.text = note
        cell = WriteOnlyCell(sheet, value=note)
        cell.font = Font(italic=True, color="9E9E9E")
        sheet.append([cell])
    sheet.append([_header_cell(sheet, value) for value in header])
    for row in rows:
        sheet.append(row)
    workbook.save(target)


def _header_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True, color="FFFFFF")
    cell.fill = PatternFill("solid", fgColor="B71C1C")
    return cell


def _letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(rows, filename, **options):
    """A download of rows written to a spooled temporary file, not held in memory."""
    spool = tempfile.TemporaryFile()
    write_workbook(spool, rows, **options)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX)


def read_workbook(content):
    """Read back what write_workbook wrote: (note or None, header, data rows).

    content: the file's bytes, or the download's response. The header is the first
    row with more than one cell filled in; a note (the export watermark) is the
    single-cell row above it. Empty rows are skipped.
    """
    from openpyxl import load_workbook

    if hasattr(content, "streaming"):
        content = (
            b"".join(content.streaming_content)
            if content.streaming
            else content.content
        )
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = [
        list(row)
        for row in sheet.iter_rows(values_only=True)
        if any(cell not in (None, "") for cell in row)
    ]
    for index, row in enumerate(rows):
        if sum(1 for cell in row if cell not in (None, "")) > 1:
            note = rows[index - 1][0] if index else None
            return note, row, rows[index + 1 :]
    return None, [], []
