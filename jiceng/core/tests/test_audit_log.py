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
def test_the_audit_log_reads_in_chinese(client_for, people):
    from jiceng.cases.models import Case
    from jiceng.core.models import Department

    # given a token created, and a case dispatched to a department (raw keys)
    audit.record(
        actor=people["wangge"],
        action=AuditAction.TOKEN,
        target=people["wangge"],
        changes={"created": "手机", "prefix": "abcd"},
    )
    case = Case.objects.first()
    department = Department.objects.get(code="CGJ")
    audit.record(
        actor=people["jiedao"],
        action=AuditAction.UPDATE,
        target=case,
        changes={
            "step": "dispatch",
            "status": ["accepted", "dispatched"],
            "department_id": [None, department.pk],
            "handle_due": [None, "2026-12-03 02:00:00+00:00"],
            "supervised": [False, True],
        },
    )

    # when the district admin reads the log
    html = client_for("quadmin").get("/audit/").content.decode()

    # then record types, fields and values read as Chinese, times in Shanghai
    for words in (
        "用户",  # core.user
        "新建",  # created
        "令牌前缀",  # prefix
        "案件",  # cases.case
        "办理步骤</span>：派遣",
        "状态</span>：待派遣 → 处置中",
        f"承办部门</span>：（空） → {department.name}",
        "处置期限</span>：（空） → 2026-12-03 10:00",
        "督办</span>：否 → 是",
    ):
        assert words in html, words
    for raw in ("core.user", "cases.case", ">created<", ">prefix<", "department_id"):
        assert raw not in html, raw
