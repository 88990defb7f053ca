"""Party operations: the organisation tree and 大工委 rosters, members, 双向核查;
organisational life (三会一课, 标准化), members at work and flexible organisations,
两个覆盖, transfers with acceptance, 流动党员, recruitment, 党费 and 双向推选.

Views, API, importers and commands all call these keyword-only functions; one
module per subject, all importable from here.
"""

from .life import (
    compliance,
    compliance_rate,
    compliance_tally,
    make_up,
    record_meeting,
    set_rule,
)
from .members import (
    MEMBER_FIELDS,
    managed_place_for,
    register_member,
    transfer_member,
    transfer_out,
    update_member,
)
from .membership import (
    add_recruit,
    advance,
    annual_statement,
    appoint,
    nominate,
    pay_dues,
    record_vote,
    register_flow,
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
from .standards import (
    finish_rectification,
    plan_rectification,
    review,
    self_assess,
)
from .transfers import accept_transfer, cancel_transfer, reject_transfer, send_transfer
from .work import (
    assign_post,
    attach_member,
    coverage_rates,
    create_flex_org,
    dissolve_flex_org,
    set_coverage,
)

__all__ = [
    "MEMBER_FIELDS",
    "accept_transfer",
    "add_joint_unit",
    "add_part_time_member",
    "add_recruit",
    "advance",
    "annual_statement",
    "appoint",
    "assign_post",
    "attach_member",
    "cancel_transfer",
    "checks_as_unit",
    "community_members",
    "compliance",
    "compliance_rate",
    "compliance_tally",
    "counts",
    "coverage_rates",
    "create_flex_org",
    "create_org",
    "decide",
    "dissolve_flex_org",
    "dissolve_org",
    "finish_rectification",
    "make_up",
    "managed_place_for",
    "move_org",
    "nominate",
    "pay_dues",
    "plan_rectification",
    "record_meeting",
    "record_vote",
    "register_flow",
    "register_member",
    "reject_transfer",
    "remove_joint_unit",
    "remove_part_time_member",
    "review",
    "self_assess",
    "send_transfer",
    "set_coverage",
    "set_rule",
    "start_check",
    "transfer_member",
    "transfer_out",
    "unit_ids",
    "update_member",
    "update_org",
    "validate_org_placement",
]
