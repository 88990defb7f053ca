"""Units (单位) with checked credit codes and protected contact phones."""

import pytest
from django.core.exceptions import ValidationError

from jiceng.people import services
from jiceng.people.models import Unit
from jiceng.places.models import Place

pytestmark = pytest.mark.django_db


def test_a_unit_with_a_valid_credit_code_is_registered(people):
    community = Place.objects.get(assignments__user=people["shuji"])
    unit = services.create_unit(
        actor=people["shuji"],
        place=community,
        name="示例科技有限公司",
        kind="private",
        credit_code=" 91110000600037341l ",
        contact_phone="13912345678",
    )
    assert unit.credit_code == "91110000600037341L"
    assert unit.contact_phone_mask == "139****5678"


def test_a_bad_credit_code_is_refused_in_the_form(client_for, people):
    community = Place.objects.get(assignments__user=people["shuji"])
    before = Unit.objects.count()
    response = client_for("shuji").post(
        "/people/units/new/",
        {
            "name": "错码公司",
            "kind": "private",
            "credit_code": "91110000600037341X",
            "place_code": community.code,
        },
    )
    assert response.status_code == 400
    assert "统一社会信用代码校验位错误" in response.content.decode()
    assert 'value="错码公司"' in response.content.decode()
    assert Unit.objects.count() == before


def test_a_credit_code_is_unique(people):
    community = Place.objects.get(assignments__user=people["shuji"])
    existing = Unit.objects.exclude(credit_code=None).first()
    with pytest.raises(ValidationError):
        services.create_unit(
            actor=people["quadmin"],
            place=community,
            name="重复",
            kind="private",
            credit_code=existing.credit_code,
        )
