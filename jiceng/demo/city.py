"""Several demo districts in one database: a city.

The first district is the documented demo (中和区, 510502, its accounts ``wangge`` …)
and never changes. Each further district gets its own GB/T 2260-style code (510503,
510504 …), a name drawn from the seed, its own random streams (the seed plus ``d2``,
``d3`` …), its own place on the map beside the first, and demo accounts with the
same roles under a prefix (``d2.wangge``).
"""

from dataclasses import dataclass

from . import names as N
from .common import stream

MAX_DISTRICTS = 20
CITY_PREFIX = N.DISTRICT_CODE[:4]  # 5105: the prefecture
# Further districts' names (fictional), in an order drawn from the seed.
DISTRICT_NAMES = [
    "东岳区",
    "南湖区",
    "西山区",
    "北辰区",
    "临江区",
    "龙泉区",
    "白沙区",
    "金城区",
    "青云区",
    "长宁区",
    "玉泉区",
    "凤鸣区",
    "云台区",
    "清溪区",
    "安澜区",
    "嘉禾区",
    "望江区",
    "松涛区",
    "明月区",
]
# Where district n lies, in district widths and heights from the first (a ring).
MAP_SLOTS = [
    (0, 0),
    (1, 0),
    (-1, 0),
    (0, 1),
    (0, -1),
    (1, 1),
    (-1, 1),
    (1, -1),
    (-1, -1),
    (2, 0),
    (-2, 0),
    (2, 1),
    (-2, 1),
    (2, -1),
    (-2, -1),
    (0, 2),
    (0, -2),
    (1, 2),
    (-1, 2),
    (1, -2),
]


@dataclass(frozen=True)
class DistrictSpec:
    """Who district number ``number`` (1-based) of a seed is."""

    number: int
    code: str
    name: str
    seed: object  # what its random streams are named by

    @property
    def first(self):
        return self.number == 1

    @property
    def slot(self):
        return MAP_SLOTS[self.number - 1]

    def username(self, base):
        """The district's demo account for a role's base username (wangge …)."""
        return base if self.first else f"d{self.number}.{base}"

    def shift(self, index, n):
        """A name list's index for this district: the first starts at 0, each further
        district n names later, so neighbours do not share street names."""
        return index + (self.number - 1) * n


def district_spec(seed, number):
    if not 1 <= number <= MAX_DISTRICTS:
        raise ValueError(f"district number must be 1–{MAX_DISTRICTS}")
    if number == 1:
        return DistrictSpec(1, N.DISTRICT_CODE, N.DISTRICT_NAME, seed)
    names = list(DISTRICT_NAMES)
    stream(seed, "district-names").shuffle(names)
    code = f"{CITY_PREFIX}{int(N.DISTRICT_CODE[4:]) + number - 1:02d}"
    return DistrictSpec(number, code, names[number - 2], f"{seed}:d{number}")


def district_specs(seed, count):
    return [district_spec(seed, n) for n in range(1, count + 1)]
