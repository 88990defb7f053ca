"""The kinds of 台账 (ledgers) the apps import and export, and how a row importer reads.

An app describes a kind once — columns, permission, how to import a chunk of rows,
how to list rows for export — registers it in its AppConfig.ready, and the transfer
pages, the CLI and the tasks find it here. The bases live in core so that every app,
the territory tree included, registers its ledger the same way without importing an
app above it.

Small registers import row by row through the app's services (RowByRowImporter,
with save() for "create, or update the filled-in cells"); large ones prepare and
write whole chunks (Importer, see jiceng.transfer.pipeline).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .scope import has_permission
from .tabular import cell_date, cell_text

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"

# Cells that mean "yes" in the ledgers (是否党员, 预备党员…).
YES = {"是", "Y", "y", "1", "√", "党员", "中共党员", "TRUE", "True"}


@dataclass
class RowOutcome:
    row: object  # jiceng.core.tabular.Row
    result: str  # CREATED, UPDATED, UNCHANGED or REJECTED
    reason: str = ""


def first_message(exc) -> str:
    """The reason a row is rejected, from a ValidationError or PermissionDenied."""
    return "；".join(getattr(exc, "messages", [])) or str(exc) or "超出权限范围"


def choice(value, by_label, what):
    """A choice cell by its label (户主) or its stored value (head); "" when empty."""
    text = cell_text(value)
    if not text:
        return ""
    if text in by_label:
        return by_label[text]
    if text in by_label.values():
        return text
    raise ValidationError(f"{what}“{text}”无效，应为：" + "、".join(by_label))


def date_cell(value, what):
    """A date cell as the ledgers write it (see cell_date); None when empty."""
    try:
        return cell_date(value)
    except ValueError as exc:
        raise ValidationError(
            f"{what}“{cell_text(value)}”无法识别，请写成2023-05-01或2023年5月1日"
        ) from exc


class Importer:
    """Imports one kind of row. One instance serves one job, so it may keep caches."""

    do_not_call_in_templates = True  # templates show the class's columns and label
    kind = ""
    label = ""
    permission = ""
    columns: list[str] = []
    required: set[str] = set()
    aliases: dict[str, str] = {}
    example_rows: list[list] = []
    # Rows per transaction; None reads the whole file as one chunk (small trees whose
    # later rows refer to earlier ones, so a dry run must see them together).
    chunk_size: int | None = 2000
    # Large registers: a second process may prepare the next chunks while this one
    # writes (see transfer/pipeline.py); prepare must then depend neither on earlier
    # writes nor on earlier chunks (the first chunks are prepared in this process).
    prepare_in_worker = False
    # Tables a large import fills: their planner statistics are refreshed after it.
    bulk_models: tuple = ()

    def __init__(self, actor, *, dry_run):
        self.actor = actor
        self.dry_run = dry_run

    def expect(self, rows: int):
        """The job's estimate of the file's rows, before the first chunk (to size
        per-file tables once instead of growing them)."""

    def prepare(self, rows):
        """Check and convert a chunk without writing; may read the database."""
        return rows

    def write(self, prepared) -> list[RowOutcome]:
        """Write a prepared chunk inside the job's transaction; return every row's
        outcome."""
        raise NotImplementedError


class RowByRowImporter(Importer):
    """For small registers: each row goes through the app's services on its own
    savepoint, so a bad row is rejected without touching the others."""

    chunk_size = 500

    def import_row(self, row) -> str:
        """Import one row; return CREATED, UPDATED or UNCHANGED, or raise
        ValidationError / PermissionDenied with the reason."""
        raise NotImplementedError

    def write(self, rows):
        outcomes = []
        for row in rows:
            try:
                with transaction.atomic():
                    outcomes.append(RowOutcome(row, self.import_row(row)))
            except (ValidationError, PermissionDenied) as exc:
                outcomes.append(RowOutcome(row, REJECTED, first_message(exc)))
        return outcomes

    @staticmethod
    def save(existing, fields, *, create, update) -> str:
        """Create the row, or change the cells the row fills in; return the outcome.

        A blank cell keeps what is stored (台账 often leave columns empty), and a
        row whose filled-in cells match the stored values leaves it unchanged.
        create(**fields) and update(existing, **changed) are the app's services.
        """
        if existing is None:
            create(**fields)
            return CREATED
        filled = {k: v for k, v in fields.items() if v not in ("", None)}
        if all(getattr(existing, k) == v for k, v in filled.items()):
            return UNCHANGED
        update(existing, **filled)
        return UPDATED


class Exporter:
    """Lists one kind of row for the user, in the import template's columns."""

    kind = ""
    label = ""
    permission = ""
    reveal_permission = ""
    columns: list[str] = []

    def __init__(self, user, *, params=None, unmasked=False):
        self.user = user
        self.params = params or {}
        self.unmasked = unmasked

    def queryset(self):
        """The rows to export: the user's scope with the list's filters."""
        raise NotImplementedError

    def count(self) -> int:
        """How many rows the export will write, to decide whether it is queued."""
        return self.queryset().count()

    def rows(self):
        """Yield one list of cell values per row, in self.columns order."""
        raise NotImplementedError

    def masked_only(self, queryset, *encrypted_fields):
        """A masked export leaves the encrypted columns unread: nothing to decrypt."""
        return queryset if self.unmasked else queryset.defer(*encrypted_fields)


def choice_labels(model, field_name):
    """{stored value: label} of a field's choices as plain strings, for exports.

    Read once per export instead of get_FOO_display() per row: Django hashes the
    translated choices again on every call, a third of a 10,000-row export's time.
    """
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in field.flatchoices}


IMPORTERS: dict[str, type[Importer]] = {}
EXPORTERS: dict[str, type[Exporter]] = {}


def register_importer(cls):
    IMPORTERS[cls.kind] = cls
    return cls


def register_exporter(cls):
    EXPORTERS[cls.kind] = cls
    return cls


def importers_for(user):
    return [cls for cls in IMPORTERS.values() if has_permission(user, cls.permission)]
