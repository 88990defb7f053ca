"""The window's story: 全科受理, 一次性告知, the working-day clock, hand-off to the
handling level, the result, collection and rating, 最多跑一次, and who sees what."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiceng.core.models import AuditEntry, Department
from jiceng.onewindow import services
from jiceng.onewindow.errors import Code
from jiceng.onewindow.models import Application, Channel, Status
from jiceng.people.models import Resident

pytestmark = pytest.mark.django_db


def resident_in(community):
    return (
        Resident.objects.filter(place__path__startswith=community.path, user=None)
        .order_by("pk")
        .first()
    )


def at_window(people, community, item, provided=(), now=None):
    return services.submit(
        actor=people["shegong"],
        item=item,
        channel=Channel.WINDOW,
        resident=resident_in(community),
        community=community,
        provided=provided,
        now=now,
    )


def test_the_notice_lists_every_missing_material_once(people, community, item):
    # given an application for 低保 with only the ID card brought
    first = item.materials.first()
    application = at_window(people, community, item, provided=[first.pk])
    # when the clerk issues the 一次性告知书
    notice = services.issue_notice(actor=people["shegong"], application=application)
    # then every other required material is listed, and nothing else
    expected = [m.name for m in item.materials.all() if m.required][1:]
    assert [m["name"] for m in notice.missing] == expected
    assert len(expected) == 3
    application.refresh_from_db()
    assert application.status == Status.INCOMPLETE
    # and a second demand for materials is refused
    with pytest.raises(ValidationError) as refused:
        services.issue_notice(actor=people["shegong"], application=application)
    assert refused.value.code == Code.NOTICE_ONCE


def test_the_printable_notice_shows_all_missing_materials(
    people, community, item, client_for
):
    application = at_window(people, community, item)
    client = client_for("shegong")
    # when the clerk presses the button on the application page
    response = client.post(
        f"/onewindow/applications/{application.pk}/notice/",
        {"version": application.version},
    )
    # then the printable page opens and names every material
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    for material in item.materials.all():
        assert material.name in text
    assert "不会再要求您补正其他材料" in text


def test_an_incomplete_application_cannot_be_accepted(people, community, item):
    application = at_window(people, community, item)
    with pytest.raises(ValidationError) as refused:
        services.accept(actor=people["shegong"], application=application)
    assert refused.value.code == Code.INCOMPLETE


@pytest.mark.parametrize(
    ("code", "deadline"),
    [
        # 1 working day from 30 Sep 2025: 1–8 Oct are the National Day holiday
        ("YC001", datetime(2025, 10, 9, 17, 30)),
        # 5 working days: 9, 10, 11 (the Saturday worked in its place), 13, 14 Oct
        ("YC006", datetime(2025, 10, 14, 17, 30)),
    ],
)
def test_deadlines_skip_holidays_and_count_make_up_days(
    people, community, items, code, deadline
):
    # given a complete application accepted on the eve of the National Day holiday
    item = items[code]
    now = timezone.make_aware(datetime(2025, 9, 30, 10, 0))
    application = at_window(
        people, community, item, provided=[m.pk for m in item.materials.all()], now=now
    )
    # when it is accepted
    application = services.accept(
        actor=people["shegong"], application=application, now=now
    )
    # then the deadline is counted in working days on the existing clock
    assert timezone.localtime(application.deadline).replace(tzinfo=None) == deadline


def test_a_cancelled_proof_cannot_be_accepted_and_the_reason_is_shown(
    people, community, items, client_for
):
    proof_item = items["YC029"]  # 亲属关系证明
    # when the clerk tries to take it at the window
    with pytest.raises(ValidationError) as refused:
        at_window(people, community, proof_item)
    # then it is refused with the reason and what to do instead
    assert refused.value.code == Code.REFUSED_PROOF
    assert "无法律法规依据" in refused.value.messages[0]
    assert "户口簿" in refused.value.messages[0]
    # and the window's form says so too, keeping what was typed
    before = Application.objects.count()
    response = client_for("shegong").post(
        "/onewindow/applications/new/",
        {
            "item": proof_item.pk,
            "community": community.pk,
            "applicant_name": "王桂兰",
        },
    )
    assert response.status_code == 400
    assert "无法律法规依据" in response.content.decode()
    assert "王桂兰" in response.content.decode()
    assert Application.objects.count() == before


def test_an_item_linked_to_a_cancelled_proof_later_is_not_accepted(
    people, community, items
):
    from jiceng.onewindow.models import ProofMatter

    item = items["YC001"]
    application = at_window(
        people, community, item, provided=[m.pk for m in item.materials.all()]
    )
    services.update_item(
        actor=people["quadmin"],
        item=item,
        refused_proof=ProofMatter.objects.get(title="收入证明"),
    )
    with pytest.raises(ValidationError) as refused:
        services.accept(actor=people["shegong"], application=application)
    assert refused.value.code == Code.REFUSED_PROOF


def test_phone_application_completed_handed_decided_collected_and_rated(
    people, items, jpeg, client
):
    # given dangyuan applies on the phone for 高龄津贴 with the ID card only
    item = items["YC003"]
    resident = people["dangyuan"]
    id_card = item.materials.get(name="居民身份证")
    application = services.submit(
        actor=resident,
        item=item,
        channel=Channel.ONLINE,
        uploads={id_card.pk: jpeg()},
    )
    assert application.visits == 0
    # when the window tells them once what is missing
    notice = services.issue_notice(actor=people["shegong"], application=application)
    assert {m["name"] for m in notice.missing} == {"户口簿", "银行卡"}
    # and they upload the rest from the phone
    rest = {m.pk: jpeg(f"{m.pk}.jpg") for m in item.materials.exclude(pk=id_card.pk)}
    application = services.resupply(
        actor=resident, application=application, uploads=rest
    )
    assert application.status == Status.SUBMITTED
    # then the window accepts and it goes to the street with its deadline
    application = services.accept(actor=people["shegong"], application=application)
    assert application.status == Status.HANDED
    assert application.handling_place.kind == "street"
    assert application.deadline > application.accepted_at
    # the street decides, the result is posted, the resident rates by the link
    services.decide(actor=people["jiedao"], application=application, approve=True)
    services.collect(actor=people["shegong"], application=application, method="mail")
    response = client.post(
        f"/onewindow/track/{application.token}/", {"score": 5, "comment": "没跑腿"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.rating, application.visits) == (
        Status.COLLECTED,
        5,
        0,
    )
    # and it counts toward 最多跑一次
    rates = services.one_visit_rates(
        Application.objects.filter(pk=application.pk), "item"
    )
    assert rates == [
        {
            "id": item.pk,
            "name": item.name,
            "finished": 1,
            "at_most_once": 1,
            "rate": 100.0,
        }
    ]


def test_coming_back_to_the_window_is_a_second_visit(people, community, item):
    application = at_window(people, community, item)
    services.issue_notice(actor=people["shegong"], application=application)
    application = services.resupply(
        actor=people["shegong"],
        application=application,
        provided=[m.pk for m in item.materials.all()],
        at_window=True,
    )
    assert application.visits == 2
    assert application.status == Status.SUBMITTED


def test_the_street_cannot_decide_what_a_department_handles(people, community, items):
    item = items["YC021"]  # 临时占道审批: 城市管理局
    application = services.accept(
        actor=people["shegong"],
        application=at_window(
            people, community, item, provided=[m.pk for m in item.materials.all()]
        ),
    )
    assert application.handling_department == Department.objects.get(code="CGJ")
    with pytest.raises(Exception) as refused:
        services.decide(actor=people["jiedao"], application=application, approve=True)
    assert refused.type.__name__ == "PermissionDenied"
    services.decide(actor=people["bumen"], application=application, approve=True)


def test_files_other_than_pictures_and_pdf_are_refused(people, community, item):
    first = item.materials.first()
    text = SimpleUploadedFile("a.exe", b"MZ\x90\x00 not a picture", "image/jpeg")
    with pytest.raises(ValidationError) as refused:
        services.submit(
            actor=people["shegong"],
            item=item,
            channel=Channel.WINDOW,
            applicant_name="张三",
            community=community,
            uploads={first.pk: text},
        )
    assert refused.value.code == Code.FILE
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")
    application = services.submit(
        actor=people["shegong"],
        item=item,
        channel=Channel.WINDOW,
        applicant_name="张三",
        community=community,
        uploads={first.pk: pdf},
    )
    line = application.materials.get(material=first)
    assert line.provided and line.content_type == "application/pdf"


def test_a_resident_sees_only_their_own_applications(people, api_for, community):
    mine = Application.objects.filter(applicant_user=people["dangyuan"])
    other = Application.objects.exclude(applicant_user=people["dangyuan"]).first()
    api = api_for("dangyuan")
    listed = api.get("/api/v1/applications/", {"limit": 100}).json()
    assert listed["count"] == mine.count() >= 1
    assert {a["id"] for a in listed["items"]} == set(mine.values_list("pk", flat=True))
    assert api.get(f"/api/v1/applications/{other.pk}").status_code == 404


def test_a_department_sees_only_what_was_handed_to_it(people, api_for):
    handed = Application.objects.filter(handling_department__code="CGJ")
    listed = api_for("bumen").get("/api/v1/applications/", {"limit": 100}).json()
    assert listed["count"] == handed.count() >= 1
    assert {a["id"] for a in listed["items"]} == set(
        handed.values_list("pk", flat=True)
    )


def test_every_write_leaves_an_audit_row(people, community, item):
    before = AuditEntry.objects.filter(target_type="onewindow.application").count()
    application = at_window(people, community, item)
    services.issue_notice(actor=people["shegong"], application=application)
    services.withdraw(actor=people["shegong"], application=application)
    after = AuditEntry.objects.filter(target_type="onewindow.application").count()
    assert after - before == 3


def test_the_window_may_not_take_applications_for_another_community(
    people, community, item
):
    from jiceng.core.models import Assignment

    elsewhere = Assignment.objects.get(user=people["wangge2"]).place.ancestor_of_kind(
        "community"
    )
    with pytest.raises(Exception) as refused:
        at_window(people, elsewhere, item)
    assert refused.type.__name__ == "PermissionDenied"


def test_api_creates_an_application_on_the_phone(people, api_for, items):
    item = items["YC007"]
    response = api_for("dangyuan").post(
        "/api/v1/applications/",
        {"item": item.pk, "channel": "online"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert set(body["missing"]) == {m.name for m in item.materials.all()}
