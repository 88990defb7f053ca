"""The kinds of 台账 that can be imported and exported, registered by each app.

An app describes a kind once (columns, permission, how to import a chunk of rows,
how to list rows for export) and the transfer pages, the CLI and the tasks all use
that description.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jiceng.core.scope import has_permission

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"


@dataclass
class RowOutcome:
    row: object  # jiceng.core.tabular.Row
    result: str  # CREATED, UPDATED, UNCHANGED or REJECTED
    reason: str = ""


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
    # writes (see pipeline.py); prepare must then depend neither on earlier writes
    # nor on earlier chunks (the first chunks are prepared in this process).
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
                reason = "；".join(getattr(exc, "messages", [])) or str(exc)
                outcomes.append(RowOutcome(row, REJECTED, reason or "超出权限范围"))
        return outcomes


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

    def rows(self):
        """Yield one list of cell values per row, in self.columns order."""
        raise NotImplementedError


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
