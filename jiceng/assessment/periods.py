"""Periods as users write them: 2026Q4 (quarter), 2026-11 (month), 2026 (year)."""

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from jiceng.core.months import month_end

from .errors import AssessmentError

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
YEAR = re.compile(r"^(\d{4})$")


def bounds(period: str) -> tuple[date, date]:
    """First and last day of a period; a clear Chinese error for anything else."""
    text = (period or "").strip().upper()
    if found := QUARTER.match(text):
        year, quarter = int(found[1]), int(found[2])
        first = 3 * quarter - 2
        return date(year, first, 1), month_end(year, first + 2)
    if (found := MONTH.match(text)) and 1 <= int(found[2]) <= 12:
        year, month = int(found[1]), int(found[2])
        return date(year, month, 1), month_end(year, month)
    if found := YEAR.match(text):
        return date(int(found[1]), 1, 1), date(int(found[1]), 12, 31)
    raise ValidationError(
        f"期次“{period}”格式错误：季度写作2026Q4，月份写作2026-11，年度写作2026",
        code=AssessmentError.PERIOD,
    )


def kind_of(period: str) -> str:
    text = (period or "").strip().upper()
    bounds(text)
    if QUARTER.match(text):
        return "quarter"
    return "month" if MONTH.match(text) else "year"


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def previous_quarter(day: date) -> str:
    first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return quarter_of(first - timedelta(days=1))


def label(period: str) -> str:
    text = period.strip().upper()
    if found := QUARTER.match(text):
        return f"{found[1]}年第{found[2]}季度"
    if found := MONTH.match(text):
        return f"{found[1]}年{int(found[2])}月"
    return f"{text}年"
