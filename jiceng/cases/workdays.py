"""Time limits counted in working days and hours (Asia/Shanghai).

Public holidays and the weekend days worked in their place (调休) come from the
maintained chinesecalendar package; for years it does not cover yet, weekdays
count as working days until it is updated.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar
from django.utils import timezone

WORK_START = time(8, 30)
WORK_END = time(17, 30)


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    """Cached per process: the package's calendar is fixed until it is upgraded
    (a restart), and a report's time limits ask for the same few days again."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _at(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def add_working_days(start: datetime, days: int) -> datetime:
    """The end of the working day that is `days` working days after start."""
    day = _local(start).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    if days == 0:
        while not is_workday(day):
            day += timedelta(days=1)
    return _at(day, WORK_END)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """start plus `hours` of office time (08:30–17:30 on working days)."""
    remaining = timedelta(hours=hours)
    moment = _local(start)
    while True:
        day = moment.date()
        if is_workday(day):
            opens, closes = _at(day, WORK_START), _at(day, WORK_END)
            begin = max(moment, opens)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        moment = _at(day + timedelta(days=1), WORK_START)


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days from start's date to end's date (for overdue reports)."""
    day, last = _local(start).date(), _local(end).date()
    count = 0
    while day < last:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
