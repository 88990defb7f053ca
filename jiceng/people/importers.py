"""Import residents, households and units from the communities' own 台账.

Residents are matched by the blind index of their ID number: a known person is
updated (only the cells that are filled in), an unknown one created, an identical
row left unchanged. A chunk of rows costs a handful of queries, whatever its size.
"""

import re
from array import array

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jiceng.core.crypto import blind_index, encrypt
from jiceng.core.planner import column_in
from jiceng.core.tabular import cell_date, cell_text
from jiceng.core.validators import (
    mask_id_number,
    mask_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)
from jiceng.places.models import Place
from jiceng.places.resolver import PlaceResolver
from jiceng.transfer.registry import (
    CREATED,
    REJECTED,
    UNCHANGED,
    UPDATED,
    Importer,
    RowByRowImporter,
    RowOutcome,
    register_importer,
)

from . import services, tags
from .models import (
    GigWorker,
    Household,
    Incubation,
    KeyPopulation,
    Occupancy,
    Occupation,
    Relation,
    ResidenceType,
    Resident,
    ResidentTag,
    Unit,
    UnitKind,
)
from .services import RESIDENT_PLACE_KINDS

RELATION_BY_LABEL = {str(label): value for value, label in Relation.choices}
RELATION_BY_LABEL.update(
    {
        "本人": Relation.HEAD,
        "妻": Relation.SPOUSE,
        "夫": Relation.SPOUSE,
        "子": Relation.CHILD,
        "女": Relation.CHILD,
        "长子": Relation.CHILD,
        "长女": Relation.CHILD,
        "次子": Relation.CHILD,
        "次女": Relation.CHILD,
        "父亲": Relation.PARENT,
        "母亲": Relation.PARENT,
        "孙子": Relation.GRANDCHILD,
        "孙女": Relation.GRANDCHILD,
    }
)
RESIDENCE_BY_LABEL = {str(label): value for value, label in ResidenceType.choices}
RESIDENCE_BY_LABEL.update(
    {
        "户籍人口": ResidenceType.REGISTERED,
        "常住人口": ResidenceType.PERMANENT,
        "流动人口": ResidenceType.FLOATING,
        "租户": ResidenceType.TENANT,
        "人户分离": ResidenceType.PERMANENT,
    }
)
UNIT_KIND_BY_LABEL = {str(label): value for value, label in UnitKind.choices}
INCUBATION_BY_LABEL = {str(label): value for value, label in Incubation.choices}


def choice(value, by_label, what):
    text = cell_text(value)
    if not text:
        return ""
    if text in by_label:
        return by_label[text]
    if text in by_label.values():
        return text
    raise ValidationError(f"{what}“{text}”无效，应为：" + "、".join(by_label))


def first_message(exc: ValidationError) -> str:
    return "；".join(exc.messages)


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


# Columns written by the fast insert, in the order ResidentImporter._create builds them.
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


def insert_rows(model, columns, rows):
    """Insert prepared rows: COPY on PostgreSQL, executemany elsewhere."""
    table = model._meta.db_table
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The raw psycopg cursor: wrap its errors as Django's (IntegrityError…).
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            # Table and column names come from the model, values are parameters.
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)


def household_ids(wanted) -> dict:
    """{household number: id} for {number: place_id}, creating the missing ones at
    that place; a number another import creates meanwhile is left as it is.

    Raw statements: the ORM prepares every value of a 5,000-item IN list one by one,
    which took longer than the database did.
    """
    table = Household._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement: the SELECT sees the rows from before the INSERT, which
            # returns only those it created, so together they are every number once.
            cursor.execute(  # table name from the model, values as parameters
                "WITH wanted (number, place_id) AS ("  # noqa: S608
                "  SELECT * FROM unnest(%s::text[], %s::bigint[])), "
                f"created AS (INSERT INTO {table} (number, place_id, note) "
                "  SELECT number, place_id, '' FROM wanted "
                "  ON CONFLICT (number) DO NOTHING RETURNING number, id) "
                "SELECT number, id FROM created UNION ALL "
                f"SELECT h.number, h.id FROM {table} h JOIN wanted USING (number)",
                [list(wanted), list(wanted.values())],
            )
            found = dict(cursor.fetchall())
            if len(found) < len(wanted):
                # created by another import after this statement's snapshot
                late = [n for n in wanted if n not in found]
                found.update(_household_ids_in(cursor, late))
            return found
        found = _household_ids_in(cursor, list(wanted))
        missing = [(n, place) for n, place in wanted.items() if n not in found]
        if missing:
            cursor.executemany(  # table name from the model, values as parameters
                f"INSERT INTO {table} (number, place_id, note) "  # noqa: S608
                "VALUES (%s, %s, '') ON CONFLICT (number) DO NOTHING",
                missing,
            )
            found.update(_household_ids_in(cursor, [n for n, _ in missing]))
        return found


def _household_ids_in(cursor, numbers):
    condition, params = column_in("number", numbers)
    cursor.execute(  # table name from the model, values as parameters
        f"SELECT number, id FROM {Household._meta.db_table} "  # noqa: S608
        f"WHERE {condition}",
        params,
    )
    return dict(cursor.fetchall())


CATEGORY_SPLIT_RE = re.compile(r"[、,，;；/\s]+")

# Compared with what is stored to tell "updated" from "unchanged".
COMPARED = (
    "name",
    "place_id",
    "relation",
    "residence_type",
    "ethnicity",
    "work_unit_id",
    "employer_name",
    "note",
)


@register_importer
class ResidentImporter(Importer):
    kind = "residents"
    label = "居民"
    permission = "people.change"
    # Each commit rewrites the touched pages of the big random-keyed blind indexes,
    # so larger chunks write less; 5,000 was as fast as 10,000 with less memory.
    chunk_size = 5000
    prepare_in_worker = True
    bulk_models = (Resident, Household, Occupancy)
    columns = [
        "姓名",
        "身份证号",
        "手机号码",
        "住址编码",
        "住址",
        "户号",
        "与户主关系",
        "居住类型",
        "民族",
        "工作单位",
        "重点人群",
        "备注",
    ]
    required = {"姓名", "身份证号"}
    aliases = {
        "身份证号码": "身份证号",
        "公民身份号码": "身份证号",
        "证件号码": "身份证号",
        "联系电话": "手机号码",
        "手机号": "手机号码",
        "电话": "手机号码",
        "联系方式": "手机号码",
        "地址": "住址",
        "现住址": "住址",
        "居住地址": "住址",
        "房屋编码": "住址编码",
        "人员类型": "居住类型",
        "户主关系": "与户主关系",
        "与户主的关系": "与户主关系",
        "工作单位名称": "工作单位",
        "服务处所": "工作单位",
        "人员类别": "重点人群",
        "特殊人群": "重点人群",
        "重点人群类别": "重点人群",
    }
    example_rows = [
        [
            "王秀英",
            "11010519491231002X",
            "13800138000",
            "",
            "幸福小区 3栋 2单元 301室",
            "F0001",
            "户主",
            "户籍",
            "汉族",
            "",
            "独居老人、高龄老人",
            "",
        ],
    ]

    def __init__(self, actor, *, dry_run):
        super().__init__(actor, dry_run=dry_run)
        self.places = PlaceResolver(actor, self.permission, kinds=RESIDENT_PLACE_KINDS)
        self.key_populations = None
        self.seen = DigestRows()  # ID digest -> first row number, for in-file repeats
        self.units = None
        self.today = timezone.localdate()
        self.all_new_likely = True

    def expect(self, rows):
        self.seen = DigestRows.for_rows(rows)

    # --- parsing ---------------------------------------------------------------------

    def _unit(self, text):
        """Return (unit_id, free-text name) for a 工作单位 cell."""
        if not text:
            return None, ""
        if self.units is None:
            self.units = {}
            for pk, name, code in Unit.objects.values_list("pk", "name", "credit_code"):
                self.units.setdefault(name, pk)
                if code:
                    self.units[code] = pk
        pk = self.units.get(text)
        return (pk, "") if pk else (None, text[:200])

    def parse(self, row) -> ResidentRow:
        values = row.values
        name = cell_text(values.get("姓名"))
        if not name:
            raise ValidationError("姓名不能为空")
        if len(name) > 50:
            raise ValidationError("姓名超过50个字")
        facts = validate_id_number(values.get("身份证号"))
        phone = cell_text(values.get("手机号码"))
        phone = validate_mobile(phone) if phone else ""
        code, address = cell_text(values.get("住址编码")), cell_text(values.get("住址"))
        try:
            if code:
                place_id, place_path = self.places.by_code(code)
            elif address:
                place_id, place_path = self.places.by_address(address)
            else:
                raise ValidationError("住址编码和住址不能都为空")
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        unit_id, employer = self._unit(cell_text(values.get("工作单位")))
        fields = {
            "name": name,
            "id_number": facts.number,
            "birth_date": facts.birth_date,
            "sex": facts.sex,
            "place_id": place_id,
            "relation": choice(
                values.get("与户主关系"), RELATION_BY_LABEL, "与户主关系"
            ),
            "residence_type": choice(
                values.get("居住类型"), RESIDENCE_BY_LABEL, "居住类型"
            ),
            "ethnicity": cell_text(values.get("民族"))[:20],
            "work_unit_id": unit_id,
            "employer_name": employer,
            "note": cell_text(values.get("备注")),
        }
        if phone:
            fields["phone"] = phone
        return ResidentRow(
            row,
            fields,
            blind_index(facts.number, purpose="id_number"),
            blind_index(phone, purpose="phone") if phone else None,
            place_path,
            cell_text(values.get("户号"))[:32],
            self._categories(cell_text(values.get("重点人群")), place_path),
            protect(fields),
        )

    def _categories(self, text, place_path):
        """The key-population categories a row names; never more than the actor may see."""
        if not text:
            return ()
        if self.key_populations is None:
            self.key_populations = {}
            for category in KeyPopulation.objects.filter(active=True):
                self.key_populations[category.name] = category
                self.key_populations[category.code] = category
        found = []
        for name in CATEGORY_SPLIT_RE.split(text):
            if not name:
                continue
            category = self.key_populations.get(name)
            if category is None:
                raise ValidationError(f"重点人群类别“{name}”不存在")
            if tags.sensitivity_at(self.actor, place_path) < category.sensitivity:
                raise ValidationError(f"无权登记“{category.name}”")
            found.append(category)
        return found

    def _tag(self, parsed, outcomes):
        """Open the tags a row names that the resident does not have yet.

        The ledger only adds: a category missing from a row ends nothing, since many
        ledgers carry only some categories. A row that adds a tag counts as updated.
        """
        wanted = [p for p in parsed if p.categories]
        if not wanted:
            return
        ids = dict(
            Resident.objects.filter(
                id_number_index__in=[p.id_digest for p in wanted]
            ).values_list("id_number_index", "pk")
        )
        open_tags = set(
            ResidentTag.objects.filter(
                resident_id__in=ids.values(), ended_on=None
            ).values_list("resident_id", "category_id")
        )
        by_row = {id(o.row): o for o in outcomes}
        new = []
        for item in wanted:
            resident_id, outcome = ids.get(item.id_digest), by_row.get(id(item.row))
            if resident_id is None or outcome is None or outcome.result == REJECTED:
                continue
            for category in item.categories:
                if (resident_id, category.pk) in open_tags:
                    continue
                open_tags.add((resident_id, category.pk))
                new.append(
                    ResidentTag(
                        resident_id=resident_id,
                        category=category,
                        reason="台账导入",
                        tagged_by=self.actor,
                        tagged_on=self.today,
                        reviewer=self.actor,
                        next_review_on=category.next_review_from(self.today),
                    )
                )
                if outcome.result == UNCHANGED:
                    outcome.result = UPDATED
        ResidentTag.objects.bulk_create(new)

    # --- one chunk -------------------------------------------------------------------

    def prepare(self, rows):
        """Parse and check a chunk: (rejected outcomes, parsed rows).

        Chunks may be prepared in either process (pipeline.py), so nothing here
        depends on earlier chunks: repeats within the file are found by write().
        """
        outcomes, parsed = [], []
        self.places.prefetch_codes(cell_text(r.values.get("住址编码")) for r in rows)
        for row in rows:
            try:
                item = self.parse(row)
            except ValidationError as exc:
                outcomes.append(RowOutcome(row, REJECTED, first_message(exc)))
                continue
            row.values = None  # parsed into item.fields; cells stay for a rejection
            parsed.append(item)
        return outcomes, parsed

    def _first_in_file(self, outcomes, parsed):
        """The rows whose ID number no earlier row of the file had; the others are
        rejected. write() sees the chunks in file order, whoever prepared them."""
        kept = []
        for item in parsed:
            number = item.row.number
            first = self.seen.setdefault(item.id_digest, number)
            if first != number:
                outcomes.append(
                    RowOutcome(item.row, REJECTED, f"身份证号与本文件第{first}行重复")
                )
                continue
            kept.append(item)
        return kept

    def write(self, prepared):
        outcomes, parsed = prepared
        parsed = self._first_in_file(outcomes, parsed)
        for attempt in range(2):
            try:
                with transaction.atomic():
                    saved = self._save(parsed)
                    self._tag(parsed, saved)
                outcomes.extend(saved)
                break
            except IntegrityError:
                # Another import created some of these people since we looked: look
                # again, and they become updates.
                if attempt:
                    raise
        return outcomes

    def _existing(self, parsed):
        """The stored residents with these ID numbers, by digest.

        One raw query, like household_ids(): the ORM's preparation of a 5,000-item
        IN list cost more than the lookup itself.
        """
        if not parsed:
            return {}
        names = ("pk", "id_number_index", "phone_index", "place__path")
        names += ("household_id", "moved_in_on", *COMPARED)
        columns = ", ".join(f"r.{Resident._meta.get_field(n).column}" for n in COMPARED)
        condition, params = column_in(
            "r.id_number_index", [p.id_digest for p in parsed], plain=True
        )
        with connection.cursor() as cursor:
            cursor.execute(  # names from the models, values as parameters
                "SELECT r.id, r.id_number_index, r.phone_index, p.path, "  # noqa: S608
                f"r.household_id, r.moved_in_on, {columns} "
                f"FROM {Resident._meta.db_table} r "
                f"JOIN {Place._meta.db_table} p ON p.id = r.place_id "
                f"WHERE {condition}",
                params,
            )
            return {row[1]: dict(zip(names, row, strict=True)) for row in cursor}

    def _save(self, parsed):
        households = self._households(parsed)
        if self.all_new_likely:
            # A first import of a register is all new people: insert the chunk
            # without looking anyone up. One known ID number fails the insert (the
            # unique blind index) and the chunk takes the path below instead.
            try:
                with transaction.atomic():
                    return self._create(parsed, households)
            except IntegrityError:
                self.all_new_likely = False
        existing = self._existing(parsed)
        # Try again once a chunk has nobody the register knows.
        self.all_new_likely = not existing
        outcomes, creates, updates, moves = [], [], [], []
        now = timezone.now()
        for item in parsed:
            fields = dict(item.fields)
            fields["household_id"] = households.get(item.household)
            stored = existing.get(item.id_digest)
            if stored is None:
                creates.append(item)
                continue
            if not self.places.allowed(stored["place__path"]):
                outcomes.append(
                    RowOutcome(
                        item.row,
                        REJECTED,
                        "该居民已在其他辖区登记，请联系其所在社区更新",
                    )
                )
                continue
            changed = self._changes(stored, fields, item)
            if not changed:
                outcomes.append(RowOutcome(item.row, UNCHANGED))
                continue
            resident = Resident(
                pk=stored["pk"],
                updated_at=now,
                **{k: fields[k] for k in changed if k != "phone"},
            )
            if "household_id" not in changed:
                resident.household_id = stored["household_id"]
            if "phone" in changed:
                resident.phone = fields["phone"]
                resident.phone_index = item.phone_digest
                resident.phone_mask = mask_mobile(fields["phone"])
            if services.ends_stay(
                place_id=stored["place_id"],
                household_id=stored["household_id"],
                # a blank cell keeps what is stored (see _changes)
                new_place_id=fields["place_id"] or stored["place_id"],
                new_household_id=fields["household_id"] or stored["household_id"],
            ):
                moves.append(stored)
                resident.moved_in_on = self.today
                changed.append("moved_in_on")
            updates.append((resident, changed))
            outcomes.append(RowOutcome(item.row, UPDATED))
        outcomes.extend(self._create(creates, households))
        self._update(updates)
        self._move(moves)
        return outcomes

    def _changes(self, stored, fields, item):
        changed = []
        for name in COMPARED:
            new = fields[name]
            # A blank cell keeps what is stored: 台账 often leave columns empty.
            if new in ("", None) and name not in ("work_unit_id",):
                continue
            if name == "work_unit_id" and new is None and fields["employer_name"] == "":
                continue
            if stored[name] != new:
                changed.append(name)
        if (
            fields.get("household_id")
            and stored["household_id"] != fields["household_id"]
        ):
            changed.append("household_id")
        if item.phone_digest and stored["phone_index"] != item.phone_digest:
            changed.append("phone")
        return changed

    def _households(self, parsed):
        """Household number -> id, creating the missing ones at the row's place."""
        wanted = {p.household: p.fields["place_id"] for p in parsed if p.household}
        return household_ids(wanted) if wanted else {}

    def _create(self, creates, households):
        """Insert new residents in one statement.

        Bulk inserting through the ORM spends most of its time compiling values; the
        rows here are already validated, so they go straight to the database (COPY
        on PostgreSQL) with the same encryption, indexes and masks the fields use.
        """
        if not creates:
            return []
        now = timezone.now()
        rows = []
        for item in creates:
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
                    households.get(item.household),
                    f["relation"],
                    f["residence_type"] or ResidenceType.REGISTERED,
                    f["work_unit_id"],
                    f["employer_name"],
                    f["note"],
                    self.today,
                    now,
                    now,
                )
            )
        insert_rows(Resident, RESIDENT_COLUMNS, rows)
        return [RowOutcome(item.row, CREATED) for item in creates]

    def _update(self, updates):
        by_fields = {}
        for resident, changed in updates:
            names = tuple(sorted("phone" if c == "phone" else c for c in changed))
            by_fields.setdefault(names, []).append(resident)
        for names, residents in by_fields.items():
            fields = [n.removesuffix("_id") for n in names if n != "phone"]
            if "phone" in names:
                fields += ["phone", "phone_index", "phone_mask"]
            Resident.objects.bulk_update(
                residents, [*fields, "updated_at"], batch_size=500
            )

    def _move(self, moved):
        """A new dwelling or household keeps the stay it ends (as stored before) as
        an Occupancy."""
        Occupancy.objects.bulk_create(
            [
                Occupancy(
                    resident_id=stored["pk"],
                    place_id=stored["place_id"],
                    household_id=stored["household_id"],
                    started_on=stored["moved_in_on"],
                    ended_on=self.today,
                )
                for stored in moved
            ]
        )


@register_importer
class UnitImporter(RowByRowImporter):
    kind = "units"
    label = "单位"
    permission = "people.change"
    columns = [
        "单位名称",
        "单位类型",
        "统一社会信用代码",
        "所在地编码",
        "地址",
        "党组织名称",
        "联系人",
        "联系电话",
        "从业人数",
        "孵化状态",
        "备注",
    ]
    required = {"单位名称", "所在地编码"}
    aliases = {
        "名称": "单位名称",
        "企业名称": "单位名称",
        "信用代码": "统一社会信用代码",
        "社会信用代码": "统一社会信用代码",
        "类型": "单位类型",
        "住所": "地址",
        "员工人数": "从业人数",
        "职工人数": "从业人数",
    }
    example_rows = [
        [
            "中和区幸福物业服务有限公司",
            "物业服务企业",
            "91110000600037341L",
            "510502001001",
            "幸福路1号",
            "幸福物业党支部",
            "李明",
            "13800138000",
            "35",
            "",
            "",
        ]
    ]

    def __init__(self, actor, *, dry_run):
        super().__init__(actor, dry_run=dry_run)
        self.places = PlaceResolver(
            actor,
            self.permission,
            kinds={"grid", "compound", "building", "community", "street"},
        )
        self.seen = {}

    def import_row(self, row):
        values = row.values
        name = cell_text(values.get("单位名称"))
        if not name:
            raise ValidationError("单位名称不能为空")
        code = cell_text(values.get("统一社会信用代码"))
        code = validate_credit_code(code) if code else None
        key = code or name
        if key in self.seen:
            raise ValidationError(f"与本文件第{self.seen[key]}行是同一单位")
        self.seen[key] = row.number
        try:
            place_id, _path = self.places.by_code(cell_text(values.get("所在地编码")))
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        staff = cell_text(values.get("从业人数"))
        if staff and not staff.isdigit():
            raise ValidationError(f"从业人数“{staff}”应为整数")
        fields = {
            "name": name[:200],
            "kind": choice(values.get("单位类型"), UNIT_KIND_BY_LABEL, "单位类型")
            or UnitKind.OTHER,
            "credit_code": code,
            "place": place_id,
            "address": cell_text(values.get("地址"))[:200],
            "party_org_name": cell_text(values.get("党组织名称"))[:200],
            "contact_name": cell_text(values.get("联系人"))[:50],
            "contact_phone": cell_text(values.get("联系电话")),
            "staff_count": int(staff) if staff else None,
            "incubation": choice(
                values.get("孵化状态"), INCUBATION_BY_LABEL, "孵化状态"
            ),
            "note": cell_text(values.get("备注")),
        }
        fields["place"] = Place.objects.get(pk=place_id)
        existing = (
            Unit.objects.filter(credit_code=code)
            if code
            else Unit.objects.filter(name=name, place_id=place_id)
        ).first()
        if existing is None:
            services.create_unit(actor=self.actor, **fields)
            return CREATED
        fields = {k: v for k, v in fields.items() if v not in ("", None)}
        current = {k: getattr(existing, k) for k in fields}
        if current == fields:
            return UNCHANGED
        services.update_unit(actor=self.actor, unit=existing, **fields)
        return UPDATED


def _date(value, what):
    try:
        return cell_date(value)
    except ValueError as exc:
        raise ValidationError(
            f"{what}“{cell_text(value)}”无法识别，请写成2023-05-01或2023年5月1日"
        ) from exc


YES = {"是", "Y", "y", "1", "√", "党员", "中共党员", "TRUE", "True"}
OCCUPATION_BY_LABEL = {str(label): value for value, label in Occupation.choices}
OCCUPATION_BY_LABEL.update(
    {
        "快递小哥": Occupation.COURIER,
        "外卖员": Occupation.RIDER,
        "骑手": Occupation.RIDER,
        "网约车": Occupation.RIDE_HAILING,
        "货车司机": Occupation.TRUCKER,
        "主播": Occupation.STREAMER,
    }
)


@register_importer
class WorkerImporter(RowByRowImporter):
    kind = "workers"
    label = "新就业群体"
    permission = "people.change"
    columns = [
        "姓名",
        "身份证号",
        "手机号码",
        "职业",
        "平台/公司",
        "报到社区编码",
        "服务区域",
        "报到日期",
        "是否党员",
        "备注",
    ]
    required = {"姓名", "身份证号", "职业", "报到社区编码"}
    aliases = {
        "身份证号码": "身份证号",
        "联系电话": "手机号码",
        "手机号": "手机号码",
        "从业类型": "职业",
        "平台": "平台/公司",
        "所属平台": "平台/公司",
        "公司": "平台/公司",
        "社区编码": "报到社区编码",
        "政治面貌": "是否党员",
    }
    example_rows = [
        [
            "刘骑手",
            "11010519491231002X",
            "13800138000",
            "外卖骑手",
            "美团",
            "510502001001",
            "幸福路商圈",
            "2026-03-01",
            "否",
            "",
        ]
    ]

    def __init__(self, actor, *, dry_run):
        super().__init__(actor, dry_run=dry_run)
        self.places = PlaceResolver(actor, self.permission, kinds={"community"})

    def import_row(self, row):
        values = row.values
        try:
            community_id, _path = self.places.by_code(
                cell_text(values.get("报到社区编码"))
            )
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        fields = {
            "name": cell_text(values.get("姓名"))[:50],
            "id_number": validate_id_number(values.get("身份证号")).number,
            "phone": cell_text(values.get("手机号码")),
            "occupation": choice(values.get("职业"), OCCUPATION_BY_LABEL, "职业"),
            "platform": cell_text(values.get("平台/公司"))[:100],
            "community": Place.objects.get(pk=community_id),
            "service_area": cell_text(values.get("服务区域"))[:200],
            "reported_on": _date(values.get("报到日期"), "报到日期"),
            "is_party_member": cell_text(values.get("是否党员")) in YES,
            "note": cell_text(values.get("备注")),
        }
        if not fields["name"] or not fields["occupation"]:
            raise ValidationError("姓名和职业不能为空")
        digest = blind_index(fields["id_number"], purpose="id_number")
        existing = GigWorker.objects.filter(id_number_index=digest).first()
        if existing is None:
            if fields["reported_on"] is None:
                fields.pop("reported_on")
            services.create_worker(actor=self.actor, **fields)
            return CREATED
        fields.pop("id_number")
        fields = {k: v for k, v in fields.items() if v not in ("", None)}
        if fields.get("phone") == existing.phone:
            fields.pop("phone")
        if all(getattr(existing, k) == v for k, v in fields.items()):
            return UNCHANGED
        services.update_worker(actor=self.actor, worker=existing, **fields)
        return UPDATED


@register_importer
class HouseholdImporter(RowByRowImporter):
    kind = "households"
    label = "户"
    permission = "people.change"
    columns = ["户号", "住址编码", "户主身份证号", "备注"]
    required = {"户号", "住址编码"}
    aliases = {
        "户编号": "户号",
        "房屋编码": "住址编码",
        "户主身份证号码": "户主身份证号",
    }
    example_rows = [["F0001", "510502001001001001001001", "11010519491231002X", ""]]

    def __init__(self, actor, *, dry_run):
        super().__init__(actor, dry_run=dry_run)
        self.places = PlaceResolver(actor, self.permission, kinds=RESIDENT_PLACE_KINDS)

    def import_row(self, row):
        values = row.values
        number = cell_text(values.get("户号"))[:32]
        if not number:
            raise ValidationError("户号不能为空")
        try:
            place_id, _path = self.places.by_code(cell_text(values.get("住址编码")))
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        head = None
        head_id = cell_text(values.get("户主身份证号"))
        if head_id:
            digest = blind_index(
                validate_id_number(head_id).number, purpose="id_number"
            )
            head = Resident.objects.filter(id_number_index=digest).first()
            if head is None:
                raise ValidationError("户主未在居民库登记，请先导入居民")
        wanted = {"place_id": place_id, "note": cell_text(values.get("备注"))}
        if head is not None:
            wanted["head_id"] = head.pk
        household = Household.objects.filter(number=number).first()
        if household is None:
            household = Household.objects.create(number=number, **wanted)
            result = CREATED
        else:
            if not self.places.allowed(household.place.path):
                raise ValidationError("该户已在其他辖区登记")
            wanted = {k: v for k, v in wanted.items() if v not in ("", None)}
            if all(getattr(household, k) == v for k, v in wanted.items()):
                return UNCHANGED
            Household.objects.filter(pk=household.pk).update(**wanted)
            result = UPDATED
        if head is not None:
            Resident.objects.filter(pk=head.pk).update(
                household=household, relation=Relation.HEAD
            )
        return result
