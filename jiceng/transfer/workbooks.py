"""Write xlsx files with openpyxl's write-only mode (constant memory at any size)."""

import tempfile

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
NOTE_FONT = Font(italic=True, color="9E9E9E")


def write_workbook(target, rows, *, title="数据", note=None, width=18):
    """Write rows (the first is the header) to target, a path or a file object.

    note is a line above the header, e.g. the export watermark; the importers find
    the header below it, so an exported file can be edited and imported again.
    """
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
        cell.font = NOTE_FONT
        sheet.append([cell])
    sheet.append([_header_cell(sheet, value) for value in header])
    for row in rows:
        sheet.append(row)
    workbook.save(target)


def _header_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
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
