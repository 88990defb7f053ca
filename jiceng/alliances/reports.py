"""月通报 / 季调度 / 年总结: one document of the period's figures, generated from the
data, as .docx (python-docx) and as PDF (reportlab).

The PDF uses reportlab's built-in CID font STSong-Light (as the volunteering
certificate does): Adobe's CJK fonts are standard to every PDF reader, so no font
file is installed or embedded and the document renders offline on a fresh server.
The .docx names the East-Asian font 宋体 (SimSun); Word and WPS substitute it.
"""

import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .models import (
    OPEN_TASK,
    Agreement,
    AgreementStatus,
    Booking,
    BookingStatus,
    Meeting,
    MeetingStatus,
    Pair,
    Task,
    TaskStatus,
    Visit,
)

PERIODS = {"month": "月通报", "quarter": "季调度", "year": "年总结"}


def period_bounds(period, today=None):
    """The current month / quarter / year up to today: (first day, last day)."""
    today = today or timezone.localdate()
    if period == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if period == "quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        start = date(today.year, first_month, 1)
        end_month = first_month + 3
    else:
        start = date(today.year, today.month, 1)
        end_month = today.month + 1
    year = today.year + (end_month - 1) // 12
    end = date(year, (end_month - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


@dataclass
class Report:
    title: str
    start: date
    end: date
    sections: list = field(default_factory=list)  # (heading, [paragraphs], table)


def build(user, period="month", today=None):
    """Gather the period's figures within what the user may see."""
    today = today or timezone.localdate()
    start, end = period_bounds(period, today)
    label = PERIODS.get(period, PERIODS["month"])
    report = Report(
        f"共建共治共享工作{label}（{start:%Y年%m月%d日}—{end:%m月%d日}）", start, end
    )

    meetings = Meeting.objects.visible_to(user).filter(
        starts_at__date__gte=start, starts_at__date__lte=end
    )
    held = meetings.filter(status=MeetingStatus.HELD)
    tasks = Task.objects.visible_to(user)
    new_tasks = tasks.filter(created_at__date__gte=start, created_at__date__lte=end)
    done = tasks.filter(
        status=TaskStatus.DONE, done_at__date__gte=start, done_at__date__lte=end
    )
    overdue = tasks.overdue(today).select_related("owner_unit", "owner_department")
    report.sections.append(
        (
            "一、联席会议与议定事项",
            [
                f"本期召开会议{held.count()}次（计划{meetings.count()}次），"
                f"新议定事项{new_tasks.count()}项，办结{done.count()}项；"
                f"目前未办结{tasks.filter(status__in=OPEN_TASK).count()}项，"
                f"其中逾期{overdue.count()}项。",
            ],
            [["逾期事项", "责任方", "完成时限", "进度"]]
            + [
                [t.title, str(t.owner), f"{t.due_on:%Y-%m-%d}", f"{t.progress}%"]
                for t in overdue[:30]
            ],
        )
    )
    agreements = Agreement.objects.visible_to(user)
    by_status = dict(
        agreements.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    expiring = agreements.expiring(today).select_related("unit")
    report.sections.append(
        (
            "二、共建协议",
            [
                "协议"
                + "，".join(
                    f"{AgreementStatus(s).label}{by_status.get(s, 0)}份"
                    for s in AgreementStatus.values
                )
                + f"；60天内到期{expiring.count()}份。"
            ],
            [["即将到期", "共建单位", "到期日"]]
            + [[a.title, a.unit.name, f"{a.ends_on:%Y-%m-%d}"] for a in expiring[:30]],
        )
    )
    pairs = Pair.objects.visible_to(user).filter(active=True)
    visits = Visit.objects.visible_to(user).filter(
        visited_on__gte=start, visited_on__lte=end
    )
    report.sections.append(
        (
            "三、包联走访",
            [
                f"在册包联关系{pairs.count()}对，本期走访{visits.count()}次，"
                f"转为事件{visits.filter(case__isnull=False).count()}件、"
                f"督办事项{visits.filter(task__isnull=False).count()}项。"
            ],
            None,
        )
    )
    bookings = Booking.objects.visible_to(user).filter(
        starts_at__date__gte=start, starts_at__date__lte=end
    )
    figures = bookings.aggregate(
        live=Count(
            "pk",
            filter=Q(
                status__in=[
                    BookingStatus.APPROVED,
                    BookingStatus.CHECKED_IN,
                    BookingStatus.PENDING,
                ]
            ),
        ),
        used=Count("pk", filter=Q(status=BookingStatus.CHECKED_IN)),
        cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
    )
    report.sections.append(
        (
            "四、共享空间",
            [
                f"场地预约{figures['live']}次，已签到使用{figures['used']}次，"
                f"取消{figures['cancelled']}次。"
            ],
            None,
        )
    )
    return report


def to_docx(report) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    heading = document.add_heading(report.title, level=1)
    for run in heading.runs:
        run.font.name = "SimHei"
        run._element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")
    for title, paragraphs, table in report.sections:
        document.add_heading(title, level=2)
        for text in paragraphs:
            document.add_paragraph(text)
        if table and len(table) > 1:
            grid = document.add_table(rows=0, cols=len(table[0]))
            grid.style = "Table Grid"
            for row in table:
                cells = grid.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = value
    document.add_paragraph(f"生成时间：{timezone.localtime():%Y-%m-%d %H:%M}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_pdf(report) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    from jiceng.volunteer.certificate import FONT  # registers STSong-Light

    def style(size, **extra):
        return ParagraphStyle(
            name=f"r{size}", fontName=FONT, fontSize=size, leading=size * 1.5, **extra
        )

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=report.title, leftMargin=18 * mm, rightMargin=18 * mm
    )
    story = [Paragraph(report.title, style(16, alignment=1)), Spacer(1, 5 * mm)]
    for title, paragraphs, table in report.sections:
        story.append(Paragraph(title, style(13)))
        for text in paragraphs:
            story.append(Paragraph(text, style(10.5)))
        if table and len(table) > 1:
            cells = [[Paragraph(str(v), style(9)) for v in row] for row in table]
            grid = Table(cells, repeatRows=1)
            grid.setStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, "#999999"),
                    ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee"),
                ]
            )
            story.append(grid)
        story.append(Spacer(1, 4 * mm))
    story.append(
        Paragraph(f"生成时间：{timezone.localtime():%Y-%m-%d %H:%M}", style(9))
    )
    doc.build(story)
    return buffer.getvalue()
