"""A dashboard as a PDF for reports (汇报材料): the tiles of the month with their
change, and the children compared. reportlab's built-in CID font STSong-Light
(registered by the volunteering certificate) renders Chinese with no font file."""

import io

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jiceng.volunteer.certificate import FONT  # registers STSong-Light

COLUMNS_PER_TABLE = 6  # tiles per children table, so a page stays readable


def _style(size, **extra):
    return ParagraphStyle(
        name=f"i{size}", fontName=FONT, fontSize=size, leading=size * 1.4, **extra
    )


def figure(value, unit=""):
    if value is None:
        return "—"
    text = f"{value:,.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    return f"{text}{unit}"


def _table(rows, widths=None):
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3d6d6")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def render(dashboard, *, exporter="") -> bytes:
    buffer = io.BytesIO()
    place, month = dashboard.place, dashboard.month
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=f"{place.name}数据看板{month:%Y年%m月}",
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
    )
    updated = (
        f"数据更新于 {timezone.localtime(dashboard.updated_at):%Y-%m-%d %H:%M}"
        if dashboard.updated_at
        else "尚未汇总"
    )
    story = [
        Paragraph(f"{place.name}数据看板 · {month:%Y年%m月}", _style(18)),
        Paragraph(
            f"{updated}；导出人：{exporter}，{timezone.localtime():%Y-%m-%d %H:%M}",
            _style(9, textColor=colors.grey),
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [["板块", "指标", "本月", "上月", "变化"]]
    for section, views in dashboard.sections:
        for view in views:
            change = view.change
            rows.append(
                [
                    section,
                    view.tile.title,
                    figure(view.value, view.tile.unit),
                    figure(view.previous, view.tile.unit),
                    "—" if change is None else f"{change:+g}",
                ]
            )
    story.append(_table(rows, [40 * mm, 60 * mm, 35 * mm, 35 * mm, 30 * mm]))
    tiles = dashboard.tiles
    if dashboard.children and tiles:
        story += [Spacer(1, 6 * mm), Paragraph("下级区域对比", _style(13))]
        for start in range(0, len(tiles), COLUMNS_PER_TABLE):
            chunk = tiles[start : start + COLUMNS_PER_TABLE]
            head = ["区域", *(f"{v.tile.title}（{v.tile.unit}）" for v in chunk)]
            body = [
                [
                    child.name,
                    *(figure(v.children.get(child.pk)) for v in chunk),
                ]
                for child in dashboard.children
            ]
            story += [Spacer(1, 3 * mm), _table([head, *body])]
    doc.build(story)
    return buffer.getvalue()
