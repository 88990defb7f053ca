"""The other 台账: new-employment workers, households, units and party members."""

import io

import pytest

from jiceng.core.validators import compose_id_number as make_id
from jiceng.party.models import PartyMember, PartyOrg
from jiceng.people.models import GigWorker, Household, Resident, Unit
from jiceng.places.models import Place, PlaceKind
from jiceng.transfer.workbooks import write_workbook

pytestmark = pytest.mark.django_db


def xlsx(header, rows):
    buffer = io.BytesIO()
    write_workbook(buffer, [header, *rows])
    return buffer.getvalue()


@pytest.fixture
def community(people):
    return Place.objects.get(assignments__user=people["shuji"])


def test_riders_report_to_the_community_and_reimport_is_idempotent(
    people, community, run_import
):
    grid = Place.objects.get_children(community).first()
    header = [
        "姓名",
        "身份证号码",
        "手机号",
        "从业类型",
        "平台",
        "社区编码",
        "服务区域",
        "报到日期",
        "政治面貌",
        "备注",
    ]
    rows = [
        [
            "刘一骑",
            make_id("19950101", 81),
            "13800138081",
            "外卖骑手",
            "美团",
            community.code,
            "幸福路商圈",
            "2026年3月1日",
            "党员",
            "",
        ],
        [
            "陈二快",
            make_id("19960101", 82),
            "",
            "快递小哥",
            "顺丰",
            community.code,
            "",
            46082,
            "群众",
            "",
        ],  # an Excel serial date
        [
            "错社区",
            make_id("19970101", 83),
            "",
            "外卖骑手",
            "",
            grid.code,
            "",
            "",
            "",
            "",
        ],
        [
            "坏日期",
            make_id("19980101", 84),
            "",
            "外卖骑手",
            "",
            community.code,
            "",
            "去年春天",
            "",
            "",
        ],
    ]
    data = xlsx(header, rows)
    job = run_import(people["shuji"], "workers", data, "新就业群体.xlsx")
    assert (job.created, job.rejected) == (2, 2)
    assert "应为社区" in job.errors[4] and "无法识别" in job.errors[5]
    rider = GigWorker.objects.get(name="刘一骑")
    assert rider.occupation == "rider" and rider.is_party_member
    assert str(rider.reported_on) == "2026-03-01" and rider.phone_mask == "138****8081"
    assert str(GigWorker.objects.get(name="陈二快").reported_on) == "2026-03-01"
    again = run_import(people["shuji"], "workers", data, "新就业群体.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_the_worker_pages_register_list_and_hide_other_communities(
    client_for, people, community
):
    client = client_for("shuji")
    response = client.post(
        "/people/workers/new/",
        {
            "name": "赵三送",
            "id_number": make_id("19900909", 85),
            "phone": "13800138085",
            "occupation": "courier",
            "platform": "京东",
            "community_code": community.code,
        },
    )
    worker = GigWorker.objects.get(name="赵三送")
    assert response.url == worker.get_absolute_url()
    assert "赵三送" in client.get("/people/workers/").content.decode()
    assert client_for("jiedao2").get(worker.get_absolute_url()).status_code == 404
    bad = client.post(
        "/people/workers/new/",
        {
            "name": "越界",
            "id_number": make_id("19900909", 86),
            "occupation": "rider",
            "community_code": Place.objects.filter(kind="community")
            .exclude(pk=community.pk)
            .first()
            .code,
        },
    )
    assert bad.status_code == 400 and "权限" in bad.content.decode()


def test_households_are_imported_with_their_head(people, community, run_import):
    dwelling = Place.objects.subtree_of(community).filter(kind=PlaceKind.DWELLING)[0]
    head = Resident.objects.visible_to(people["shuji"]).first()
    job = run_import(
        people["shuji"],
        "households",
        xlsx(
            ["户号", "住址编码", "户主身份证号", "备注"],
            [
                ["HH-01", dwelling.code, head.id_number, "三代同堂"],
                ["HH-02", dwelling.code, make_id("19010101", 87), ""],
            ],
        ),
        "户.xlsx",
    )
    assert (job.created, job.rejected) == (1, 1) and "先导入居民" in job.errors[3]
    household = Household.objects.get(number="HH-01")
    head.refresh_from_db()
    assert household.head == head and head.household == household
    assert head.relation == "head"


def test_members_are_matched_to_residents_and_their_organisation(
    people, community, run_import
):
    org = (
        PartyOrg.objects.visible_to(people["shuji"], "change")
        .filter(place__in=Place.objects.subtree_of(community))
        .order_by("-depth")
        .first()
    )
    resident = (
        Resident.objects.visible_to(people["shuji"])
        .filter(party_member__isnull=True, birth_date__year__lt=1990)
        .first()
    )
    header = [
        "姓名",
        "身份证号码",
        "所在支部",
        "人员类别",
        "入党时间",
        "预备党员",
        "工作单位",
        "备注",
    ]
    job = run_import(
        people["shuji"],
        "members",
        xlsx(
            header,
            [
                [
                    resident.name,
                    resident.id_number,
                    org.name,
                    "离退休党员",
                    "2010.7.1",
                    "否",
                    "",
                    "",
                ],
                ["不在库", make_id("19700101", 88), org.name, "在职", "", "", "", ""],
                [
                    resident.name,
                    resident.id_number,
                    "不存在的支部",
                    "在职",
                    "",
                    "",
                    "",
                    "",
                ],
            ],
        ),
        "党员.xlsx",
    )
    assert job.created == 1 and job.rejected == 2
    assert "先导入居民" in job.errors[3]
    member = PartyMember.objects.get(resident=resident)
    assert member.org == org and member.status == "retired"
    assert str(member.joined_on) == "2010-07-01"


def test_units_are_upserted_by_credit_code(people, community, run_import):
    header = ["单位名称", "单位类型", "统一社会信用代码", "所在地编码", "从业人数"]
    data = xlsx(
        header,
        [
            [
                "测试科技有限公司",
                "非公企业",
                "91110000600037341L",
                community.code,
                "12",
            ],
            ["坏代码公司", "非公企业", "91110000600037341X", community.code, ""],
        ],
    )
    job = run_import(people["shuji"], "units", data, "单位.xlsx")
    assert (job.created, job.rejected) == (1, 1) and "校验位" in job.errors[3]
    again = run_import(
        people["shuji"],
        "units",
        xlsx(
            header,
            [
                [
                    "测试科技有限公司",
                    "非公企业",
                    "91110000600037341L",
                    community.code,
                    "15",
                ]
            ],
        ),
        "单位.xlsx",
    )
    assert again.updated == 1
    assert Unit.objects.get(credit_code="91110000600037341L").staff_count == 15
