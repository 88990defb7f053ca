"""Importing a place tree from the street office's Excel file."""

import io

import pytest
from openpyxl import Workbook

from jiceng.places.models import Place

pytestmark = pytest.mark.django_db


def xlsx(rows, title_rows=()):
    workbook = Workbook()
    sheet = workbook.active
    for row in title_rows:
        sheet.append(row)
    sheet.append(["层级", "名称", "编码", "上级编码", "地址", "经度", "纬度"])
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet.append([])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def community(people):
    return Place.objects.get(assignments__user=people["shuji"])


def test_rows_are_created_parents_first_and_bad_rows_reported(
    people, community, run_import
):
    c = community.code
    data = xlsx(
        [
            ["网格", "第十网格", f"{c}010", c, "", 105.5, 28.9],
            ["小区", "新苑小区", f"{c}010001", f"{c}010", "新苑路1号", "", ""],
            ["楼栋", "1号楼", f"{c}010001001", f"{c}010001", "", "", ""],
            ["网格", "坏编码", "99", c, "", "", ""],
            ["飞船", "未知层级", f"{c}011", c, "", "", ""],
            ["楼栋", "孤儿楼", f"{c}099001001", f"{c}099001", "", "", ""],
        ],
        title_rows=[["幸福社区网格台账（2026年）"]],
    )
    result = run_import(people["shuji"], "places", data, "台账.xlsx")
    assert (result.total, result.created, result.rejected) == (6, 3, 3)
    rows = result.errors
    assert set(rows) == {6, 7, 8}  # title row + header shift data to row 3
    assert "编码应为" in rows[6] and "层级" in rows[7] and "不存在" in rows[8]
    building = Place.objects.get(code=f"{c}010001001")
    assert Place.objects.get_parent(building).code == f"{c}010001"


def test_dry_run_saves_nothing_and_reimport_changes_nothing(
    people, community, run_import
):
    c = community.code
    data = xlsx([["网格", "第十一网格", f"{c}011", c, "", "", ""]])
    before = Place.objects.count()
    dry = run_import(people["shuji"], "places", data, "a.xlsx", dry_run=True)
    assert dry.created == 1 and Place.objects.count() == before
    run_import(people["shuji"], "places", data, "a.xlsx")
    again = run_import(people["shuji"], "places", data, "a.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Place.objects.count() == before + 1


def test_rows_outside_scope_are_rejected(people, run_import):
    street2 = Place.objects.filter(kind="street").order_by("code")[1]
    community2 = Place.objects.get_children(street2).first()
    data = xlsx(
        [["网格", "越权", f"{community2.code}050", community2.code, "", "", ""]]
    )
    result = run_import(people["shuji"], "places", data, "a.xlsx")
    assert result.rejected == 1 and "权限" in result.errors[2]


def test_gbk_csv_and_a_missing_header_are_handled(people, community, run_import):
    c = community.code
    csv_bytes = f"层级,名称,编码,上级编码\n网格,第十二网格,{c}012,{c}\n".encode("gbk")
    result = run_import(people["shuji"], "places", csv_bytes, "a.csv")
    assert result.created == 1
    # a file without the template's header asks which column is which
    bad = run_import(people["shuji"], "places", b"a,b\n1,2\n", "a.csv")
    assert bad.status == "needs_mapping" and bad.header == ["a", "b"]


def test_the_import_page_checks_then_imports(
    client_for, community, django_capture_on_commit_callbacks
):
    c = community.code
    upload = io.BytesIO(xlsx([["网格", "第十三网格", f"{c}013", c, "", "", ""]]))
    upload.name = "grids.xlsx"
    client = client_for("shuji")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/transfer/import/places/", {"file": upload, "dry_run": "on"}
        )
    html = client.get(response.url).content.decode()
    assert "预检结果" in html and "新增 <strong>1</strong>" in html
    assert not Place.objects.filter(code=f"{c}013").exists()
    with django_capture_on_commit_callbacks(execute=True):
        committed = client.post(response.url + "commit/")
    assert "导入结果" in client.get(committed.url).content.decode()
    assert Place.objects.filter(code=f"{c}013").exists()
    template = client.get("/transfer/import/places/template.xlsx")
    assert template.status_code == 200 and template.getvalue()[:2] == b"PK"
