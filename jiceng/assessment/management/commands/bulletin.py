"""Generate a bulletin: python manage.py bulletin --place CODE --period 2026-11 --out FILE.docx

Runs as the system (all the place's figures); a .pdf --out writes the PDF."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jiceng.places.models import Place

from ...services import bulletins


class SystemReader:
    """Reads everything (visible_to lets superusers through), audited as system."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    pk = None

    def __str__(self):
        return "system"


class Command(BaseCommand):
    help = "生成月通报/季调度/年总结（docx 或 pdf）"

    def add_arguments(self, parser):
        parser.add_argument("--place", required=True, help="辖区编码")
        parser.add_argument("--period", required=True, help="2026-11 / 2026Q4 / 2026")
        parser.add_argument("--out", required=True, help="输出文件 .docx 或 .pdf")

    def handle(self, *, place, period, out, **options):
        found = Place.objects.filter(code=place).first()
        if found is None:
            raise CommandError(f"辖区编码{place}不存在")
        kind = "pdf" if out.lower().endswith(".pdf") else "docx"
        try:
            report = bulletins.build(SystemReader(), period=period, place=found)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        body = (
            bulletins.to_pdf(report)
            if kind == "pdf"
            else bulletins.to_docx(report, bulletins.template_for(found))
        )
        with open(out, "wb") as handle:
            handle.write(body)
        self.stdout.write(f"{report.title} → {out}（{len(body)}字节）")
