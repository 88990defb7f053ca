"""Alliances at work, the member's page, the generated documents and the phone
layout of the pages people use on the move."""

import io

import pytest
from django.utils import timezone

from jiceng.alliances.models import Alliance, AllianceMember, TermStatus
from jiceng.alliances.services import alliances as services

pytestmark = pytest.mark.django_db


def test_the_demo_alliance_rotates_its_chair_with_a_term_report(people):
    alliance = Alliance.objects.get(name__endswith="区域化党建联盟")
    terms = list(alliance.terms.order_by("starts_on"))
    assert terms[0].status == TermStatus.DONE and terms[0].report
    assert terms[1].status == TermStatus.CURRENT
    # the current chair hands over: the next member takes up the chair
    following = services.hand_over(
        actor=people["jiedao"], alliance=alliance, report="本季度召开联席会议2次"
    )
    assert following == terms[2]
    following.refresh_from_db()
    assert following.status == TermStatus.CURRENT


def test_the_alliance_page_groups_the_plan_by_four_co(client_for):
    alliance = Alliance.objects.get(name__endswith="区域化党建联盟")
    response = client_for("jiedao").get(f"/alliances/alliances/{alliance.pk}/")
    assert response.status_code == 200
    labels = [group["label"] for group in response.context["by_tag"]]
    assert labels == ["共商", "共建", "共治", "共享"]
    assert all(group["items"] for group in response.context["by_tag"])


def test_a_member_units_page_shows_what_it_committed_and_did(client_for, unit):
    member = AllianceMember.objects.get(unit=unit)
    response = client_for("danwei").get(f"/alliances/members/{member.pk}/")
    assert response.status_code == 200
    assert response.context["agreements"]
    assert response.context["tasks"]


@pytest.mark.parametrize("period", ["month", "quarter", "year"])
def test_the_report_is_generated_as_docx_and_pdf(client_for, period):
    from docx import Document

    client = client_for("jiedao")
    # the buttons lead to the platform's one bulletin (assessment's)
    docx = client.get(f"/alliances/report/?period={period}&format=docx", follow=True)
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "联席会议与议定事项" in text and "共建协议" in text
    pdf = client.get(f"/alliances/report/?period={period}&format=pdf", follow=True)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "url",
    [
        "/alliances/",
        "/alliances/venues/",
        "/alliances/me/meetings/",
        "/alliances/me/tasks/",
        "/alliances/coverage/",
    ],
)
def test_phone_pages_render(client_for, url):
    response = client_for("shuji").get(url)
    assert response.status_code == 200
    assert b'name="viewport"' in response.content


def test_today_is_in_the_demo_week_calendar(client_for):
    from jiceng.alliances.models import Venue

    venue = Venue.objects.filter(bookings__isnull=False).first()
    response = client_for("shuji").get(f"/alliances/venues/{venue.pk}/")
    assert response.status_code == 200
    days = [d["day"] for d in response.context["days"]]
    assert timezone.localdate() in days
