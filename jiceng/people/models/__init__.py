"""People: the registry (residents, households, units), key-population tags and
new-employment workers. One module per subject; all importable from here."""

from .key_populations import KeyPopulation, ResidentTag, Sensitivity, TagReview
from .registry import (
    Household,
    Incubation,
    Occupancy,
    Relation,
    ResidenceType,
    Resident,
    Sex,
    Unit,
    UnitKind,
)
from .workers import GigWorker, Occupation

__all__ = [
    "GigWorker",
    "Household",
    "Incubation",
    "KeyPopulation",
    "Occupancy",
    "Occupation",
    "Relation",
    "ResidenceType",
    "Resident",
    "ResidentTag",
    "Sensitivity",
    "Sex",
    "TagReview",
    "Unit",
    "UnitKind",
]
