"""Calendar-month arithmetic, written once (terms, minimum periods, reporting months)."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta


def add_months(day: date, months: int) -> date:
    """The same day months later or earlier, clamped to the month's last day
    (31 January + 1 month is 28 or 29 February)."""
    return day + relativedelta(months=months)


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return add_months(date(year, month, 1), 1) - timedelta(days=1)


def months_back(month_start: date, n: int):
    """The first days of the n months before month_start, newest first."""
    for back in range(1, n + 1):
        yield add_months(month_start, -back)
