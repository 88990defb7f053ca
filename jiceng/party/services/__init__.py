"""Party operations: the organisation tree and 大工委 rosters, members, 双向核查.

Views, API, importers and commands all call these keyword-only functions; one
module per subject, all importable from here.
"""

from .members import (
    MEMBER_FIELDS,
    managed_place_for,
    register_member,
    transfer_member,
    transfer_out,
    update_member,
)
from .orgs import (
    add_joint_unit,
    add_part_time_member,
    create_org,
    dissolve_org,
    move_org,
    remove_joint_unit,
    remove_part_time_member,
    update_org,
    validate_org_placement,
)
from .roster import (
    checks_as_unit,
    community_members,
    counts,
    decide,
    start_check,
    unit_ids,
)

__all__ = [
    "MEMBER_FIELDS",
    "add_joint_unit",
    "add_part_time_member",
    "checks_as_unit",
    "community_members",
    "counts",
    "create_org",
    "decide",
    "dissolve_org",
    "managed_place_for",
    "move_org",
    "register_member",
    "remove_joint_unit",
    "remove_part_time_member",
    "start_check",
    "transfer_member",
    "transfer_out",
    "unit_ids",
    "update_member",
    "update_org",
    "validate_org_placement",
]
