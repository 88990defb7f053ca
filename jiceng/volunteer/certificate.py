"""A volunteer's printable service record (志愿服务证明) as a PDF.

reportlab's built-in CID font STSong-Light renders Chinese with no font file, so the
certificate works offline on any server.
"""

import io

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import HoursStatus, star_label

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _style(size, **extra):
    return ParagraphStyle(
        name=f"s{size}", fontName=FONT, fontSize=size, leading=size * 1.5, **extra
    )


def render(volunteer, *, issuer="") -> bytes:
    """The certificate: totals, star tier and the confirmed service records."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"志愿服务证明-{volunteer.name}",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
    )
    records = list(
        volunteer.hours.filter(status=HoursStatus.CONFIRMED).order_by("started_at")[
            :200
        ]
    )
    story = [
        Paragraph("志愿服务证明", _style(22, alignment=1)),
        Spacer(1, 6 * mm),
        Paragraph(
            f"兹证明 <b>{volunteer.name}</b> 同志"
            f"{'（中共党员）' if volunteer.member_id else ''}"
            f"在{volunteer.community.name}参加志愿服务，经社区确认累计服务时长 "
            f"<b>{volunteer.hours_total}</b> 小时，星级：<b>{star_label(volunteer.stars)}</b>"
            f"志愿者，累计获得积分 {volunteer.points_earned} 分。",
            _style(12),
        ),
        Spacer(1, 5 * mm),
    ]
    rows = [["日期", "服务内容", "社区", "时长（小时）"]]
    for record in records:
        rows.append(
            [
                timezone.localtime(record.started_at).strftime("%Y-%m-%d"),
                Paragraph(record.title, _style(9)),
                record.community.name,
                str(record.hours),
            ]
        )
    if len(rows) == 1:
        rows.append(["—", "暂无已确认的服务记录", "", ""])
    grid = Table(rows, colWidths=[28 * mm, 80 * mm, 45 * mm, 22 * mm], repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#B71C1C")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [
        grid,
        Spacer(1, 10 * mm),
        Paragraph(f"出具单位：{issuer or volunteer.community.name}", _style(11)),
        Paragraph(f"出具日期：{timezone.localdate():%Y年%m月%d日}", _style(11)),
    ]
    doc.build(story)
    return buffer.getvalue()
