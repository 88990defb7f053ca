"""Key populations: classified dynamic management with reviews, history and sensitivity."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiceng.people import services
from jiceng.people.models import KeyPopulation, Resident, ResidentTag

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(people):
    """Someone in wangge's grid, in loudong's building where possible."""
    return (
        Resident.objects.visible_to(people["loudong"])
        .filter(pk__in=Resident.objects.visible_to(people["wangge"]))
        .first()
    )


def category(code):
    return KeyPopulation.objects.get(code=code)


def tag_as(actor, resident, code, reason, **extra):
    return services.tag_resident(
        actor=actor, resident=resident, category=category(code), reason=reason, **extra
    )


def test_the_usual_categories_are_configured_with_levels_and_intervals():
    names = set(KeyPopulation.objects.values_list("name", flat=True))
    assert {
        "独居老人",
        "高龄老人",
        "残疾人",
        "低保户",
        "特困人员",
        "退役军人",
        "留守儿童",
        "社区矫正对象",
        "严重精神障碍患者",
    } <= names
    assert category("community_correction").sensitivity == 3
    assert category("elderly_alone").review_days == 30


def test_a_grid_worker_tags_then_reviews_and_history_is_kept(people, resident):
    wangge = people["wangge"]
    tag = tag_as(wangge, resident, "elderly_alone", "子女在外地")
    assert tag.next_review_on == date.today() + timedelta(days=30)
    with pytest.raises(ValidationError) as info:
        tag_as(wangge, resident, "elderly_alone", "再登记一次")
    assert "已有有效" in str(info.value)

    services.review_tag(actor=wangge, tag=tag, kept=True, note="入户探访，身体尚可")
    tag.refresh_from_db()
    assert tag.active and tag.reviews.count() == 1
    services.review_tag(actor=wangge, tag=tag, kept=False, note="已随子女迁居")
    tag.refresh_from_db()
    assert not tag.active and tag.ended_reason == "已随子女迁居"
    assert [r.kept for r in tag.reviews.order_by("pk")] == [True, False]
    # tagging again later opens a new period; the old one stays in the history
    tag_as(wangge, resident, "elderly_alone", "又回来独居")
    assert ResidentTag.objects.filter(resident=resident).count() == 2


def test_sensitive_categories_are_hidden_from_roles_without_the_level(people, resident):
    tag_as(people["wangge"], resident, "community_correction", "司法所通知")
    tag_as(people["wangge"], resident, "disabled", "持证")
    seen_by_lead = set(
        ResidentTag.objects.visible_to(people["loudong"])
        .filter(resident=resident)
        .values_list("category__code", flat=True)
    )
    assert seen_by_lead == {"disabled"}
    seen_by_worker = set(
        ResidentTag.objects.visible_to(people["wangge"])
        .filter(resident=resident)
        .values_list("category__code", flat=True)
    )
    assert seen_by_worker == {"disabled", "community_correction"}
    assert (
        not ResidentTag.objects.visible_to(people["wangge2"])
        .filter(resident=resident)
        .exists()
    )
    with pytest.raises(PermissionDenied):
        tag_as(people["loudong"], resident, "mental_disorder", "x")


def test_the_resident_page_shows_only_visible_tags(client_for, people, resident):
    tag_as(people["wangge"], resident, "community_correction", "司法所通知")
    worker_page = client_for("wangge").get(resident.get_absolute_url()).content.decode()
    lead_page = client_for("loudong").get(resident.get_absolute_url()).content.decode()
    assert "社区矫正对象" in worker_page and "社区矫正对象" not in lead_page


def test_the_due_list_shows_tags_to_review_this_week(client_for, people, resident):
    tag = tag_as(
        people["wangge"],
        resident,
        "elderly_80",
        "85岁",
        tagged_on=date.today() - timedelta(days=200),
    )
    assert tag in services.due_for_review(people["wangge"])
    html = client_for("wangge").get("/people/tags/", {"status": "due"}).content.decode()
    assert resident.name in html and "复核" in html
    assert (
        resident.name
        not in client_for("wangge2")
        .get("/people/tags/", {"status": "due"})
        .content.decode()
    )


def test_tagging_and_reviewing_through_the_pages(client_for, people, resident):
    client = client_for("wangge")
    response = client.post(
        f"/people/residents/{resident.pk}/tags/new/",
        {"category": category("veteran").pk, "reason": ""},
    )
    assert response.status_code == 400 and "认定依据" in response.content.decode()
    client.post(
        f"/people/residents/{resident.pk}/tags/new/",
        {"category": category("veteran").pk, "reason": "退役证"},
    )
    tag = ResidentTag.objects.get(resident=resident, category__code="veteran")
    response = client.post(
        f"/people/tags/{tag.pk}/review/",
        {"kept": "1", "note": "核实", "next_review_on": "2000-01-01"},
    )
    assert response.status_code == 400 and "晚于今天" in response.content.decode()
    assert (
        client.post(
            f"/people/tags/{tag.pk}/review/", {"kept": "0", "note": "误登记"}
        ).status_code
        == 302
    )
    assert (
        client_for("wangge2").get(f"/people/tags/{tag.pk}/review/").status_code == 404
    )


def test_the_api_lists_tags_up_to_the_callers_level(api_for, people, resident):
    tag_as(people["wangge"], resident, "mental_disorder", "卫生院转介")
    worker = (
        api_for("wangge").get("/api/v1/key-population-tags/", {"limit": 500}).json()
    )
    lead = api_for("loudong").get("/api/v1/key-population-tags/", {"limit": 500}).json()
    assert "严重精神障碍患者" in {t["category"] for t in worker["items"]}
    assert "严重精神障碍患者" not in {t["category"] for t in lead["items"]}
    riders = api_for("shuji").get("/api/v1/gig-workers/").json()
    assert riders["count"] > 0 and "*" in riders["items"][0]["phone_masked"]
    assert api_for("wangge").get("/api/v1/gig-workers/").json()["count"] == 0


def test_the_ledger_column_adds_tags_within_the_importers_level(
    people, resident, run_import
):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号", "住址编码", "重点人群"])
    workbook.active.append(
        [resident.name, resident.id_number, resident.place.code, "残疾人、退役军人"]
    )
    workbook.active.append(
        [resident.name, "110105194912310038", resident.place.code, "外星人"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = run_import(people["wangge"], "residents", buffer.getvalue(), "台账.xlsx")
    assert (job.updated, job.rejected) == (1, 1) and "不存在" in job.errors[3]
    open_tags = set(
        ResidentTag.objects.filter(resident=resident, ended_on=None).values_list(
            "category__code", flat=True
        )
    )
    assert {"disabled", "veteran"} <= open_tags
    again = run_import(people["wangge"], "residents", buffer.getvalue(), "台账.xlsx")
    assert again.unchanged == 1
    # community staff (敏感 at most) may not record restricted ones through a ledger
    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号", "住址编码", "重点人群"])
    workbook.active.append(
        [resident.name, resident.id_number, resident.place.code, "社区矫正对象"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = run_import(people["shegong"], "residents", buffer.getvalue(), "b.xlsx")
    assert job.rejected == 1 and "无权登记" in job.errors[2]


def test_district_admins_configure_the_categories(client_for, people):
    client = client_for("quadmin")
    assert "独居老人" in client.get("/people/key-populations/").content.decode()
    response = client.post(
        "/people/key-populations/new/",
        {
            "code": "hiv_care",
            "name": "关爱帮扶对象",
            "sensitivity": "3",
            "review_days": "60",
            "order": "99",
            "active": "on",
        },
    )
    assert response.status_code == 302
    created = KeyPopulation.objects.get(code="hiv_care")
    assert created.sensitivity == 3 and created.review_days == 60
    duplicate = client.post(
        "/people/key-populations/new/",
        {
            "code": "x",
            "name": "关爱帮扶对象",
            "sensitivity": "1",
            "review_days": "30",
            "order": "0",
        },
    )
    assert duplicate.status_code == 400 and "关爱帮扶对象" in duplicate.content.decode()
    for username in ("jiedao", "shuji", "wangge"):
        assert client_for(username).get("/people/key-populations/").status_code == 403
