"""Match two rosters of people (双向核查): a unit's list against a community's.

Pure functions over plain records, so the same code serves the pages, the tests
and the benchmark. Records are matched one-to-one:

1. the same ID number is the same person (differences elsewhere are conflicts);
2. otherwise candidates come from blocks — same birth date and region in the ID,
   same ID tail, or the same name in pinyin — and are scored on the ID number
   (edit distance tolerates one or two mistyped or two swapped digits) and the name (traditional
   and simplified characters and homophones read alike);
3. pairs are taken best score first; a score above AUTO is a match, between REVIEW
   and AUTO a person decides, below REVIEW the records stay unmatched.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

AUTO = 0.92
REVIEW = 0.70


@lru_cache(maxsize=1)
def _to_simplified():
    # Loaded on first use: the conversion tables and the pinyin dictionary are large,
    # and most processes (web workers) never match rosters.
    import opencc

    return opencc.OpenCC("t2s")


@dataclass
class Person:
    key: object  # the caller's id for the record
    name: str
    id_number: str = ""
    extra: dict = field(default_factory=dict)  # compared for conflicts, e.g. unit


@dataclass
class Pair:
    left: Person
    right: Person
    score: float
    differences: list[str]


@dataclass
class Matching:
    matched: list[Pair]  # score >= AUTO
    review: list[Pair]  # REVIEW <= score < AUTO: a person decides
    only_left: list[Person]
    only_right: list[Person]


@lru_cache(maxsize=200_000)
def normalize_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "")
    text = re.sub(r"[\s·•.\-]", "", text)
    return _to_simplified().convert(text)


@lru_cache(maxsize=200_000)
def name_pinyin(name: str) -> str:
    from pypinyin import lazy_pinyin

    # lower-cased: a roster typed in pinyin writes "Wang Xiuying" or "wangxiuying"
    return "".join(lazy_pinyin(normalize_name(name))).lower()


def normalize_id(number: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", number or "")).upper()


def name_similarity(a: str, b: str) -> float:
    na, nb = normalize_name(a), normalize_name(b)
    if na == nb:
        return 1.0
    by_chars = fuzz.ratio(na, nb) / 100
    by_sound = fuzz.ratio(name_pinyin(a), name_pinyin(b)) / 100
    return max(by_chars, by_sound * 0.95)  # a homophone is nearly, not quite, the same


def id_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    # One wrong digit in 18 is a typo; three or more is another person. Two
    # neighbouring digits swapped is one slip of the hand, not two (OSA distance).
    distance = OSA.distance(a, b)
    return {1: 0.9, 2: 0.75}.get(distance, 0.0)


def score(left: Person, right: Person) -> float:
    ids = id_similarity(left.id_number, right.id_number)
    names = name_similarity(left.name, right.name)
    if ids == 0.0 and left.id_number and right.id_number:
        return names * 0.5  # both have IDs and they disagree: at most a weak candidate
    if not (left.id_number and right.id_number):
        return names * 0.8  # only a name to go by: never an automatic match
    return 0.6 * ids + 0.4 * names


def differences(left: Person, right: Person) -> list[str]:
    found = []
    if normalize_name(left.name) != normalize_name(right.name):
        found.append("姓名")
    if left.id_number and right.id_number and left.id_number != right.id_number:
        found.append("身份证号")
    for key, value in left.extra.items():
        other = right.extra.get(key)
        if value and other and value != other:
            found.append(key)
    return found


def _blocks(person: Person):
    number = person.id_number
    if len(number) == 18:
        yield "birth:" + number[:14]  # region + birth date
        yield "tail:" + number[-8:]
    if person.name:
        yield "py:" + name_pinyin(person.name)


def match(left: list[Person], right: list[Person]) -> Matching:
    for person in (*left, *right):
        person.id_number = normalize_id(person.id_number)
    by_id = {p.id_number: p for p in right if p.id_number}
    pairs = []
    used_left, used_right = set(), set()
    for person in left:
        same = by_id.get(person.id_number) if person.id_number else None
        if same is not None and id(same) not in used_right:
            pairs.append(Pair(person, same, 1.0, differences(person, same)))
            used_left.add(id(person))
            used_right.add(id(same))
    index = {}
    for person in right:
        if id(person) not in used_right:
            for block in _blocks(person):
                index.setdefault(block, []).append(person)
    scored = []
    for person in left:
        if id(person) in used_left:
            continue
        seen = set()
        for block in _blocks(person):
            for other in index.get(block, ()):
                if id(other) in seen:
                    continue
                seen.add(id(other))
                value = score(person, other)
                if value >= REVIEW:
                    scored.append((value, person, other))
    scored.sort(key=lambda item: -item[0])
    review = []
    for value, person, other in scored:
        if id(person) in used_left or id(other) in used_right:
            continue
        used_left.add(id(person))
        used_right.add(id(other))
        pair = Pair(person, other, round(value, 3), differences(person, other))
        (pairs if value >= AUTO else review).append(pair)
    return Matching(
        matched=pairs,
        review=review,
        only_left=[p for p in left if id(p) not in used_left],
        only_right=[p for p in right if id(p) not in used_right],
    )
