"""Bulletins: the generated docx opens with python-docx and carries the figures,
a street's own template is filled in, the command writes a file, and alliances'
buttons lead to the same mechanism."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from docx import Document

from jiceng.assessment import services
from jiceng.assessment.models import BulletinStatus
from jiceng.assessment.services.supervision import rates


def text_of(body):
    document = Document(io.BytesIO(body))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_docx_carries_the_right_figures(people):
    # given the district's data
    admin = people["quadmin"]
    district = admin.assignments.get().place
    total, _ = rates(admin, within=district)
    # when the month's bulletin is generated
    bulletin = services.bulletins.generate(
        actor=admin, place=district, period="2026-11"
    )
    # then the Word file opens and says what the ledger says
    text = text_of(bulletin.file.read())
    assert f"发现问题{total.found}个，已整改{total.fixed}个" in text
    for heading in (
        "事件办理",
        "督察检查与整改",
        "红黑榜",
        "双报到",
        "议事协商",
        "联席会议",
    ):
        assert heading in text
    assert bulletin.figures["rectification"]["found"] == total.found


def test_a_street_template_is_filled_in(people, client_for):
    # given a street's own template with placeholders
    template = Document()
    template.add_paragraph("泸州市中和区{{辖区}}文件")
    template.add_paragraph("{{标题}}")
    template.add_paragraph("{{正文}}")
    template.add_paragraph("（此件公开发布） {{生成时间}}")
    buffer = io.BytesIO()
    template.save(buffer)
    street = people["jiedao"].assignments.get().place
    services.bulletins.save_template(
        actor=people["jiedao"],
        place=street,
        file=SimpleUploadedFile("t.docx", buffer.getvalue()),
    )
    # when the street generates its quarter's bulletin and asks for it public
    bulletin = services.bulletins.generate(
        actor=people["jiedao"], place=street, period="2026Q4"
    )
    text = text_of(bulletin.file.read())
    # then the template's own lines hold the values and the sections sit in place
    assert f"泸州市中和区{street.name}文件" in text and "{{" not in text
    assert text.index("一、事件办理") < text.index("（此件公开发布）")
    # and the public sees it only once approved
    bulletin = services.bulletins.publish(
        actor=people["jiedao"], bulletin=bulletin, public=True
    )
    assert bulletin.status == BulletinStatus.PENDING
    services.bulletins.approve(actor=people["jiedao"], bulletin=bulletin)
    page = client_for("dangyuan").get("/assessment/public/bulletins/")
    assert bulletin.title in page.content.decode()


def test_the_command_writes_docx_and_pdf(people, tmp_path):
    district = people["quadmin"].assignments.get().place
    out = tmp_path / "b.docx"
    call_command("bulletin", place=district.code, period="2026-11", out=str(out))
    assert "事件办理" in text_of(out.read_bytes())
    pdf = tmp_path / "b.pdf"
    call_command("bulletin", place=district.code, period="2026Q4", out=str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_bad_period_is_a_clear_error(client_for):
    response = client_for("jiedao").get("/assessment/bulletins/download/?period=11月")
    assert response.status_code == 400 and "格式错误" in response.content.decode()


def test_the_district_picks_any_of_its_places_for_a_bulletin(people, client_for):
    # given a district with more streets and communities than a page used to list
    import re

    from jiceng.places.models import Place, PlaceKind

    district = people["quadmin"].assignments.get().place
    street = Place.objects.add_child(
        district, {"name": "末尾街道", "kind": "street", "code": f"{district.code}950"}
    )
    for n in range(60):
        Place.objects.add_child(
            street,
            {
                "name": f"末尾{n}社区",
                "kind": "community",
                "code": f"{street.code}{n:03d}",
            },
        )
    # when the district's staff open the bulletins page
    body = client_for("quadmin").get("/assessment/bulletins/").content.decode()
    offered = re.findall(r'<option value="(\d+)">', body)
    # then every district, street and community of the district is offered, the
    # last street's communities included, in tree order
    expected = Place.objects.filter(
        kind__in=[PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY]
    ).values_list("pk", flat=True)
    assert offered == [str(pk) for pk in expected]
    assert "末尾59社区" in body
    # and a street's staff are offered their street and its communities only
    body = client_for("jiedao").get("/assessment/bulletins/").content.decode()
    own = people["jiedao"].assignments.get().place
    assert set(re.findall(r'<option value="(\d+)">', body)) == {
        str(p.pk)
        for p in Place.objects.filter(
            path__startswith=own.path,
            kind__in=[PlaceKind.STREET, PlaceKind.COMMUNITY],
        )
    }


def test_a_tampered_place_is_a_clear_answer_not_a_server_error(people, client_for):
    # given staff who make bulletins and rankings
    client = client_for("quadmin")
    # when a form names a place that is not an id, then it comes back saying so
    bulletin = client.post(
        "/assessment/bulletins/", {"place": "abc", "period": "2026-11"}, follow=True
    )
    assert bulletin.status_code == 200 and "请选择辖区" in bulletin.content.decode()
    ranking = client.post(
        "/assessment/rankings/", {"place": "1x", "period": "2026-11"}, follow=True
    )
    assert ranking.status_code == 200 and "请选择街道或全区" in ranking.content.decode()
    # and a download link naming such a place is not found
    download = client.get("/assessment/bulletins/download/", {"place": "abc"})
    assert download.status_code == 404
