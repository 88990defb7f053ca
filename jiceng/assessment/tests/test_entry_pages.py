"""The entry pages: each opens for the role that does the work, refuses the others,
creates its row (with an audit entry) through the service, and keeps what was typed
when the input is refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiceng.assessment import services
from jiceng.assessment.models import (
    Application,
    Appraisal,
    Budget,
    Call,
    Honour,
    IndicatorSet,
    InspectionPlan,
    MutualRating,
    Spending,
)
from jiceng.core.models import AuditEntry
from jiceng.places.models import Place, PlaceKind
from jiceng.volunteer.models import Activity

from .conftest import PERIOD

PAGES = [
    # (url, who may, who may not)
    ("/assessment/indicators/", "quadmin", "jiedao"),
    ("/assessment/plans/new/", "jiedao", "dangyuan"),
    ("/assessment/calls/new/", "quadmin", "shuji"),
    ("/assessment/funds/budgets/new/", "shuji", "wangge"),
    ("/assessment/funds/spendings/new/", "shuji", "wangge"),
    ("/assessment/honours/new/", "jiedao", "wangge"),
    ("/assessment/appraisals/new/", "jiedao", "dangyuan"),
]


@pytest.mark.parametrize(("url", "allowed", "refused"), PAGES)
def test_each_entry_page_opens_for_its_role_only(client_for, url, allowed, refused):
    assert client_for(allowed).get(url).status_code == 200
    assert client_for(refused).get(url).status_code == 403


def audited(model):
    return AuditEntry.objects.filter(target_type=model._meta.label_lower).count()


def test_the_district_sets_a_periods_indicators(client_for):
    # given the district admin on the indicator page
    client = client_for("quadmin")
    page = client.get("/assessment/indicators/?period=2031Q1")
    assert "服务态度" in page.content.decode()  # the default set is proposed
    rows = {
        "period": "2031Q1",
        "name": "2031年一季度指标",
        "code0": "service",
        "label0": "服务态度",
        "source0": "resident",
        "weight0": "60",
        "code1": "response_rate",
        "label1": "事件响应率",
        "source1": "case",
        "weight1": "30",
    }
    # when the weights sum to 90 the page says so and keeps the rows
    refused = client.post("/assessment/indicators/", rows)
    assert refused.status_code == 400
    assert "权重之和须为100" in refused.content.decode()
    assert "2031年一季度指标" in refused.content.decode()
    # when they sum to 100 the set is saved with an audit entry
    before = audited(IndicatorSet)
    client.post("/assessment/indicators/", rows | {"weight1": "40"})
    found = IndicatorSet.objects.get(period="2031Q1")
    assert [i.weight for i in found.indicators.all()] == [60, 40]
    assert audited(IndicatorSet) == before + 1


def test_a_street_plans_an_inspection(client_for, people):
    # given the street secretary and one of its communities
    street = people["jiedao"].assignments.get().place
    community = Place.objects.filter(
        kind=PlaceKind.COMMUNITY, path__startswith=street.path
    ).first()
    client = client_for("jiedao")
    data = {
        "title": "环境整治督察",
        "topic": "背街小巷环境",
        "place": street.pk,
        "targets": [community.pk],
        "checklist": "垃圾分类\n占道经营",
        "starts_on": "2031-03-01",
        "ends_on": "2031-02-01",
    }
    # when the end is before the start, the page refuses and keeps the title
    refused = client.post("/assessment/plans/new/", data)
    assert refused.status_code == 400 and "环境整治督察" in refused.content.decode()
    # when the dates are right, the plan is made with its checklist
    response = client.post("/assessment/plans/new/", data | {"ends_on": "2031-03-31"})
    plan = InspectionPlan.objects.get(title="环境整治督察")
    assert response.url == plan.get_absolute_url()
    assert plan.checklist == ["垃圾分类", "占道经营"]
    assert AuditEntry.objects.filter(target_id=str(plan.pk)).exists() or audited(
        InspectionPlan
    )


def test_a_call_is_published_applied_for_and_paneled(client_for, people):
    # given the district publishing a venture call
    district = people["quadmin"].assignments.get().place
    admin = client_for("quadmin")
    data = {
        "kind": "venture",
        "title": "2031公益创投",
        "place": district.pk,
        "budget": "100000",
        "max_grant": "20000",
        "deadline": str(timezone.localdate() + timedelta(days=30)),
        "normalisation": "zscore",
        "criterion0": "需求",
        "weight0": "50",
        "criterion1": "可行",
        "weight1": "40",
    }
    refused = admin.post("/assessment/calls/new/", data)
    assert refused.status_code == 400 and "2031公益创投" in refused.content.decode()
    admin.post("/assessment/calls/new/", data | {"weight1": "50"})
    call = Call.objects.get(title="2031公益创投")
    assert [c["name"] for c in call.criteria] == ["需求", "可行"]
    # when the community secretary applies for their community
    community = people["shuji"].assignments.get().place
    shuji = client_for("shuji")
    assert shuji.get(f"/assessment/calls/{call.pk}/apply/").status_code == 200
    before = audited(Application)
    shuji.post(
        f"/assessment/calls/{call.pk}/apply/",
        {
            "title": "邻里食堂",
            "community": community.pk,
            "summary": "为高龄老人提供午餐",
            "requested": "15000",
            "files": [SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan")],
        },
    )
    applied = Application.objects.get(call=call, title="邻里食堂")
    assert [f.name for f in applied.files.all()] == ["方案.pdf"]
    assert audited(Application) == before + 1
    # a resident may not apply
    assert (
        client_for("dangyuan").get(f"/assessment/calls/{call.pk}/apply/").status_code
        == 403
    )
    # then the panel page is the district's, not the applicant's
    assert shuji.get(f"/assessment/calls/{call.pk}/panel/").status_code == 403
    assert admin.get(f"/assessment/calls/{call.pk}/panel/").status_code == 200


def test_budget_and_spending_are_entered(client_for, people):
    community = people["shuji"].assignments.get().place
    client = client_for("shuji")
    data = {"community": community.pk, "year": "2031", "source": "service"}
    refused = client.post(
        "/assessment/funds/budgets/new/", data | {"amount": "-1", "note": "为民"}
    )
    assert refused.status_code == 400 and "为民" in refused.content.decode()
    client.post("/assessment/funds/budgets/new/", data | {"amount": "5000"})
    budget = Budget.objects.get(community=community, year=2031, source="service")
    assert audited(Budget) >= 1
    # spending above the balance is refused and the purpose stays typed
    spend = {"budget": budget.pk, "spent_on": "2031-05-01", "purpose": "敬老活动"}
    refused = client.post(
        "/assessment/funds/spendings/new/", spend | {"amount": "9000"}
    )
    assert refused.status_code == 400 and "余额不足" in refused.content.decode()
    assert "敬老活动" in refused.content.decode()
    activity = Activity.objects.visible_to(people["shuji"]).first()
    client.post(
        "/assessment/funds/spendings/new/",
        spend | {"amount": "800", "activity": activity.pk},
    )
    row = Spending.objects.get(budget=budget)
    assert row.amount == Decimal(800) and row.activity == activity
    assert audited(Spending) >= 1


def test_honour_nomination_and_appraisal(client_for, people):
    street = people["jiedao"].assignments.get().place
    community = Place.objects.filter(
        kind=PlaceKind.COMMUNITY, path__startswith=street.path
    ).first()
    client = client_for("jiedao")
    nomination = {
        "kind": "grid_worker",
        "year": "2031",
        "title": "优秀网格员",
        "nominee": "李网格",
        "place": community.pk,
        "deeds": "太短",
    }
    refused = client.post("/assessment/honours/new/", nomination)
    assert refused.status_code == 400 and "李网格" in refused.content.decode()
    client.post(
        "/assessment/honours/new/",
        nomination | {"deeds": "全年走访居民八百余户，化解矛盾三十起。"},
    )
    assert Honour.objects.filter(nominee="李网格").exists()
    assert audited(Honour) >= 1
    appraisal = {
        "community": community.pk,
        "year": "2031",
        "secretary": "王书记",
        "report": "",
    }
    refused = client.post("/assessment/appraisals/new/", appraisal)
    assert refused.status_code == 400 and "王书记" in refused.content.decode()
    client.post("/assessment/appraisals/new/", appraisal | {"report": "述职报告全文"})
    assert Appraisal.objects.filter(community=community, year=2031).exists()


def test_two_way_rating_offers_choices_not_id_numbers(client_for, people, home_company):
    # given the community secretary of the company's community
    compound = home_company.place
    community = compound.ancestor_of_kind(PlaceKind.COMMUNITY)
    secretary = next(
        u
        for u in people.values()
        if u.assignments.filter(role="community_secretary", place=community).exists()
    )
    client = client_for(secretary.username)
    page = client.get("/assessment/mutual/").content.decode()
    # then the company and community are offered by name
    assert home_company.name in page and community.name in page
    data = {
        "direction": "community",
        "company": home_company.pk,
        "community": community.pk,
        "period": PERIOD,
        "score": "120",
        "comment": "响应及时",
    }
    refused = client.post("/assessment/mutual/", data)
    assert refused.status_code == 400 and "响应及时" in refused.content.decode()
    client.post("/assessment/mutual/", data | {"score": "92"})
    assert MutualRating.objects.filter(company=home_company, period=PERIOD).exists()
    assert services is not None


def test_a_residents_page_shows_their_honours_and_nominates(client_for, people):
    # given a resident of the street, opened by the street secretary
    from jiceng.people.models import Resident

    street = people["jiedao"].assignments.get().place
    resident = Resident.objects.filter(place__path__startswith=street.path).first()
    client = client_for("jiedao")
    page = client.get(f"/people/residents/{resident.pk}/").content.decode()
    assert f"/assessment/honours/new/?resident={resident.pk}" in page
    # when nominated from there, the honour is linked to the resident
    form = client.get(f"/assessment/honours/new/?resident={resident.pk}")
    assert resident.name in form.content.decode()
    community = resident.place.ancestor_of_kind(PlaceKind.COMMUNITY)
    client.post(
        f"/assessment/honours/new/?resident={resident.pk}",
        {
            "kind": "most_beautiful",
            "year": "2031",
            "title": "最美志愿者",
            "nominee": resident.name,
            "place": community.pk,
            "deeds": "十年如一日照顾孤寡老人，带动邻里互助。",
        },
    )
    honour = Honour.objects.get(resident=resident, title="最美志愿者")
    # then once awarded it shows on the resident's own page
    Honour.objects.filter(pk=honour.pk).update(status="awarded")
    page = client.get(f"/people/residents/{resident.pk}/").content.decode()
    assert "所获荣誉" in page and "2031年 最美志愿者" in page
    # and a resident outside the user's area cannot be nominated that way
    outsider = Resident.objects.exclude(place__path__startswith=street.path).first()
    assert (
        client.get(f"/assessment/honours/new/?resident={outsider.pk}").status_code
        == 404
    )


def panel_experts(streets, first=0):
    from django.contrib.auth import get_user_model

    from jiceng.assessment.models import Expert

    made = []
    for n, street in enumerate(streets, start=first):
        user = get_user_model().objects.create(username=f"panel{n}")
        made.append(Expert.objects.create(user=user, name=f"评委{n}", street=street))
    return made


def test_a_panel_is_assigned_and_a_funded_project_reports(client_for, people):
    # given an open district call with one eligible application
    district = people["quadmin"].assignments.get().place
    admin = people["quadmin"]
    call = services.projects.create_call(
        actor=admin,
        kind="demo",
        title="示范项目2031",
        place=district,
        budget=Decimal(50_000),
        max_grant=Decimal(20_000),
        criteria=[{"name": "成效", "weight": 100}],
        deadline=timezone.localdate() + timedelta(days=5),
    )
    community = people["shuji"].assignments.get().place
    application = services.projects.apply(
        actor=admin,
        call=call,
        title="楼道微更新",
        community=community,
        summary="改造楼道照明",
        requested=Decimal(10_000),
    )
    services.projects.check_eligibility(
        actor=admin, application=application, eligible=True
    )
    street = community.ancestor_of_kind(PlaceKind.STREET)
    experts = panel_experts([street, None, None])
    client = client_for("quadmin")
    url = f"/assessment/calls/{call.pk}/panel/"
    # when the only other experts leave fewer than 3 after the conflict rule
    refused = client.post(url, {"experts": [e.pk for e in experts]})
    assert refused.status_code == 400 and "回避后可评审专家不足3人" in (
        refused.content.decode()
    )
    # when a fourth, free expert joins, the panel is set and audited
    experts += panel_experts([None], first=3)
    client.post(url, {"experts": [e.pk for e in experts]})
    assert application.reviews.count() == 3
    assert AuditEntry.objects.filter(
        target_type="assessment.call", target_id=str(call.pk)
    ).exists()
    # then, once funded, the community reports a milestone and its spending
    Application.objects.filter(pk=application.pk).update(
        status="funded", granted=Decimal(10_000)
    )
    shuji = client_for("shuji")
    milestone = f"/assessment/applications/{application.pk}/milestones/new/"
    data = {"title": "完成灯具采购", "due_on": "2031-04-01", "spent": "12000"}
    refused = shuji.post(milestone, data)
    assert refused.status_code == 400 and "完成灯具采购" in refused.content.decode()
    shuji.post(milestone, data | {"spent": "6000"})
    assert application.milestones.get().spent == Decimal(6000)
    # and a grid worker cannot
    assert client_for("wangge").get(milestone).status_code == 403


def test_an_appraisal_score_keeps_what_was_typed(client_for, people):
    community = people["shuji"].assignments.get().place
    appraisal = services.honours.open_appraisal(
        actor=people["quadmin"],
        community=community,
        year=2032,
        secretary="张书记",
        report="述职",
    )
    client = client_for("jiedao")
    url = appraisal.get_absolute_url()
    refused = client.post(url, {"kind": "street", "scorer": "赵主任", "score": "150"})
    assert refused.status_code == 400 and "赵主任" in refused.content.decode()
    client.post(url, {"kind": "street", "scorer": "赵主任", "score": "88"})
    assert appraisal.scores.get().score == Decimal(88)
