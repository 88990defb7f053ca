"""Pages and the API: role × scope (404 out of scope, by URL and by API id), lists,
matching and projects, reports with export, the certificate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiceng.volunteer import matching, services
from jiceng.volunteer.models import (
    MatchStatus,
    NeedStatus,
    ProjectStatus,
    UnitRegistration,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def wish(people, grid):
    return services.collect_wish(
        actor=people["wangge"],
        place=grid,
        title="想学智能手机",
        category="study",
        alias="王阿姨",
        consent=True,
    )


@pytest.fixture
def other_wish(people, other_grid):
    return services.collect_wish(
        actor=people["wangge2"],
        place=other_grid,
        title="需要一副拐杖",
        category="health",
        alias="赵大爷",
        consent=False,
    )


def test_anonymous_is_sent_to_login_and_the_wall_is_public(client, wish):
    response = client.get("/volunteer/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get("/volunteer/wall/").status_code == 200
    assert client.get("/api/v1/volunteer/wishes/").status_code == 401
    assert client.get("/api/v1/volunteer/wall/").status_code == 200


def test_grid_worker_sees_own_wishes_not_another_streets(
    client_for, api_for, wish, other_wish
):
    page = client_for("wangge")
    assert page.get(f"/volunteer/wishes/{wish.pk}/").status_code == 200
    assert page.get(f"/volunteer/wishes/{other_wish.pk}/").status_code == 404
    listing = page.get("/volunteer/wishes/").content.decode()
    assert wish.title in listing and other_wish.title not in listing
    api = api_for("wangge")
    assert api.get(f"/api/v1/volunteer/wishes/{wish.pk}").status_code == 200
    missing = api.get(f"/api/v1/volunteer/wishes/{other_wish.pk}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    ids = {
        w["id"] for w in api.get("/api/v1/volunteer/wishes/?limit=500").json()["items"]
    }
    assert wish.pk in ids and other_wish.pk not in ids


def test_unconsented_wish_is_never_on_the_wall(client, other_wish, people):
    from jiceng.volunteer.models import Wish

    Wish.objects.filter(pk=other_wish.pk).update(status="published")
    assert client.get(f"/volunteer/wall/{other_wish.pk}/").status_code == 404
    assert other_wish.title not in client.get("/volunteer/wall/").content.decode()


def test_every_page_renders_for_each_role(client_for, registered, wish, make_activity):
    # given an open activity, a registered member and a collected wish
    activity = make_activity()
    pages = [
        "/volunteer/registrations/",
        "/volunteer/registrations/?kind=unit",
        "/volunteer/activities/",
        f"/volunteer/activities/{activity.pk}/",
        "/volunteer/hours/",
        "/volunteer/mall/",
        "/volunteer/wall/",
        "/volunteer/projects/",
        "/volunteer/needs/",
        "/volunteer/resources/",
        "/volunteer/practical/",
        "/volunteer/quarterly/",
        "/volunteer/stats/",
    ]
    staff = [
        "/volunteer/",
        "/volunteer/volunteers/",
        "/volunteer/teams/",
        "/volunteer/themes/",
        "/volunteer/matches/",
        "/volunteer/wishes/new/",
        "/volunteer/activities/new/",
        f"/volunteer/registrations/member/{registered.pk}/",
        f"/volunteer/wishes/{wish.pk}/",
        f"/volunteer/volunteers/{registered.volunteer_id}/",
    ]
    for username, urls, home in (
        ("shuji", pages + staff, None),
        (
            "dangyuan",
            [*pages, "/volunteer/me/", "/volunteer/hours/new/", "/volunteer/register/"],
            "/volunteer/me/",
        ),
        (
            "danwei",
            [*pages, "/volunteer/unit/", "/volunteer/register/unit/"],
            "/volunteer/unit/",
        ),
        (
            "wangge",
            ["/volunteer/", "/volunteer/wishes/", "/volunteer/wishes/new/"],
            None,
        ),
    ):
        client = client_for(username)
        # when each page is opened, then it renders itself (no redirect anywhere)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
        # and the overview sends members and units to their own page, which renders
        if home is not None:
            response = client.get("/volunteer/")
            assert response.status_code == 302 and response["Location"] == home
            assert client.get(home).status_code == 200


def test_roles_without_volunteering_are_refused_everywhere(client_for, api_for, wish):
    # given a department's dispatcher, who holds no volunteer permission
    page, api = client_for("bumen"), api_for("bumen")
    # then the pages answer 403 and the API lists are empty
    for url in (
        "/volunteer/",
        "/volunteer/activities/",
        "/volunteer/projects/",
        "/volunteer/mall/",
        f"/volunteer/wishes/{wish.pk}/",
    ):
        assert page.get(url).status_code == 403, url
    for url in ("activities/", "projects/", "mall/", "wishes/", "volunteers/"):
        response = api.get(f"/api/v1/volunteer/{url}")
        assert response.status_code == 200 and response.json()["count"] == 0, url


def test_member_registration_page_scope(client_for, registered):
    url = f"/volunteer/registrations/member/{registered.pk}/"
    assert client_for("danwei").get(url).status_code == 200  # the member's unit
    assert client_for("jiedao2").get(url).status_code == 404
    assert client_for("shuji").get(url).status_code == 200


def test_confirm_registration_through_the_api(api_for, member, people):
    from jiceng.volunteer.models import MemberRegistration

    MemberRegistration.objects.filter(volunteer__user=member).update(status="withdrawn")
    registration = services.register_member(actor=member)
    outsider = api_for("jiedao2").post(
        f"/api/v1/volunteer/registrations/member/{registration.pk}/decide",
        {"approve": True},
        content_type="application/json",
    )
    assert outsider.status_code == 404
    decided = api_for("shuji").post(
        f"/api/v1/volunteer/registrations/member/{registration.pk}/decide",
        {"approve": True, "version": 0},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "confirmed"
    again = api_for("shuji").post(
        f"/api/v1/volunteer/registrations/member/{registration.pk}/decide",
        {"approve": True, "version": 0},
        content_type="application/json",
    )
    assert again.status_code == 409
    listing = api_for("danwei").get("/api/v1/volunteer/registrations/").json()
    assert set(listing) == {"items", "count"}
    assert registration.pk in {r["id"] for r in listing["items"]}


def test_signup_checkin_and_redeem_through_the_api(
    api_for, make_activity, item, member
):
    activity = make_activity()
    api = api_for("dangyuan")
    assert (
        api.post(f"/api/v1/volunteer/activities/{activity.pk}/signup").status_code
        == 201
    )
    checked = api.post(
        "/api/v1/volunteer/checkin",
        {"token": activity.checkin_token},
        content_type="application/json",
    )
    assert checked.status_code == 200 and checked.json()["checked_in_at"]
    twice = api.post(
        "/api/v1/volunteer/checkin",
        {"token": activity.checkin_token},
        content_type="application/json",
    )
    assert twice.status_code == 422 and twice.json()["code"] == "duplicate"
    volunteer = services.volunteer_of(member)
    services.append_entry(volunteer=volunteer, kind="earn", points=100, reason="x")
    bought = api.post(
        f"/api/v1/volunteer/mall/{item.pk}/redeem",
        {"quantity": 1},
        content_type="application/json",
    )
    assert bought.status_code == 201
    ledger = api.get(f"/api/v1/volunteer/volunteers/{volunteer.pk}/ledger").json()
    assert ledger["items"][0]["kind"] == "redeem"


def test_needs_matching_and_project_claim(people, community, unit, registered):
    # given two needs and a resource with room for one of them
    near = services.add_need(
        actor=people["shuji"],
        community=community,
        title="老人理发",
        skills="理发",
        people=1,
    )
    services.add_need(
        actor=people["shuji"],
        community=community,
        title="楼道灯维修",
        skills="电工",
        people=1,
    )
    services.add_resource(
        actor=people["danwei"],
        community=community,
        kind="skill",
        title="义务理发",
        skills="理发",
        capacity=1,
        as_unit=True,
    )
    # when the community runs the matcher
    made = services.propose_matches(actor=people["shuji"], community=community)
    match = next(m for m in made if m.need_id == near.pk)
    assert "理发" in match.resource.skills
    match = services.decide_match(actor=people["shuji"], match=match, accept=True)
    near.refresh_from_db()
    assert near.status == NeedStatus.MATCHED and match.status == MatchStatus.ACCEPTED
    # a project from the need is claimed by the registered member, done, evaluated
    project = services.create_project(
        actor=people["shuji"],
        community=community,
        title="爱心理发进小区",
        needs=[near],
        practical=True,
    )
    UnitRegistration.objects.filter(unit=unit).update(status="withdrawn")
    with pytest.raises(Exception) as not_registered:
        services.claim_project(actor=people["danwei"], project=project, as_unit=True)
    assert getattr(not_registered.value, "code", "") == "not_registered"
    services.claim_project(actor=people["dangyuan"], project=project)
    project.refresh_from_db()
    services.report_progress(
        actor=people["dangyuan"],
        project=project,
        progress=100,
        note="已完成三次理发服务",
        version=project.version,
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.DONE
    services.evaluate_project(actor=people["shuji"], project=project, score=92)
    project.refresh_from_db()
    assert project.status == ProjectStatus.EVALUATED


def test_matcher_serves_more_than_greedy_at_no_worse_distance():
    import random

    rng = random.Random(3)
    skills = ["理发", "电工", "陪护", "辅导", "法律"]
    needs = [
        matching.NeedItem(
            i,
            34.3 + rng.random() * 0.1,
            107.1 + rng.random() * 0.1,
            frozenset(rng.sample(skills, 1)),
        )
        for i in range(400)
    ]
    resources = [
        matching.ResourceItem(
            j,
            34.3 + rng.random() * 0.1,
            107.1 + rng.random() * 0.1,
            frozenset(rng.sample(skills, 2)),
            capacity=rng.randint(1, 3),
            radius=2500,
        )
        for j in range(150)
    ]
    options = matching.candidates(needs, resources)
    ours = matching.match(needs, resources, options)
    greedy = matching.greedy_first_fit(needs, resources, options)
    assert ours.served >= greedy.served
    assert ours.average_distance <= greedy.average_distance
    used = {}
    for i, j in ours.pairs.items():
        used[j] = used.get(j, 0) + 1
        assert j in {jj for _d, jj in options[i]}
    assert all(used[j] <= resources[j].capacity for j in used)


def test_stats_page_and_excel_export(client_for, registered, community):
    year = timezone.localdate().year
    client = client_for("shuji")
    page = client.get(f"/volunteer/stats/?year={year}")
    assert page.status_code == 200 and community.name in page.content.decode()
    export = client.get(f"/volunteer/stats/?year={year}&export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_certificate_pdf(client_for, registered):
    response = client_for("dangyuan").get(
        f"/volunteer/volunteers/{registered.volunteer_id}/certificate.pdf"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert (
        client_for("jiedao2")
        .get(f"/volunteer/volunteers/{registered.volunteer_id}/certificate.pdf")
        .status_code
        == 404
    )


def test_checkin_page_via_qr_link(client_for, make_activity, member):
    activity = make_activity(start=timezone.now() - timedelta(minutes=5))
    services.sign_up(actor=member, activity=activity)
    client = client_for("dangyuan")
    url = f"/volunteer/c/{activity.checkin_token}/"
    assert "签到" in client.get(url).content.decode()
    posted = client.post(url)
    assert posted.status_code == 302 and posted["Location"] == url
    done = client.get(url)
    assert done.status_code == 200 and "签到成功" in done.content.decode()
    staff = (
        client_for("shuji")
        .get(f"/volunteer/activities/{activity.pk}/")
        .content.decode()
    )
    assert "<svg" in staff and activity.checkin_token in staff
