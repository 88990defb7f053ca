"""What apps above party contribute to party life, without party importing them.

volunteer organises 主题党日 and records 双报到 and service hours; party counts the
主题党日 in a branch's 三会一课 compliance and shows the hours on a member's page.
volunteer registers its functions here in its AppConfig.ready (as higher apps
register place-page panels in places.panels); with nothing registered party shows
its own records only.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Contribution:
    # (community ids, first day, last day) -> {(community id, year, month): held}
    theme_days: Callable | None = None
    # (member) -> list of (label, value) lines for the member's party-life record
    member_lines: Callable | None = None


CONTRIBUTIONS: dict[str, Contribution] = {}


def contribute(name: str, contribution: Contribution):
    CONTRIBUTIONS[name] = contribution


def theme_days(community_ids, first, last) -> dict:
    held: dict = {}
    for contribution in CONTRIBUTIONS.values():
        if contribution.theme_days:
            for key, n in contribution.theme_days(community_ids, first, last).items():
                held[key] = held.get(key, 0) + n
    return held


def member_lines(member) -> list:
    lines = []
    for contribution in CONTRIBUTIONS.values():
        if contribution.member_lines:
            lines.extend(contribution.member_lines(member))
    return lines
