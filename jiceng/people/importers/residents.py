"""The residents' 台账: the large register, imported chunk by chunk.

Residents are matched by the blind index of their ID number: a known person is
updated (only the cells that are filled in), an unknown one created, an identical
row left unchanged. A chunk of rows costs a handful of queries, whatever its size,
and a large file's chunks are read and checked by a second process
(jiceng.transfer.pipeline) while this one writes.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jiceng.core.crypto import blind_index
from jiceng.core.ledgers import (
    CREATED,
    REJECTED,
    UNCHANGED,
    UPDATED,
    Importer,
    RowOutcome,
    choice,
    first_message,
    register_importer,
)
from jiceng.core.planner import column_in
from jiceng.core.tabular import cell_text
from jiceng.core.validators import mask_mobile, validate_id_number, validate_mobile
from jiceng.places.models import Place
from jiceng.places.resolver import PlaceResolver

from .. import services
from ..models import (
    Household,
    KeyPopulation,
    Occupancy,
    Resident,
    ResidentTag,
    Unit,
)
from .households import household_ids
from .labels import RELATION_BY_LABEL, RESIDENCE_BY_LABEL
from .rows import DigestRows, ResidentRow, insert_residents, protect

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
        self.places = PlaceResolver(
            actor, self.permission, kinds=services.RESIDENT_PLACE_KINDS
        )
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
        if code:
            place_id, place_path = self.places.by_code(code)
        elif address:
            place_id, place_path = self.places.by_address(address)
        else:
            raise ValidationError("住址编码和住址不能都为空")
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
            if services.sensitivity_at(self.actor, place_path) < category.sensitivity:
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
            if "place_id" in changed:  # bulk_update: no save() to copy the path
                resident.place_path = item.place_path
                changed.append("place_path")
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
        if not creates:
            return []
        insert_residents(creates, households, self.today)
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
