"""Personal data at rest: a demo resident's ID number and phone are stored encrypted."""

import pytest
from django.db import connection

from jiceng.core import crypto
from jiceng.people.models import Resident


@pytest.mark.django_db
def test_stored_rows_hold_ciphertext_not_plaintext():
    # given a resident from the demo district
    resident = Resident.objects.exclude(phone_mask="").first()
    # when reading the raw columns
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_index FROM people_resident "
            "WHERE id = %s",
            [resident.pk],
        )
        raw_id, raw_phone, index = cursor.fetchone()
    # then no plaintext is stored, but the model decrypts it
    assert resident.id_number.encode() not in bytes(raw_id)
    assert resident.phone.encode() not in bytes(raw_phone)
    assert len(index) == 64 and resident.id_number not in index
    assert (
        Resident.objects.get(
            id_number_index=crypto.blind_index(resident.id_number, purpose="id_number")
        )
        == resident
    )
