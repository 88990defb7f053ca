"""Quorum and majority rules of a vote, in exact arithmetic (Fraction and Decimal).

Counts and floor areas never pass through a float: 2/3 of 3,000 households is
exactly 2,000, and 2,000 meets a two-thirds quorum while 1,999 does not.

- simple (过半数): yes > 1/2 of the ballots cast;
- two-thirds (三分之二以上): yes ≥ 2/3 of the ballots cast;
- 业主大会 double majority (一般事项, 民法典第二百七十八条): owners holding ≥ 2/3 of
  the floor area and ≥ 2/3 of the owners take part, and yes > 1/2 of the area
  taking part and > 1/2 of the owners taking part;
- 业主大会 major matters (重大事项): the same participation, yes ≥ 3/4 of both.

Abstentions (弃权) take part but are not yes. The participation rule of simple and
two-thirds votes is the vote's own quorum (default: more than half take part).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _

YES = "同意"
NO = "反对"
ABSTAIN = "弃权"
DEFAULT_CHOICES = [YES, NO, ABSTAIN]


class Rule(models.TextChoices):
    SIMPLE = "simple", _("过半数通过")
    TWO_THIRDS = "two_thirds", _("三分之二以上通过")
    OWNERS = "owners", _("业主大会（面积、人数双过半）")
    OWNERS_MAJOR = "owners_major", _("业主大会重大事项（面积、人数双四分之三）")


OWNER_RULES = (Rule.OWNERS, Rule.OWNERS_MAJOR)
OWNERS_QUORUM = Fraction(2, 3)


@dataclass(frozen=True)
class Threshold:
    """A share that must be reached: strictly above (过半数) or at least (以上)."""

    share: Fraction
    strict: bool

    def met(self, part, whole) -> bool:
        if whole == 0:
            return False
        ratio = Fraction(part) / Fraction(whole)
        return ratio > self.share if self.strict else ratio >= self.share

    def label(self) -> str:
        kind = "超过" if self.strict else "不低于"
        return f"{kind}{self.share.numerator}/{self.share.denominator}"


MAJORITY = {
    Rule.SIMPLE: Threshold(Fraction(1, 2), strict=True),
    Rule.TWO_THIRDS: Threshold(Fraction(2, 3), strict=False),
    Rule.OWNERS: Threshold(Fraction(1, 2), strict=True),
    Rule.OWNERS_MAJOR: Threshold(Fraction(3, 4), strict=False),
}


@dataclass
class Tally:
    """What the ballots and the electorate add up to, and the result under a rule."""

    rule: str
    electorate: int
    electorate_area: Decimal
    counts: dict = field(default_factory=dict)  # choice -> ballots
    areas: dict = field(default_factory=dict)  # choice -> floor area
    quorum: Fraction = Fraction(1, 2)
    quorum_strict: bool = True

    @property
    def cast(self) -> int:
        return sum(self.counts.values())

    @property
    def cast_area(self) -> Decimal:
        return sum(self.areas.values(), Decimal(0))

    @property
    def yes(self) -> int:
        return self.counts.get(YES, 0)

    @property
    def yes_area(self) -> Decimal:
        return self.areas.get(YES, Decimal(0))

    @property
    def quorate(self) -> bool:
        if self.rule in OWNER_RULES:
            needed = Threshold(OWNERS_QUORUM, strict=False)
            return needed.met(self.cast, self.electorate) and needed.met(
                Fraction(self.cast_area), Fraction(self.electorate_area)
            )
        return Threshold(self.quorum, self.quorum_strict).met(
            self.cast, self.electorate
        )

    @property
    def passed(self) -> bool:
        if not self.quorate:
            return False
        majority = MAJORITY[Rule(self.rule)]
        if not majority.met(self.yes, self.cast):
            return False
        if self.rule in OWNER_RULES:
            return majority.met(Fraction(self.yes_area), Fraction(self.cast_area))
        return True

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "electorate": self.electorate,
            "electorate_area": str(self.electorate_area),
            "cast": self.cast,
            "cast_area": str(self.cast_area),
            "counts": dict(self.counts),
            "areas": {k: str(v) for k, v in self.areas.items()},
            "quorate": self.quorate,
            "passed": self.passed,
        }
