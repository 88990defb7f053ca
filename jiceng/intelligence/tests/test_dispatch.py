"""Smart dispatch: suggestions learned from closed cases, cold start, versioning,
auto-dispatch where a street allows it, and dispatchers' corrections."""

import json

import pytest
from django.core.management import call_command

from jiceng.cases import services
from jiceng.cases.models import Case, Category, RoutingRule
from jiceng.cases.workflow import Status
from jiceng.core.models import Department
from jiceng.intelligence import corpus, learning
from jiceng.intelligence.models import DispatchCorrection, DispatchModel, StreetSetting
from jiceng.intelligence.services import dispatch
from jiceng.places.models import PlaceKind

from .conftest import closed_cases

pytestmark = pytest.mark.django_db

# The floor the held-out demo corpus must keep: a model that falls below fails here.
CATEGORY_TOP1_FLOOR = 0.8
CATEGORY_TOP3_FLOOR = 0.90  # measured 0.92–0.96 as the held-out fifth varies with ids
HANDLER_TOP1_FLOOR = 0.7


def test_cold_start_uses_rules_and_keywords(grids):
    # given a district with few closed cases and a rule for street lights
    Case.objects.filter(status=Status.CLOSED).update(status=Status.VERIFIED)
    light = Category.objects.get(code="BJ0117")
    cgj = Department.objects.get(code="CGJ")
    RoutingRule.objects.create(
        category=light,
        place=grids[0].ancestor_of_kind(PlaceKind.STREET),
        department=cgj,
    )
    # when retraining runs, no model is made
    assert dispatch.retrain() is None
    # and a report about a dark street light is suggested from keywords and the rule
    found = dispatch.suggest("小区门口的路灯晚上不亮", place=grids[0])
    assert found.source == "rules"
    top = found.items[0]
    assert top.category == light and top.department == cgj and top.by_rule
    assert top.confidence <= 0.5  # keywords never claim certainty


def test_model_learns_explains_and_refuses_a_worse_version(grids, client_for, people):
    # given 500 closed cases written the way residents write
    cases = closed_cases(grids, 500)
    # when the model is trained
    first = dispatch.retrain()
    # then it is accepted and beats the floor on the held-out fifth
    assert first.accepted and first.held_out >= 60
    assert first.category_top1 >= CATEGORY_TOP1_FLOOR
    assert first.category_top3 >= CATEGORY_TOP3_FLOOR
    assert first.handler_top1 >= HANDLER_TOP1_FLOOR
    # and a new report gets three explained suggestions with similar past cases
    found = dispatch.suggest(
        "福星水岸3号楼下垃圾堆了好几天没人收，臭烘烘的", place=grids[0]
    )
    assert found.source == "model" and len(found.items) == 3
    assert found.items[0].category.code == "SJ0102"
    assert found.items[0].confidence > found.items[1].confidence
    assert any(
        "垃圾" in name
        for name, _w in dispatch.suggest("垃圾没人收", place=grids[0], explain=True)
        .items[0]
        .explanation
    )
    assert dispatch.suggest("垃圾没人收", place=grids[0], explain=True).similar

    # when a worse model is judged against the one in use (labels shuffled)
    rows = dispatch.training_cases()
    test = [r for r in rows if learning.held_out(r[0])]
    train = [r for r in rows if not learning.held_out(r[0])]
    shuffled = [train[(n * 7) % len(train)][2] for n in range(len(train))]
    worse = learning.train([r[1] for r in train], shuffled, [r[3] for r in train])
    refused = dispatch._judge(worse, len(train), test)
    # then it is refused and the first version stays in use
    assert not refused.accepted and refused.blob in (b"", memoryview(b""))
    assert dispatch.current_model()[0] == first

    # and the API gives the dispatcher's screen the same suggestions
    case = services.report_case(
        actor=people["wangge"],
        category=Category.objects.get(code="SJ0102"),
        description="垃圾堆在楼下好几天了",
        place=grids[0],
    )
    client = client_for("jiedao")
    body = client.get(f"/api/v1/cases/{case.pk}/suggestions").json()
    assert body["source"] == "model" and len(body["suggestions"]) == 3
    assert body["suggestions"][0]["category_code"] == "SJ0102"
    page = client.get(case.get_absolute_url())
    assert "智能派遣建议" in page.content.decode()
    assert len(cases) == 500


def test_suggest_dispatch_command_reads_jsonl(grids, tmp_path, capsys):
    closed_cases(grids, 300)
    dispatch.retrain()
    source = tmp_path / "reports.jsonl"
    lines = [
        {
            "description": "楼上邻居养狗不拴绳，沟通了好几次都没用",
            "lat": None,
            "lng": None,
        },
        {"description": "路灯坏了好久", "lat": grids[0].lat, "lng": grids[0].lng},
    ]
    source.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    call_command("suggest_dispatch", str(source))
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(out) == 2
    first = out[0]["suggestions"][0]
    assert set(first) == {
        "category_code",
        "category_name",
        "department",
        "grid",
        "confidence",
    }
    assert first["category_code"] == "SJ0602"
    assert out[1]["suggestions"][0]["category_name"] == "路灯"


def test_auto_dispatch_where_enabled_rules_win_and_corrections_are_kept(grids, people):
    closed_cases(grids, 300)
    dispatch.retrain()
    street = grids[0].ancestor_of_kind(PlaceKind.STREET)
    StreetSetting.objects.update_or_create(
        street=street, defaults={"auto_dispatch": True, "threshold": 0.5}
    )
    garbage = Category.objects.get(code="SJ0102")
    # given no rule: a clear report dispatches itself to the learned handler
    case = services.report_case(
        actor=people["wangge"],
        category=garbage,
        place=grids[0],
        description="小区门口垃圾满出来了，好几天没人收",
    )
    assert case.status == Status.DISPATCHED and case.department.code == "CGJ"
    assert "智能派遣" in case.events.filter(action="dispatch").get().note
    # given a rule: the rule decides
    swj = Department.objects.get(code="SWJ")
    RoutingRule.objects.create(category=garbage, place=street, department=swj)
    ruled = services.report_case(
        actor=people["wangge"],
        category=garbage,
        place=grids[0],
        description="垃圾扔得到处都是",
    )
    assert ruled.department == swj
    assert "派遣规则" in ruled.events.filter(action="dispatch").get().note
    # when a dispatcher sends a case elsewhere than suggested, it is kept as a correction
    StreetSetting.objects.update(auto_dispatch=False)
    RoutingRule.objects.all().delete()
    manual = services.report_case(
        actor=people["wangge"],
        category=garbage,
        place=grids[0],
        description="垃圾堆了好几天没人清运",
    )
    manual = services.accept_case(
        actor=people["jiedao"], case=manual, version=manual.version
    )
    services.dispatch_case(
        actor=people["jiedao"],
        case=manual,
        version=manual.version,
        department=Department.objects.get(code="MZJ"),
    )
    correction = DispatchCorrection.objects.get(case=manual)
    assert correction.chosen == "民政局"
    assert dispatch.CORRECTION_WEIGHT > 1


def test_the_corpus_varies_its_wording():
    # given many reports of one category
    import random

    rng = random.Random(3)
    texts = {corpus.describe("SJ0102", rng) for _ in range(200)}
    # then they are nearly all different and not one template
    assert len(texts) > 180
    assert len({t[:6] for t in texts}) > 40
    assert DispatchModel.objects.count() == 0
