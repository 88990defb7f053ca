"""月通报 / 季调度 / 年总结: one document of the period's figures, generated from
every app's data (case KPIs, rectification, 红黑榜, volunteer hours, 双报到,
deliberation, 共建共治), as .docx (python-docx, in the street's own editable
template when it has one) and as PDF (reportlab).

This is the platform's one bulletin mechanism: alliances' 月通报 buttons come here
(with topic=alliances) instead of keeping a copy of their own.

The PDF uses reportlab's built-in CID font STSong-Light (as the volunteering
certificate does): Adobe's CJK fonts are standard to every PDF reader, so no font
file is installed or embedded and the document renders offline on a fresh server.
The .docx names the East-Asian font 宋体 (SimSun); Word and WPS substitute it.

A street's template is any .docx with these placeholders, each in a paragraph of
its own or inside text: {{标题}} {{期次}} {{辖区}} {{生成时间}}, and {{正文}} in a
paragraph of its own where the sections go.
"""

import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from jiceng.alliances.models import (
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
from jiceng.cases import kpi
from jiceng.cases.models import StatDimension
from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import has_permission, path_prefix
from jiceng.deliberation.models import Topic
from jiceng.places.models import Place
from jiceng.volunteer.models import (
    HoursStatus,
    MemberRegistration,
    RegistrationStatus,
    ServiceHours,
)

from .. import periods
from ..models import (
    Board,
    Bulletin,
    BulletinKind,
    BulletinStatus,
    BulletinTemplate,
    RankingEntry,
    RankingStatus,
)
from . import supervision

PLACEHOLDER_BODY = "{{正文}}"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Report:
    title: str
    start: date
    end: date
    place_name: str = ""
    period_label: str = ""
    sections: list = field(default_factory=list)  # (heading, [paragraphs], table)
    figures: dict = field(default_factory=dict)


# --- figures, one section per app -----------------------------------------------------


def _within(rows, place, lookup):
    return rows.filter(path_prefix(place.path, f"{lookup}__path")) if place else rows


def cases_section(report, user, place):
    months = (report.start.replace(day=1), report.end.replace(day=1))
    prefix = place.path if place else ""
    figures = kpi.totals(kpi.stats(StatDimension.PLACE, months, (prefix,)))
    rate = {k: v if v is not None else "—" for k, v in figures.as_dict().items()}
    report.figures["cases"] = figures.as_dict()
    return (
        "一、事件办理",
        [
            f"受理事件{figures.received}件，办结{figures.closed}件，"
            f"办结率{rate['completion_rate']}%，响应率{rate['response_rate']}%，"
            f"按期办结率{rate['on_time_rate']}%，群众满意率{rate['satisfaction_rate']}%。"
        ],
        None,
    )


def rectification_section(report, user, place):
    total, groups = supervision.rates(
        user,
        by="street" if place is None or place.depth <= 1 else "community",
        within=place,
    )
    report.figures["rectification"] = {
        "found": total.found,
        "fixed": total.fixed,
        "rate": total.rate,
        "overdue": total.overdue,
    }
    return (
        "二、督察检查与整改",
        [f"累计{total.sentence}。"],
        [["单位", "发现问题", "已整改", "整改率", "逾期"]]
        + [
            [g.label, str(g.found), str(g.fixed), f"{g.rate}%", str(g.overdue)]
            for g in groups
        ],
    )


def ranking_section(report, user, place):
    quarter = periods.quarter_of(report.end)
    entries = (
        RankingEntry.objects.filter(
            ranking__status=RankingStatus.PUBLISHED, ranking__period__lte=quarter
        )
        .exclude(board=Board.NONE)
        .select_related("company", "ranking")
        .order_by("-ranking__period", "board", "rank")
    )
    if place is not None:
        entries = entries.filter(path_prefix(place.path, "company__place__path"))
    latest = entries.values_list("ranking__period", flat=True).first()
    rows = [e for e in entries if e.ranking.period == latest][:30]
    red = sum(1 for e in rows if e.board == Board.RED)
    report.figures["ranking"] = {"period": latest, "red": red, "black": len(rows) - red}
    text = (
        f"{periods.label(latest)}红色物业红黑榜：红榜{red}家，黑榜{len(rows) - red}家。"
        if latest
        else "本期尚无已公布的红黑榜。"
    )
    return (
        "三、红色物业红黑榜",
        [text],
        [["榜单", "物业公司", "综合得分", "星级"]]
        + [
            [e.get_board_display(), e.company.name, str(e.score), e.star_text]
            for e in rows
        ],
    )


def volunteering_section(report, user, place):
    hours = _within(
        ServiceHours.objects.visible_to(user).filter(
            status=HoursStatus.CONFIRMED,
            started_at__date__gte=report.start,
            started_at__date__lte=report.end,
        ),
        place,
        "community",
    ).aggregate(h=Sum("hours"), n=Count("volunteer", distinct=True))
    registered = _within(
        MemberRegistration.objects.visible_to(user).filter(
            status=RegistrationStatus.CONFIRMED
        ),
        place,
        "community",
    ).count()
    report.figures["volunteering"] = {
        "hours": float(hours["h"] or 0),
        "volunteers": hours["n"],
        "registered": registered,
    }
    return (
        "四、双报到与志愿服务",
        [
            f"在职党员到社区报到{registered}人；本期志愿服务{hours['h'] or 0}小时，"
            f"参与{hours['n']}人。"
        ],
        None,
    )


def deliberation_section(report, user, place):
    topics = _within(Topic.objects.visible_to(user), place, "community")
    raised = topics.filter(
        created_at__date__gte=report.start, created_at__date__lte=report.end
    ).count()
    decided = topics.filter(
        decided_at__date__gte=report.start, decided_at__date__lte=report.end
    ).count()
    report.figures["deliberation"] = {"raised": raised, "decided": decided}
    return (
        "五、议事协商",
        [f"本期提出议题{raised}个，形成决议{decided}个。"],
        None,
    )


def alliances_sections(report, user, place):
    """共建共治共享 (moved here from alliances' own report)."""
    start, end, today = report.start, report.end, timezone.localdate()
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
    sections = [
        (
            "联席会议与议定事项",
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
    ]
    agreements = Agreement.objects.visible_to(user)
    by_status = dict(
        agreements.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    expiring = agreements.expiring(today).select_related("unit")
    sections.append(
        (
            "共建协议",
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
    sections.append(
        (
            "包联走访",
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
    live = [BookingStatus.APPROVED, BookingStatus.CHECKED_IN, BookingStatus.PENDING]
    figures = bookings.aggregate(
        live=Count("pk", filter=Q(status__in=live)),
        used=Count("pk", filter=Q(status=BookingStatus.CHECKED_IN)),
        cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
    )
    sections.append(
        (
            "共享空间",
            [
                f"场地预约{figures['live']}次，已签到使用{figures['used']}次，"
                f"取消{figures['cancelled']}次。"
            ],
            None,
        )
    )
    report.figures["alliances"] = {"meetings": held.count(), "overdue": overdue.count()}
    return sections


NUMERALS = "一二三四五六七八九十"
TOPICS = {"all", "alliances"}


def build(user, *, period, place=None, topic="all"):
    """Gather the period's figures within what the user may see (and place)."""
    start, end = periods.bounds(period)
    kind = periods.kind_of(period)
    label = BulletinKind(kind).label
    where = place.name if place else ""
    report = Report(
        f"{where}{'共建共治共享工作' if topic == 'alliances' else '基层治理工作'}"
        f"{label}（{start:%Y年%m月%d日}—{end:%m月%d日}）",
        start,
        end,
        where,
        periods.label(period),
    )
    if topic == "alliances":
        for n, (heading, paragraphs, table) in enumerate(
            alliances_sections(report, user, place)
        ):
            report.sections.append((f"{NUMERALS[n]}、{heading}", paragraphs, table))
        return report
    for builder in (
        cases_section,
        rectification_section,
        ranking_section,
        volunteering_section,
        deliberation_section,
    ):
        report.sections.append(builder(report, user, place))
    for heading, paragraphs, table in alliances_sections(report, user, place):
        report.sections.append((f"六、共建共治：{heading}", paragraphs, table))
    return report


def current_period(kind, today=None):
    """The running month / quarter / year as a period code."""
    today = today or timezone.localdate()
    if kind == "year":
        return str(today.year)
    if kind == "quarter":
        return periods.quarter_of(today)
    return f"{today:%Y-%m}"


# --- documents ------------------------------------------------------------------------


def _fill(paragraph, values):
    text = paragraph.text
    if "{{" not in text:
        return
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    for run in paragraph.runs[1:]:
        run.text = ""
    if paragraph.runs:
        paragraph.runs[0].text = text
    else:
        paragraph.add_run(text)


def _body(document, report, anchor=None):
    """Add the sections at the end, or before the anchor paragraph ({{正文}})."""
    from docx.oxml.ns import qn

    def paragraph(text, style=None):
        made = document.add_paragraph(text, style=style)
        if anchor is not None:
            anchor._p.addprevious(made._p)
        return made

    for title, paragraphs, table in report.sections:
        heading = paragraph(title, style="Heading 2")
        for run in heading.runs:
            run.font.name = "SimHei"
            run._element.get_or_add_rPr().get_or_add_rFonts().set(
                qn("w:eastAsia"), "黑体"
            )
        for text in paragraphs:
            paragraph(text)
        if table and len(table) > 1:
            grid = document.add_table(rows=0, cols=len(table[0]))
            grid.style = "Table Grid"
            for row in table:
                cells = grid.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = value
            if anchor is not None:
                anchor._p.addprevious(grid._tbl)


def default_document(report):
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
    _body(document, report)
    document.add_paragraph(f"生成时间：{timezone.localtime():%Y-%m-%d %H:%M}")
    return document


def to_docx(report, template=None) -> bytes:
    """The bulletin as .docx: in the street's template (a file-like) or the default."""
    from docx import Document

    if template is None:
        document = default_document(report)
    else:
        document = Document(template)
        values = {
            "标题": report.title,
            "期次": report.period_label,
            "辖区": report.place_name,
            "生成时间": f"{timezone.localtime():%Y-%m-%d %H:%M}",
        }
        anchor = next(
            (p for p in document.paragraphs if PLACEHOLDER_BODY in p.text), None
        )
        if anchor is None:
            _body(document, report)
        else:
            _body(document, report, anchor)
            anchor._p.getparent().remove(anchor._p)
        for paragraph in document.paragraphs:
            _fill(paragraph, values)
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


def template_for(place):
    """The nearest street/district template above (or at) place, as a file, or None."""
    if place is None:
        return None
    found = (
        BulletinTemplate.objects.filter(place__path__in=Place.lineage_paths(place.path))
        .order_by("-place__depth")
        .first()
    )
    if found is None:
        return None
    found.file.open("rb")
    try:
        return io.BytesIO(found.file.read())
    finally:
        found.file.close()


def document(user, *, period, place=None, topic="all", kind="docx"):
    """(report, bytes) of a bulletin, audited as an export."""
    report = build(user, period=period, place=place, topic=topic)
    body = to_pdf(report) if kind == "pdf" else to_docx(report, template_for(place))
    audit.record(
        actor=user,
        action=AuditAction.EXPORT,
        target_type="assessment.bulletin",
        target_id=period,
        target_repr=report.title,
    )
    return report, body


def _require(actor, place):
    if not has_permission(actor, "assessment.bulletin"):
        raise PermissionDenied("无权生成通报")
    if not Place.objects.visible_to(actor).filter(pk=place.pk).exists():
        raise PermissionDenied("超出权限范围")


@transaction.atomic
def save_template(*, actor, place, file):
    """A street uploads its own Word template (checked to open as .docx)."""
    from docx import Document

    _require(actor, place)
    try:
        Document(file)
    except Exception:
        raise ValidationError({"file": "模板须为Word（.docx）文件"}) from None
    file.seek(0)
    row, _ = BulletinTemplate.objects.update_or_create(
        place=place, defaults={"file": file, "uploaded_by": actor}
    )
    audit.record(actor=actor, action=AuditAction.UPDATE, target=row)
    return row


@transaction.atomic
def generate(*, actor, place, period):
    """Generate and keep a bulletin (draft) for a place and period."""
    _require(actor, place)
    report = build(actor, period=period, place=place)
    bulletin = Bulletin(
        place=place,
        kind=periods.kind_of(period),
        period=period,
        title=report.title,
        figures=report.figures,
        created_by=actor,
    )
    bulletin.file.save(
        f"bulletin-{place.code}-{period}.docx",
        ContentFile(to_docx(report, template_for(place))),
        save=False,
    )
    bulletin.save()
    audit.record(actor=actor, action=AuditAction.CREATE, target=bulletin)
    return bulletin


@transaction.atomic
def publish(*, actor, bulletin, public=False):
    """Publish internally at once; a public release waits for approval."""
    _require(actor, bulletin.place)
    row = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if row.status not in (BulletinStatus.DRAFT, BulletinStatus.INTERNAL):
        raise ValidationError("该通报已提交公开或已公开")
    before = row.status
    row.status = BulletinStatus.PENDING if public else BulletinStatus.INTERNAL
    if not public:
        row.published_at = timezone.now()
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=row,
        changes={"status": [before, row.status]},
    )
    return row


@transaction.atomic
def approve(*, actor, bulletin):
    """A street or district leader approves a bulletin for the public page."""
    if not has_permission(actor, "assessment.rank"):
        raise PermissionDenied("只有街道或区级管理员可以审批公开")
    row = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if not Bulletin.objects.visible_to(actor).filter(pk=row.pk).exists():
        raise PermissionDenied("超出权限范围")
    if row.status != BulletinStatus.PENDING:
        raise ValidationError("该通报未提交公开")
    row.status, row.approved_by = BulletinStatus.PUBLIC, actor
    row.published_at = timezone.now()
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=row,
        changes={"status": ["pending", "public"]},
    )
    return row
