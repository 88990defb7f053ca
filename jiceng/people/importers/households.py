"""Households: the 户 ledger, and the households a resident import names."""

from django.core.exceptions import ValidationError
from django.db import connection

from jiceng.core.crypto import blind_index
from jiceng.core.ledgers import RowByRowImporter, register_importer
from jiceng.core.planner import column_in
from jiceng.core.scope import can
from jiceng.core.tabular import cell_text
from jiceng.core.validators import validate_id_number
from jiceng.places.models import Place
from jiceng.places.resolver import place_by_code

from .. import services
from ..models import Household, Resident


def household_ids(wanted) -> dict:
    """{household number: id} for {number: place_id}, creating the missing ones at
    that place; a number another import creates meanwhile is left as it is.

    Raw statements: the ORM prepares every value of a 5,000-item IN list one by one,
    which took longer than the database did.
    """
    table = Household._meta.db_table
    places = Place._meta.db_table  # the path copy (PlacePathMixin) comes with it
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement: the SELECT sees the rows from before the INSERT, which
            # returns only those it created, so together they are every number once.
            cursor.execute(  # table name from the model, values as parameters
                "WITH wanted (number, place_id) AS ("  # noqa: S608
                "  SELECT * FROM unnest(%s::text[], %s::bigint[])), "
                f"created AS (INSERT INTO {table} (number, place_id, place_path, note) "
                f"  SELECT w.number, w.place_id, p.path, '' FROM wanted w "
                f"  JOIN {places} p ON p.id = w.place_id "
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
            cursor.executemany(  # table names from the models, values as parameters
                f"INSERT INTO {table} (number, place_id, place_path, note) "  # noqa: S608
                f"SELECT %s, id, path, '' FROM {places} WHERE id = %s "
                "ON CONFLICT (number) DO NOTHING",
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


@register_importer
class HouseholdImporter(RowByRowImporter):
    bulk_models = (Household,)  # statistics refreshed after a large import
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

    def import_row(self, row):
        values = row.values
        number = cell_text(values.get("户号"))[:32]
        if not number:
            raise ValidationError("户号不能为空")
        fields = {
            "place": place_by_code(
                self.actor,
                cell_text(values.get("住址编码")),
                permission=self.permission,
                kinds=services.RESIDENT_PLACE_KINDS,
            ),
            "note": cell_text(values.get("备注")),
            "head": self._head(cell_text(values.get("户主身份证号"))),
        }
        existing = Household.objects.filter(number=number).first()
        if existing is not None and not can(self.actor, existing, "change"):
            raise ValidationError("该户已在其他辖区登记")
        return self.save(
            existing,
            fields,
            create=lambda **f: services.create_household(
                actor=self.actor, number=number, **f
            ),
            update=lambda household, **f: services.update_household(
                actor=self.actor, household=household, **f
            ),
        )

    def _head(self, id_number):
        """The resident a 户主身份证号 names, among those the actor may change."""
        if not id_number:
            return None
        digest = blind_index(validate_id_number(id_number).number, purpose="id_number")
        head = (
            Resident.objects.visible_to(self.actor, "change")
            .filter(id_number_index=digest)
            .first()
        )
        if head is None:
            raise ValidationError("户主未在您辖区的居民库中登记，请先导入居民")
        return head
