"""A prepared resident row, and the table that finds ID numbers repeated in a file.

Both are built to travel: rows are pickled from the import's preparing process
(jiceng.transfer.pipeline), and the digest table stays small at a million rows.
"""

from array import array

from jiceng.core.crypto import encrypt
from jiceng.core.validators import mask_id_number, mask_mobile


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
