"""The audit log is append-only in the ORM and in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction, AuditEntry


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted_through_the_orm(people):
    entry = audit.record(
        actor=people["quadmin"],
        action=AuditAction.EXPORT,
        target_type="test",
        target_repr="x",
    )
    entry.target_repr = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(target_repr="changed")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditentry SET target_repr = 'tampered' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(people, statement):
    entry = audit.record(
        actor=people["quadmin"], action=AuditAction.EXPORT, target_type="t"
    )
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).target_repr == ""


@pytest.mark.django_db
def test_audit_viewer_is_for_district_admins_only(client_for):
    assert client_for("shuji").get("/audit/").status_code == 403
    response = client_for("quadmin").get("/audit/?action=login")
    assert response.status_code == 200
    assert "审计日志" in response.content.decode()


@pytest.mark.django_db
def test_audit_viewer_filters_by_actor_and_action(client_for, people):
    audit.record(
        actor=people["wangge"],
        action=AuditAction.REVEAL,
        target_type="people.resident",
        target_repr="某居民",
    )
    html = (
        client_for("quadmin")
        .get("/audit/", {"actor_name": "wangge", "action": "reveal"})
        .content.decode()
    )
    assert "某居民" in html
    html = (
        client_for("quadmin")
        .get("/audit/", {"actor_name": "shuji", "action": "reveal"})
        .content.decode()
    )
    assert "某居民" not in html


@pytest.mark.django_db
def test_a_long_code_in_an_audit_row_reads_as_itself(client_for, people):
    # given an audit row whose related-looking key holds a 24-digit code, not an id
    code = "510104001001002003004005"
    audit.record(
        actor=people["shuji"],
        action=AuditAction.UPDATE,
        target=people["wangge"],
        changes={"groups": code, "last_login": "2026-13-45 10:00"},
    )
    # when the district admin opens the audit log, then it shows the code as typed
    page = client_for("quadmin").get("/audit/")
    assert page.status_code == 200
    assert code in page.content.decode()
