"""A community secretary imports the residents 台账 her community keeps in Excel."""

import io
import json

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from jiceng.core.models import AuditAction, AuditEntry
from jiceng.core.validators import compose_id_number as make_id
from jiceng.people.importers import ResidentImporter
from jiceng.people.models import Household, Occupancy, Resident
from jiceng.places.models import Place, PlaceKind
from jiceng.transfer import services
from jiceng.transfer.models import ImportRejection

pytestmark = pytest.mark.django_db

HEADER = [
    "姓名",
    "身份证号码",
    "联系电话",
    "住址编码",
    "住址",
    "户号",
    "与户主关系",
    "居住类型",
    "备注",
]


def wrong_check(number):
    """The same ID number with a check digit that does not match."""
    return number[:-1] + ("1" if number[-1] == "0" else "0")


def xlsx(rows, *, header=HEADER, title="幸福社区居民台账（2026年11月）"):
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])  # the merged title row real 台账 carry
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet.append([None, None])  # trailing empty rows
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def dwellings(people):
    community = Place.objects.get(assignments__user=people["shuji"])
    return list(
        Place.objects.subtree_of(community)
        .filter(kind=PlaceKind.DWELLING)
        .order_by("code")[:5]
    )


def address_of(dwelling):
    names = [
        p.name
        for p in Place.objects.get_ancestors(dwelling)
        if p.kind in ("compound", "building", "entrance")
    ]
    return " ".join([*names, dwelling.name])


@pytest.mark.parametrize("streamed", [False, True], ids=["calamine", "streamed"])
def test_a_messy_ledger_is_imported_row_by_row_and_every_row_accounted_for(
    people, dwellings, run_import, monkeypatch, streamed
):
    # large xlsx files are streamed by openpyxl instead of calamine: same outcome
    if streamed:
        monkeypatch.setattr("jiceng.core.tabular.STREAM_XLSX_BYTES", 0)
    d = dwellings
    rows = [
        [
            "张桂英甲",
            make_id("19450305", 2),
            13800138000.0,
            d[0].code,
            "",
            "H-1",
            "户主",
            "户籍",
            "独居",
        ],  # row 3
        [
            "李明甲",
            "５１０５０２ １９６００１０１ ００１" + make_id()[-1],
            "1.3800138001E10",
            d[1].code,
            "",
            "",
            "本人",
            "流动",
            "",
        ],  # row 4
        [
            "王芳甲",
            make_id("19800101", 5).lower(),
            "+86 139-0000-0000",
            "",
            address_of(d[2]),
            "",
            "",
            "租户",
            "",
        ],  # row 5
        [
            "坏校验",
            wrong_check(make_id("19700101", 3)),
            "",
            d[0].code,
            "",
            "",
            "",
            "",
            "",
        ],  # row 6
        [
            "重复的张桂英",
            make_id("19450305", 2),
            "",
            d[0].code,
            "",
            "",
            "",
            "",
            "",
        ],  # 7
        ["无住址", make_id("19900101", 9), "", "", "", "", "", "", ""],  # row 8
        ["外地编码", make_id("19910101", 9), "", "999999999", "", "", "", "", ""],  # 9
        [
            "错误电话",
            make_id("19920101", 9),
            "12345",
            d[0].code,
            "",
            "",
            "",
            "",
            "",
        ],  # 10
        ["", make_id("19930101", 9), "", d[0].code, "", "", "", "", ""],  # row 11
        [
            "类型不对",
            make_id("19940101", 9),
            "",
            d[0].code,
            "",
            "",
            "",
            "外星",
            "",
        ],  # 12
    ]
    job = run_import(people["shuji"], "residents", xlsx(rows), "台账.xlsx")

    assert job.summary() == {
        "total": 10,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 7,
    }
    assert job.created + job.updated + job.unchanged + job.rejected == job.total
    reasons = job.errors
    assert set(reasons) == {6, 7, 8, 9, 10, 11, 12}
    assert "校验位" in reasons[6]
    assert "第3行重复" in reasons[7]
    assert "住址" in reasons[8]
    assert "不存在" in reasons[9]
    assert "手机号码" in reasons[10]
    assert "姓名" in reasons[11]
    assert "居住类型" in reasons[12]

    li = Resident.objects.get(name="李明甲")
    assert li.id_number == make_id() and li.phone == "13800138001"
    assert str(li.birth_date) == "1960-01-01" and li.residence_type == "floating"
    wang = Resident.objects.get(name="王芳甲")
    assert wang.id_number == make_id("19800101", 5).upper() and wang.place == d[2]
    assert wang.phone == "13900000000" and wang.residence_type == "tenant"
    zhang = Resident.objects.get(name="张桂英甲")
    assert zhang.household.number == "H-1" and zhang.relation == "head"
    assert zhang.place == d[0] and zhang.moved_in_on == timezone.localdate()
    assert not Occupancy.objects.filter(resident=zhang).exists()
    entry = AuditEntry.objects.get(action=AuditAction.IMPORT, target_id=str(job.pk))
    assert entry.changes["created"] == 3


def test_reimporting_the_same_file_changes_nothing(people, dwellings, run_import):
    rows = [
        [
            "赵一",
            make_id("19550101", 11),
            "13700000001",
            dwellings[0].code,
            "",
            "",
            "户主",
            "户籍",
            "",
        ]
    ]
    data = xlsx(rows)
    first = run_import(people["shuji"], "residents", data, "a.xlsx")
    again = run_import(people["shuji"], "residents", data, "a.xlsx")
    assert first.created == 1
    assert again.summary() == {
        "total": 1,
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "rejected": 0,
    }
    assert Resident.objects.filter(name="赵一").count() == 1


def test_next_months_ledger_adds_new_people_beside_known_ones(
    people, dwellings, run_import
):
    # given last month's ledger of two people, imported
    def person(name, seq, phone):
        return [name, make_id("19700101", seq), phone, dwellings[0].code]

    run_import(
        people["shuji"],
        "residents",
        xlsx([person("周一", 31, "13700000031"), person("周二", 32, "13700000032")]),
        "a.xlsx",
    )
    # when this month's has two newcomers around them and one changed phone number
    job = run_import(
        people["shuji"],
        "residents",
        xlsx(
            [
                person("吴一", 33, ""),
                person("周一", 31, "13700000031"),
                person("周二", 32, "13700000099"),
                person("吴二", 34, ""),
            ]
        ),
        "b.xlsx",
    )
    # then the newcomers are created, the known people found, nobody twice
    assert (job.created, job.updated, job.unchanged, job.rejected) == (2, 1, 1, 0)
    names = ["周一", "周二", "吴一", "吴二"]
    assert Resident.objects.filter(name__in=names).count() == 4
    assert Resident.objects.get(name="周二").phone == "13700000099"


def test_a_changed_row_updates_only_what_is_filled_in_and_keeps_history(
    people, dwellings, run_import
):
    idn = make_id("19550101", 13)
    run_import(
        people["shuji"],
        "residents",
        xlsx(
            [
                [
                    "钱二",
                    idn,
                    "13700000002",
                    dwellings[0].code,
                    "",
                    "",
                    "",
                    "户籍",
                    "原备注",
                ]
            ]
        ),
        "a.xlsx",
    )
    digest = Resident._meta.get_field("id_number_index").digest(idn)
    # the fast insert copies the dwelling's path (PlacePathMixin) as save() would
    assert Resident.objects.get(id_number_index=digest).place_path == dwellings[0].path
    # the next month's ledger: new phone, moved house, note column left empty
    job = run_import(
        people["shuji"],
        "residents",
        xlsx([["钱二", idn, "13700000099", dwellings[1].code, "", "", "", "", ""]]),
        "b.xlsx",
    )
    assert job.updated == 1
    resident = Resident.objects.get(
        id_number_index=Resident._meta.get_field("id_number_index").digest(idn)
    )
    assert resident.phone == "13700000099" and resident.phone_mask == "137****0099"
    assert resident.note == "原备注" and resident.residence_type == "registered"
    # the move keeps where they lived before as a past stay
    assert resident.place == dwellings[1]
    assert resident.place_path == dwellings[1].path  # bulk_update keeps the copy
    assert resident.moved_in_on == timezone.localdate()
    (before,) = Occupancy.objects.filter(resident=resident)
    assert before.place == dwellings[0] and before.ended_on == timezone.localdate()


def test_a_new_household_number_keeps_the_old_household_in_the_history(
    people, dwellings, run_import
):
    # given a son registered with his parents' household, and a lodger with none
    son, lodger = make_id("19900101", 41), make_id("19900101", 42)
    here = dwellings[0].code
    run_import(
        people["shuji"],
        "residents",
        xlsx([["孙子", son, "", here, "", "H-41", "子", "", ""]]),
        "a.xlsx",
    )
    run_import(
        people["shuji"],
        "residents",
        xlsx([["房客", lodger, "", here, "", "", "", "租住", ""]]),
        "b.xlsx",
    )
    # when next month's ledger has the son in his own household (分户) and gives
    # the lodger a household number for the first time
    job = run_import(
        people["shuji"],
        "residents",
        xlsx(
            [
                ["孙子", son, "", here, "", "H-42", "户主", "", ""],
                ["房客", lodger, "", here, "", "H-43", "户主", "租住", ""],
            ]
        ),
        "c.xlsx",
    )
    assert job.updated == 2
    # then the son's stay in his parents' household is history, at the same flat
    son_now = Resident.objects.get(name="孙子")
    assert son_now.household.number == "H-42"
    assert son_now.moved_in_on == timezone.localdate()
    (before,) = Occupancy.objects.filter(resident=son_now)
    assert before.household.number == "H-41" and before.place == dwellings[0]
    # and the lodger's first household number only completes the record
    assert not Occupancy.objects.filter(resident__name="房客").exists()


def test_a_dry_run_writes_nothing_but_reports_the_same_counts(
    people, dwellings, run_import
):
    rows = [
        ["孙三", make_id("19550101", 15), "", dwellings[0].code, "", "H-9", "", "", ""],
        [
            "孙三重复",
            make_id("19550101", 15),
            "",
            dwellings[0].code,
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    before = (Resident.objects.count(), Household.objects.count())
    dry = run_import(people["shuji"], "residents", xlsx(rows), "a.xlsx", dry_run=True)
    assert (dry.created, dry.rejected) == (1, 1)
    assert (Resident.objects.count(), Household.objects.count()) == before
    assert ImportRejection.objects.filter(job=dry).count() == 1


def test_gbk_csv_with_excel_dates_and_floats(people, dwellings, run_import):
    text = "姓名,身份证号,手机号码,住址编码\n周四,{},1.3800138005E10,{}\n".format(
        make_id("19660606", 21), dwellings[3].code
    )
    job = run_import(people["shuji"], "residents", text.encode("gbk"), "台账.csv")
    assert job.created == 1
    assert Resident.objects.get(name="周四").phone == "13800138005"


def test_a_grid_worker_cannot_import_into_another_grid(people, run_import):
    wangge = people["wangge"]
    own_grids = Place.objects.filter(assignments__user=wangge)
    other = (
        Place.objects.filter(kind=PlaceKind.DWELLING)
        .exclude(pk__in=Place.objects.subtree_of(own_grids[0]))
        .exclude(pk__in=Place.objects.subtree_of(own_grids[1]))
        .first()
    )
    elsewhere = (
        Resident.objects.exclude(place__in=Place.objects.subtree_of(own_grids[0]))
        .exclude(place__in=Place.objects.subtree_of(own_grids[1]))
        .first()
    )
    rows = [
        ["越界", make_id("19700707", 31), "", other.code, "", "", "", "", ""],
        [elsewhere.name, elsewhere.id_number, "", "", "", "", "", "", "改"],
    ]
    # the second row names a dwelling in wangge's grid for a person living elsewhere
    rows[1][3] = (
        Place.objects.subtree_of(own_grids[0])
        .filter(kind=PlaceKind.DWELLING)
        .first()
        .code
    )
    job = run_import(wangge, "residents", xlsx(rows), "a.xlsx")
    assert job.rejected == 2 and job.created == 0
    assert "权限" in job.errors[3] and "其他辖区" in job.errors[4]
    elsewhere.refresh_from_db()
    assert elsewhere.note != "改"


def test_roles_without_the_permission_cannot_start_an_import(people):
    from django.core.exceptions import PermissionDenied
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(PermissionDenied):
        services.start_import(
            actor=people["loudong"],
            kind="residents",
            upload=SimpleUploadedFile("a.csv", b"x"),
        )


def test_rejected_rows_come_back_as_a_workbook_to_fix_and_reimport(
    client_for, people, dwellings, run_import
):
    good_id = make_id("19750101", 41)
    bad = [["吴五", good_id, "123", dwellings[0].code, "", "", "", "", "手机号错"]]
    job = run_import(people["shuji"], "residents", xlsx(bad), "台账.xlsx")
    assert job.rejected == 1
    response = client_for("shuji").get(f"/transfer/jobs/{job.pk}/rejected.xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2:] == ("原行号", "错误原因")
    assert rows[1][:2] == ("吴五", good_id) and rows[1][-2] == 3
    assert "手机号码" in rows[1][-1]
    # fix the phone in the returned file and import it again
    sheet_rows = [list(r[:-2]) for r in rows]
    sheet_rows[1][2] = "13800138041"
    fixed = run_import(
        people["shuji"],
        "residents",
        xlsx(sheet_rows[1:], header=sheet_rows[0], title=None),
        "fixed.xlsx",
    )
    assert fixed.created == 1 and fixed.rejected == 0
    # another user cannot fetch the job
    assert client_for("jiedao").get(f"/transfer/jobs/{job.pk}/").status_code == 404


def test_rejected_cells_are_encrypted_at_rest(people, dwellings, run_import):
    from django.db import connection

    bad_id = wrong_check(make_id("19750101", 43))
    job = run_import(
        people["shuji"],
        "residents",
        xlsx([["郑六", bad_id, "", dwellings[0].code, "", "", "", "", ""]]),
        "a.xlsx",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cells FROM transfer_importrejection WHERE job_id = %s",
            [job.pk.hex if connection.vendor == "sqlite" else job.pk],
        )
        stored = bytes(cursor.fetchone()[0])
    assert bad_id.encode() not in stored
    assert json.loads(job.rejections.get().cells)[1] == bad_id


def test_a_file_with_other_headers_is_mapped_column_by_column(
    client_for, people, dwellings, django_capture_on_commit_callbacks
):
    data = xlsx(
        [["冯七", make_id("19800808", 51), dwellings[0].code]],
        header=["人员姓名", "证件号", "房屋"],
        title=None,
    )
    upload = io.BytesIO(data)
    upload.name = "other.xlsx"
    client = client_for("shuji")
    response = client.post("/transfer/import/residents/", {"file": upload})
    assert response.url.endswith("/mapping/")
    page = client.get(response.url).content.decode()
    assert "人员姓名" in page and "身份证号" in page
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            response.url, {"姓名": "人员姓名", "身份证号": "证件号", "住址编码": "房屋"}
        )
    assert "新增 <strong>1</strong>" in client.get(done.url).content.decode()
    assert Resident.objects.filter(name="冯七").exists()


def test_an_import_racing_another_does_not_duplicate_people(people, dwellings):
    """Another import registers the same person after our lookup, before our insert."""
    from jiceng.core.tabular import Row
    from jiceng.people.services import create_resident

    idn = make_id("19810101", 61)

    class RacedImporter(ResidentImporter):
        looked = False

        def _existing(self, parsed):
            if not self.looked:  # our first look happened before the other commit
                self.looked = True
                return {}
            return super()._existing(parsed)

    create_resident(
        actor=people["jiedao"], place=dwellings[0], name="并发", id_number=idn
    )
    row = Row(
        3,
        {
            "姓名": "并发",
            "身份证号": idn,
            "住址编码": dwellings[0].code,
            "备注": "导入的备注",
        },
        [],
    )
    importer = RacedImporter(people["shuji"], dry_run=False)
    outcomes = importer.write(importer.prepare([row]))
    assert [o.result for o in outcomes] == ["updated"]
    assert Resident.objects.filter(name="并发").count() == 1
    assert Resident.objects.get(name="并发").note == "导入的备注"


def test_the_cli_prints_the_counts_as_json(people, dwellings, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "台账.xlsx"
    path.write_bytes(
        xlsx(
            [
                [
                    "陈八",
                    make_id("19820202", 71),
                    "",
                    dwellings[0].code,
                    "",
                    "",
                    "",
                    "",
                    "",
                ],
                ["陈八", "123", "", dwellings[0].code, "", "", "", "", ""],
            ]
        )
    )
    out = io.StringIO()
    call_command(
        "import_data", str(path), kind="residents", json=True, user="shuji", stdout=out
    )
    result = json.loads(out.getvalue())
    assert result == {
        "total": 2,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "errors": [{"row": 4, "reason": result["errors"][0]["reason"]}],
    }
    assert "18位" in result["errors"][0]["reason"]


def test_the_upload_page_offers_the_template_and_columns(client_for):
    html = client_for("shuji").get("/transfer/import/residents/").content.decode()
    assert "/transfer/import/residents/template.xlsx" in html and "身份证号" in html
    index = client_for("shuji").get("/transfer/").content.decode()
    assert "导入居民" in index and "导入新就业群体" in index
    assert client_for("loudong").get("/transfer/import/residents/").status_code == 403


def test_unconfirmed_uploads_are_purged_after_the_retention_period(
    people, dwellings, run_import
):
    from datetime import timedelta

    from django.utils import timezone

    from jiceng.transfer.models import ImportJob

    rows = [
        ["林九", make_id("19830303", 95), "", dwellings[0].code, "", "", "", "", ""]
    ]
    dry = run_import(people["shuji"], "residents", xlsx(rows), "a.xlsx", dry_run=True)
    assert dry.file and dry.file.storage.exists(dry.file.name)
    name = dry.file.name
    assert services.purge_old_files() == 0  # still fresh: kept for its commit
    ImportJob.objects.filter(pk=dry.pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    assert services.purge_old_files() == 1
    dry.refresh_from_db()
    assert not dry.file and not dry.file.storage.exists(name)
    assert dry.created == 1  # the record of what was checked stays
