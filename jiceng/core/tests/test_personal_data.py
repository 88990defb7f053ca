"""ID numbers and phones: validated, encrypted at rest, indexed, masked, never logged."""

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from jiceng.core import crypto
from jiceng.core.logging import ScrubPersonalDataFilter, scrub
from jiceng.core.validators import (
    mask_id_number,
    mask_mobile,
    normalize_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)

VALID_ID = "11010519491231002X"


def make_id(region, birth, seq):
    body = f"{region}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last char


@given(
    region=st.sampled_from(["110105", "510502", "140981", "620302"]),
    birth=st.dates(
        min_value=__import__("datetime").date(1920, 1, 1),
        max_value=__import__("datetime").date(2020, 12, 31),
    ),
    seq=st.integers(min_value=0, max_value=999),
)
def test_any_checksummed_id_is_accepted_and_facts_derived(region, birth, seq):
    number = make_id(region, birth.strftime("%Y%m%d"), seq)
    facts = validate_id_number(number)
    assert facts.birth_date == birth
    assert facts.sex == ("M" if seq % 2 else "F")


@given(
    seq=st.integers(min_value=0, max_value=999), wrong=st.sampled_from("0123456789X")
)
def test_a_wrong_check_digit_is_rejected_in_chinese(seq, wrong):
    number = make_id("110105", "19800101", seq)
    if wrong == number[-1]:
        return
    with pytest.raises(ValidationError) as info:
        validate_id_number(number[:-1] + wrong)
    assert info.value.code == "id_number_checksum"
    assert "校验位" in info.value.messages[0]


def test_full_width_digits_spaces_and_lowercase_x_are_normalised():
    messy = " １１０１０５ １９４９１２３１００２ｘ "
    assert validate_id_number(messy).number == VALID_ID


@pytest.mark.parametrize(
    "value,reason",
    [
        ("1101051949123100", "18位"),
        ("11010519491331002X", "出生日期"),
        (make_id("999999", "19491231", 2), "地区码"),
        ("", "不能为空"),
    ],
)
def test_malformed_id_numbers_get_a_clear_reason(value, reason):
    with pytest.raises(ValidationError) as info:
        validate_id_number(value)
    assert reason in info.value.messages[0]


@pytest.mark.parametrize(
    "raw",
    [
        13800138000,
        1.3800138000e10,
        "1.3800138000E10",
        "+86 138-0013-8000",
        "１３８００１３８０００",
    ],
)
def test_mobile_numbers_from_spreadsheets_are_normalised(raw):
    assert validate_mobile(raw) == "13800138000"


def test_a_landline_is_not_a_mobile():
    with pytest.raises(ValidationError) as info:
        validate_mobile("02812345678")
    assert "11位" in info.value.messages[0]
    assert normalize_mobile(None) == ""


def test_credit_codes_are_checked_with_their_check_character():
    assert validate_credit_code("91110000600037341L") == "91110000600037341L"
    with pytest.raises(ValidationError) as info:
        validate_credit_code("91110000600037341X")
    assert "校验" in info.value.messages[0]


def test_masks_show_only_region_and_tail():
    assert mask_id_number(VALID_ID) == "110105********002X"
    assert mask_mobile("13800138000") == "138****8000"


def test_encryption_round_trips_and_is_randomised():
    first, second = crypto.encrypt("13800138000"), crypto.encrypt("13800138000")
    assert first != second
    assert b"13800138000" not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == "13800138000"


def test_tampered_ciphertext_is_refused():
    blob = bytearray(crypto.encrypt(VALID_ID))
    blob[-1] ^= 0x01
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(bytes(blob))


def test_old_keys_still_decrypt_after_rotation():
    old = crypto.encrypt(VALID_ID)
    with override_settings(
        JICENG_FIELD_KEYS="1:0123456789abcdef0123456789abcdef,"
        "2:00112233445566778899aabbccddeeff"
    ):
        new = crypto.encrypt(VALID_ID)
        assert new[1] == 2
        assert crypto.decrypt(old) == crypto.decrypt(new) == VALID_ID


def test_bad_key_configuration_is_reported():
    with (
        override_settings(JICENG_FIELD_KEYS="1:abcd"),
        pytest.raises(ImproperlyConfigured),
    ):
        crypto.encrypt("x")


def test_blind_indexes_are_stable_and_separated_by_purpose():
    assert crypto.blind_index(VALID_ID, purpose="id_number") == crypto.blind_index(
        VALID_ID, purpose="id_number"
    )
    assert crypto.blind_index("13800138000", purpose="phone") != crypto.blind_index(
        "13800138000", purpose="id_number"
    )


def test_logs_never_carry_full_ids_or_phones(caplog):
    logger = logging.getLogger("jiceng.test")
    logger.addFilter(ScrubPersonalDataFilter())
    with caplog.at_level(logging.INFO, logger="jiceng.test"):
        logger.info("查询 %s 电话 %s", VALID_ID, "13800138000")
    assert VALID_ID not in caplog.text and "13800138000" not in caplog.text
    assert "110105********002X" in caplog.text and "138****8000" in caplog.text
    assert scrub("订单号 123456789012345678901") == "订单号 123456789012345678901"
