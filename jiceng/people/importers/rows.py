"""A prepared resident row, its fast insert, and the table that finds ID numbers
repeated in a file.

Rows are built to travel (pickled from the import's preparing process, see
jiceng.transfer.pipeline), and the digest table stays small at a million rows.
"""

from array import array

from django.utils import timezone

from jiceng.core.crypto import encrypt
from jiceng.core.planner import insert_rows
from jiceng.core.validators import mask_id_number, mask_mobile

from ..models import ResidenceType, Resident

# Columns written by the fast insert, in the order insert_residents builds them.
RESIDENT_COLUMNS = (
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "id_number",
    "id_number_index",
    "id_number_mask",
    "phone",
    "phone_index",
    "phone_mask",
    "place_id",
    "place_path",
    "household_id",
    "relation",
    "residence_type",
    "work_unit_id",
    "employer_name",
    "note",
    "moved_in_on",
    "created_at",
    "updated_at",
)


def protect(fields):
    """What a new resident's row stores for the ID number and the phone, computed
    while preparing (in the import's second process for large files)."""
    number, phone = fields["id_number"], fields.get("phone", "")
    return (
        encrypt(number),
        mask_id_number(number),
        encrypt(phone) if phone else None,
        mask_mobile(phone) if phone else "",
    )


class ResidentRow:
    """One validated row: the values to store and the digests to match on.

    The constructor only assigns (protected comes from protect()), so that a row
    pickled by the preparing process loads quickly.
    """

    __slots__ = (
        "categories",
        "fields",
        "household",
        "id_digest",
        "phone_digest",
        "place_path",
        "protected",
        "row",
    )

    def __init__(
        self,
        row,
        fields,
        id_digest,
        phone_digest,
        place_path,
        household,
        categories,
        protected,
    ):
        self.row = row
        self.fields = fields
        self.id_digest = id_digest
        self.phone_digest = phone_digest
        self.place_path = place_path
        self.household = household
        self.categories = categories
        # (ID ciphertext, ID mask, phone ciphertext or None, phone mask)
        self.protected = protected

    def __reduce__(self):
        return (
            ResidentRow,
            (
                self.row,
                self.fields,
                self.id_digest,
                self.phone_digest,
                self.place_path,
                self.household,
                self.categories,
                self.protected,
            ),
        )


class DigestRows:
    """The first row number of each ID digest in a file, in ~24 bytes a row.

    A dict of digests to row numbers costs over 100 bytes a row (more than 100 MB
    for a million-row file), so memory would grow with the file. This open-addressing
    table keeps the digest's first 8 bytes and the row number in two arrays; the
    digests are HMACs, so their bits are already an even hash.
    """

    MAX_PRESIZED = 1 << 21  # enough for 1,000,000 rows (24 MB); beyond, it grows

    @classmethod
    def for_rows(cls, rows: int):
        """A table that holds rows digests without growing (growing holds the old
        and the new arrays at once: 36 MB at a million rows instead of 24)."""
        capacity = 1 << 12
        while capacity < 2 * rows + 2 and capacity < cls.MAX_PRESIZED:
            capacity *= 2
        return cls(capacity)

    def __init__(self, capacity=1 << 12):
        self._keys = array("Q", [0]) * capacity  # 0 marks an empty slot
        self._rows = array("I", [0]) * capacity
        self._mask = capacity - 1
        self._size = 0
        self._zero_row = None  # a digest whose first 8 bytes are all zero

    def setdefault(self, digest: str, row: int) -> int:
        """Return the first row number seen for digest, recording row if it is new."""
        key = int(digest[:16], 16)
        if key == 0:
            if self._zero_row is None:
                self._zero_row = row
            return self._zero_row
        keys, mask = self._keys, self._mask
        slot = key & mask
        while (found := keys[slot]) != 0:
            if found == key:
                return self._rows[slot]
            slot = (slot + 1) & mask
        keys[slot] = key
        self._rows[slot] = row
        self._size += 1
        if self._size * 2 > mask:
            self._grow()
        return row

    def _grow(self):
        old = zip(self._keys, self._rows, strict=True)
        capacity = (self._mask + 1) * 2
        # built in place: array(…, bytes(n)) would hold a second copy meanwhile
        keys = self._keys = array("Q", [0]) * capacity
        rows = self._rows = array("I", [0]) * capacity
        mask = self._mask = capacity - 1
        for key, row in old:
            if key:
                slot = key & mask
                while keys[slot]:
                    slot = (slot + 1) & mask
                keys[slot] = key
                rows[slot] = row


def insert_residents(items, households, today):
    """Insert new residents (ResidentRows) in one statement.

    Bulk inserting through the ORM spends most of its time compiling values; the
    rows here are already validated, so they go straight to the database (COPY on
    PostgreSQL) with the same encryption, indexes and masks the fields use.
    households: household number -> id.
    """
    now = timezone.now()
    rows = []
    for item in items:
        f = item.fields
        id_cipher, id_mask, phone_cipher, phone_mask = item.protected
        rows.append(
            (
                f["name"],
                f["sex"],
                f["birth_date"],
                f["ethnicity"] or "汉族",
                id_cipher,
                item.id_digest,
                id_mask,
                phone_cipher,
                item.phone_digest,
                phone_mask,
                f["place_id"],
                item.place_path,
                households.get(item.household),
                f["relation"],
                f["residence_type"] or ResidenceType.REGISTERED,
                f["work_unit_id"],
                f["employer_name"],
                f["note"],
                today,
                now,
                now,
            )
        )
    insert_rows(Resident, RESIDENT_COLUMNS, rows)
