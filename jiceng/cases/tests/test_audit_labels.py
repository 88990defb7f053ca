"""The audit log names what a case's dispatch and a token's creation changed in Chinese."""

import pytest

from jiceng.core import audit
from jiceng.core.models import AuditAction


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
