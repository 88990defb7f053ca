"""Month arithmetic used by terms, minimum periods and reporting months."""

from datetime import date

from jiceng.core.months import add_months, month_end, months_back


def test_a_month_later_is_clamped_to_the_shorter_month():
    # given the last day of January, when a month is added, then it is February's last
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    # and eighteen years after a leap day is the 28th
    assert add_months(date(2008, 2, 29), 18 * 12) == date(2026, 2, 28)


def test_months_cross_the_year_both_ways():
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert month_end(2026, 12) == date(2026, 12, 31)
    assert month_end(2028, 2) == date(2028, 2, 29)


def test_months_back_lists_the_previous_months_newest_first():
    assert list(months_back(date(2026, 2, 1), 3)) == [
        date(2026, 1, 1),
        date(2025, 12, 1),
        date(2025, 11, 1),
    ]
