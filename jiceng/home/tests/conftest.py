import pytest

from jiceng.core.models import AuditAction, AuditEntry


@pytest.fixture
def audit_of(db):
    """Return what an actor's audit rows on an account say, oldest first."""

    def changes(actor, account, action=AuditAction.SECURITY):
        rows = AuditEntry.objects.filter(
            actor=actor,
            action=action,
            target_type="core.user",
            target_id=str(account.pk),
        ).order_by("id")
        return [row.changes for row in rows]

    return changes
