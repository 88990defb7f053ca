"""Account services: opening accounts, invitations, self-registration and its
approval, one's own contact details, and the gig workers' reporting channel."""

from .contact import own_records, update_own_contact
from .gig import REPORT_KINDS, report_as_worker, service_record, worker_of
from .opening import (
    MAX_BATCH,
    create_invitation,
    open_account,
    open_accounts_in_batch,
    reset_password,
    set_account_active,
    set_invitation_active,
)
from .registration import (
    approve_registration,
    invitation_for_code,
    is_locked,
    refuse_registration,
    register,
)

__all__ = [
    "MAX_BATCH",
    "REPORT_KINDS",
    "approve_registration",
    "create_invitation",
    "invitation_for_code",
    "is_locked",
    "open_account",
    "open_accounts_in_batch",
    "own_records",
    "refuse_registration",
    "register",
    "report_as_worker",
    "reset_password",
    "service_record",
    "set_account_active",
    "set_invitation_active",
    "update_own_contact",
    "worker_of",
]
