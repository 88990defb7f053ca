"""Registry operations: validate, protect, audit, re-check scope.

Views, API, importers and commands all call these keyword-only functions; one
module per subject, all importable from here.
"""

from .common import PROTECTED_FIELDS, reveal
from .households import (
    HOUSEHOLD_FIELDS,
    HOUSEHOLD_PLACE_KINDS,
    create_household,
    merge_households,
    split_household,
    update_household,
)
from .residents import (
    RESIDENT_FIELDS,
    RESIDENT_PLACE_KINDS,
    create_resident,
    ends_stay,
    update_resident,
)
from .tags import (
    CATEGORY_FIELDS,
    DUE_SOON_DAYS,
    categories_for,
    due_for_review,
    review_tag,
    save_category,
    sensitivity_at,
    tag_resident,
)
from .units import UNIT_FIELDS, create_unit, update_unit
from .workers import WORKER_FIELDS, create_worker, update_worker

__all__ = [
    "CATEGORY_FIELDS",
    "DUE_SOON_DAYS",
    "HOUSEHOLD_FIELDS",
    "HOUSEHOLD_PLACE_KINDS",
    "PROTECTED_FIELDS",
    "RESIDENT_FIELDS",
    "RESIDENT_PLACE_KINDS",
    "UNIT_FIELDS",
    "WORKER_FIELDS",
    "categories_for",
    "create_household",
    "create_resident",
    "create_unit",
    "create_worker",
    "due_for_review",
    "ends_stay",
    "merge_households",
    "reveal",
    "review_tag",
    "save_category",
    "sensitivity_at",
    "split_household",
    "tag_resident",
    "update_household",
    "update_resident",
    "update_unit",
    "update_worker",
]
