"""The people's 台账: residents (the large register), households, units, workers.

Importing this package registers the four kinds (jiceng.core.ledgers); one module
per kind, the large residents' importer with its prepared rows beside it.
"""

from .households import HouseholdImporter, household_ids
from .labels import (
    INCUBATION_BY_LABEL,
    OCCUPATION_BY_LABEL,
    RELATION_BY_LABEL,
    RESIDENCE_BY_LABEL,
    UNIT_KIND_BY_LABEL,
)
from .residents import ResidentImporter
from .rows import RESIDENT_COLUMNS, DigestRows, ResidentRow
from .units import UnitImporter
from .workers import WorkerImporter

__all__ = [
    "INCUBATION_BY_LABEL",
    "OCCUPATION_BY_LABEL",
    "RELATION_BY_LABEL",
    "RESIDENCE_BY_LABEL",
    "RESIDENT_COLUMNS",
    "UNIT_KIND_BY_LABEL",
    "DigestRows",
    "HouseholdImporter",
    "ResidentImporter",
    "ResidentRow",
    "UnitImporter",
    "WorkerImporter",
    "household_ids",
]
