"""Exports follow the caller's scope and filters, are masked by default and audited."""

import io

import pytest
from openpyxl import load_workbook

from jiceng.core.models import AuditAction, AuditEntry
from jiceng.people.models import Resident, Unit

pytestmark = pytest.mark.django_db


def sheet_rows(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_a_grid_worker_exports_only_the_grids_residents_masked(client_for, people):
    rows = sheet_rows(client_for("wangge").get("/transfer/export/residents.xlsx"))
    watermark, header, data = rows[0][0], rows[1], rows[2:]
    assert "专职网格员" in watermark and "不得外传" in watermark
    assert header[:3] == ["姓名", "身份证号", "手机号码"]
    visible = Resident.objects.visible_to(people["wangge"])
    assert len(data) == visible.count() < Resident.objects.count()
    assert {r[3] for r in data} <= set(visible.values_list("place__code", flat=True))
    assert all("********" in r[1] for r in data)
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("at")
    assert entry.actor == people["wangge"] and entry.changes["unmasked"] is False


def test_the_export_follows_the_list_filters(client_for, people):
    resident = Resident.objects.visible_to(people["shuji"]).first()
    rows = sheet_rows(
        client_for("shuji").get("/transfer/export/residents.xlsx", {"q": resident.name})
    )
    assert rows[2:] and all(r[0] == resident.name for r in rows[2:])


def test_full_values_need_the_reveal_permission_and_are_audited(client_for, people):
    assert (
        client_for("loudong")
        .get("/transfer/export/residents.xlsx", {"unmasked": "1"})
        .status_code
        == 403
    )
    rows = sheet_rows(
        client_for("shuji").get("/transfer/export/residents.xlsx", {"unmasked": "1"})
    )
    assert "含完整身份证号" in rows[0][0]
    full = {r[1] for r in rows[2:]}
    assert Resident.objects.visible_to(people["shuji"]).first().id_number in full
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("at")
    assert entry.changes["unmasked"] is True


def test_an_unmasked_export_imports_back_unchanged(client_for, people, run_import):
    response = client_for("shuji").get(
        "/transfer/export/residents.xlsx", {"unmasked": "1"}
    )
    job = run_import(people["shuji"], "residents", response.getvalue(), "导出.xlsx")
    assert job.total == Resident.objects.visible_to(people["shuji"]).count()
    assert (job.created, job.updated, job.rejected) == (0, 0, 0)


def test_units_export_and_the_cli_export_use_the_users_scope(people, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "units.xlsx"
    call_command("export_data", kind="units", out=str(out), user="shuji")
    rows = [list(r) for r in load_workbook(out).active.iter_rows(values_only=True)]
    assert len(rows) - 2 == Unit.objects.visible_to(people["shuji"]).count()
    assert rows[1][0] == "单位名称"


def test_choice_columns_read_as_their_chinese_labels(client_for, people):
    rows = sheet_rows(client_for("shuji").get("/transfer/export/residents.xlsx"))
    header, data = rows[1], rows[2:]
    visible = Resident.objects.visible_to(people["shuji"])
    relation = header.index("与户主关系")
    residence = header.index("居住类型")
    assert {r[residence] for r in data} == {
        r.get_residence_type_display() for r in visible
    }
    assert {r[relation] or "" for r in data} == {
        r.get_relation_display() if r.relation else "" for r in visible
    }
