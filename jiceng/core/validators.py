"""Validation and normalisation of personal identifiers (GB 11643, mobiles, USCC)."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric, uscc

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def to_half_width(value: str) -> str:
    """Turn full-width digits, letters and spaces into their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", value)


ID_SEPARATORS_RE = re.compile(r"[\s\-]")
# A number as a spreadsheet or a CSV writer may spell it: 13760004799.0, 1.376E+10.
FLOAT_TEXT_RE = re.compile(r"(\d+)\.0+")
SCIENTIFIC_RE = re.compile(r"(\d)(?:\.(\d*))?[eE]\+?(\d+)")


def from_scientific(text: str) -> str | None:
    """The digits an Excel number in scientific notation stands for, or None when
    the notation dropped some: 1.3800138000E10 keeps all eleven, 1.376E+10 four."""
    match = SCIENTIFIC_RE.fullmatch(text) if "E" in text or "e" in text else None
    if match is None:
        return None
    first, fraction, exponent = match.group(1), match.group(2) or "", match.group(3)
    # Every digit is there only when the mantissa spells all of them.
    return first + fraction if len(fraction) == int(exponent) else None


def number_text(value) -> str:
    """A cell as text, with a whole number written as a float (13760004799.0, an
    xlsx number cell or a CSV that a program wrote from one) as its digits."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value or "")
    if not text.isascii():  # full-width digits, ideographic spaces
        text = to_half_width(text)
    text = text.strip()
    if "." not in text:  # nearly every cell
        return text
    match = FLOAT_TEXT_RE.fullmatch(text)
    return match.group(1) if match else text


def stored_as_number(value) -> bool:
    """Whether a cell held a number (or its scientific notation), not text."""
    if isinstance(value, (int, float)):
        return True
    text = to_half_width(str(value or "")).strip()
    return bool(SCIENTIFIC_RE.fullmatch(text) or FLOAT_TEXT_RE.fullmatch(text))


def normalize_id_number(value) -> str:
    """Return an ID number as 18 upper-case characters without spaces."""
    if type(value) is str and value.isascii() and "." not in value:
        text = value  # nearly every cell
    else:
        text = number_text(value)
        text = from_scientific(text) or text
    return ID_SEPARATORS_RE.sub("", text).upper()


def normalize_mobile(value) -> str:
    """Return a mobile number as 11 digits; accept +86, spaces, dashes, Excel floats
    and Excel's scientific notation when it kept every digit (1.3800138000E10)."""
    text = number_text(value)
    text = from_scientific(text) or text
    text = re.sub(r"[\s\-()]", "", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    return text


@lru_cache(maxsize=8192)
def known_region_code(code: str) -> bool:
    """Whether a six-digit 行政区划代码 was ever assigned.

    stdnum's own ``ric.validate`` also demands that the code existed in the birth
    year, but GB 11643 numbers carry the county where the number was *issued*, so
    people born before their county's code (most residents over forty) would be
    rejected. We check only that the code is a real one from any year.
    """
    parts = numdb.get("cn/loc").info(code)
    return any("county" in props for _part, props in parts)


@dataclass(frozen=True)
class IdNumberFacts:
    number: str
    birth_date: date
    sex: str  # "M" or "F"


def validate_id_number(value) -> IdNumberFacts:
    """Check a resident ID number (GB 11643-1999) and derive birth date and sex."""
    number = normalize_id_number(value)
    try:
        return id_number_facts(number)
    except ValidationError:
        if number and stored_as_number(value):
            # Excel keeps 15 significant digits: the reason is the cell, not a typo.
            raise ValidationError(
                _(
                    "身份证号被表格存成了数字，后几位已经失真（Excel只保留15位有效数字）："
                    "请把该列设为文本格式，重新填写后导入"
                ),
                code="id_number_numeric",
            ) from None
        raise


def id_number_facts(number: str) -> IdNumberFacts:
    """Check a normalised ID number and derive birth date and sex."""
    if not number:
        raise ValidationError(_("身份证号不能为空"), code="id_number_required")
    if len(number) != 18:
        raise ValidationError(
            _("身份证号应为18位，当前为%(n)d位") % {"n": len(number)},
            code="id_number_length",
        )
    if not number[:17].isdigit():
        raise ValidationError(_("身份证号前17位应为数字"), code="id_number_format")
    try:
        # The birth date first: a mistyped date is the more useful reason to give.
        # (Read directly: stdnum's get_birth_date re-cleans the number, 4× slower
        # than this whole check, and imports call it for every row.)
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(
            _("身份证号中的出生日期无效"), code="id_number_birth"
        ) from exc
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(_("身份证号校验位错误"), code="id_number_checksum")
    if not known_region_code(number[:6]):
        raise ValidationError(_("身份证号中的地区码不存在"), code="id_number_region")
    if birth > date.today():
        raise ValidationError(
            _("身份证号中的出生日期晚于今天"), code="id_number_component"
        )
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdNumberFacts(number=number, birth_date=birth, sex=sex)


def validate_mobile(value) -> str:
    """Check a mainland mobile number and return its 11-digit form."""
    number = normalize_mobile(value)
    if not MOBILE_RE.fullmatch(number):
        if SCIENTIFIC_RE.fullmatch(number):
            raise ValidationError(
                _(
                    "手机号码“%(text)s”是科学计数法，后几位已经丢失："
                    "请把该列设为文本格式，补全号码后重新导入"
                )
                % {"text": number},
                code="mobile_scientific",
            )
        raise ValidationError(_("手机号码应为以1开头的11位数字"), code="mobile_format")
    return number


def validate_credit_code(value) -> str:
    """Check a 统一社会信用代码 (GB 32100-2015) and return its normalised form."""
    code = re.sub(r"\s", "", to_half_width(str(value or ""))).upper()
    try:
        return uscc.validate(code)
    except stdnum_errors.InvalidChecksum as exc:
        raise ValidationError(
            _("统一社会信用代码校验位错误"), code="credit_code_checksum"
        ) from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("统一社会信用代码格式无效"), code="credit_code_format"
        ) from exc


def mask_id_number(number: str) -> str:
    """Show the region code and last four: 110101********1234."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_mobile(number: str) -> str:
    """Show the carrier prefix and last four: 138****5678."""
    if len(number) < 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


class MixedCharacterPasswordValidator:
    """Require both letters and digits in a password."""

    def validate(self, password, user=None):
        if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
            raise ValidationError(
                _("密码必须同时包含字母和数字"), code="password_mixed"
            )

    def get_help_text(self):
        return _("密码必须同时包含字母和数字。")


class MinimumLengthValidator:
    """At least min_length characters (Django's own message is not translated)."""

    def __init__(self, min_length=10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码太短，至少需要%(min_length)d位"),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return _("密码至少需要%(min_length)d位。") % {"min_length": self.min_length}


def compose_id_number(birth="19600101", seq=1, region="510502") -> str:
    """A valid ID number from its parts — region code, birth date (YYYYMMDD) and a
    three-digit sequence — and the GB 11643 check digit (tests, fixtures)."""
    body = f"{region}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")
