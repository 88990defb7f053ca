"""A streetlight is reported, dispatched, fixed, checked, closed and rated."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from jiceng.cases import services, workdays
from jiceng.cases.models import Case, Category, RoutingRule, Status
from jiceng.cases.tests.helpers import photo, report, step
from jiceng.cases.workflow import STEPS
from jiceng.core.errors import Conflict
from jiceng.core.models import AuditEntry
from jiceng.places.models import Place

pytestmark = pytest.mark.django_db


def test_the_whole_loop_with_a_timeline(people, grid, streetlight, city_management):
    case = report(people, grid, streetlight, images=[photo()])
    assert case.status == Status.REPORTED and case.number.startswith("AJ")
    step(people["jiedao"], case, "accept")
    step(people["jiedao"], case, "dispatch", department=city_management)
    case.refresh_from_db()
    assert case.handle_due > case.dispatched_at and case.department == city_management
    with pytest.raises(PermissionDenied):
        step(people["wangge2"], case, "handle", note="不是我的")
    step(people["bumen"], case, "handle", note="已更换灯泡", images=[photo("修好.jpg")])
    step(people["shuji"], case, "verify", note="现场查看已亮")
    step(people["jiedao"], case, "close")
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.result == "已更换灯泡"
    assert [e.action for e in case.events.all()] == [
        "report",
        "accept",
        "dispatch",
        "handle",
        "verify",
        "close",
    ]
    services.rate_case(case=case, rating=5, comment="很快")
    case.refresh_from_db()
    assert case.rating == 5
    rated = AuditEntry.objects.filter(target_id=str(case.pk)).latest("pk")
    assert rated.changes == {"step": "rate", "rating": [None, 5]}
    assert rated.actor is None and rated.actor_name == services.steps.RATER


def test_photos_are_published_without_exif(people, grid, streetlight):
    case = report(people, grid, streetlight, images=[photo()])
    stored = case.photos.get()
    with Image.open(stored.image.path) as image:
        assert not image.getexif()
    with Image.open(stored.thumbnail.path) as thumb:
        assert max(thumb.size) <= 320


@pytest.mark.parametrize(
    "upload,reason",
    [
        (SimpleUploadedFile("a.jpg", b"not an image"), "不是有效的图片"),
        (SimpleUploadedFile("a.gif", b"GIF89a" + b"\0" * 30), "图片"),
        (
            SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\0" * (11 * 1024 * 1024)),
            "超过10MB",
        ),
    ],
)
def test_bad_uploads_are_rejected_clearly(people, grid, streetlight, upload, reason):
    before = Case.objects.count()
    with pytest.raises(ValidationError) as info:
        report(people, grid, streetlight, images=[upload])
    assert reason in str(info.value) and Case.objects.count() == before


def test_a_routing_rule_dispatches_at_once(people, grid, streetlight, city_management):
    district = Place.objects.get(depth=1, code__startswith="510502")
    RoutingRule.objects.create(
        category=streetlight.parent, place=district, department=city_management
    )
    case = report(people, grid, streetlight)
    assert case.status == Status.DISPATCHED and case.department == city_management
    assert case.events.last().actor_name == "系统"


def test_a_trifle_stays_in_the_grid(people, grid):
    dispute = Category.objects.get(code="SJ0602")
    RoutingRule.objects.create(category=dispute, place=grid, to_grid=True)
    case = report(people, grid, dispute)
    assert case.grid == grid and case.department is None
    step(people["wangge"], case, "handle", note="已调解")
    case.refresh_from_db()
    assert case.status == Status.HANDLED


def test_two_people_acting_at_once_do_not_lose_an_update(people, grid, streetlight):
    case = report(people, grid, streetlight)
    seen = case.version
    services.accept_case(actor=people["jiedao"], case=case, version=seen)
    with pytest.raises(Conflict) as info:
        services.cancel_case(
            actor=people["quadmin"], case=case, version=seen, note="重复"
        )
    assert "他人更新" in info.value.messages[0]
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_steps_out_of_order_are_refused(people, grid, streetlight):
    case = report(people, grid, streetlight)
    with pytest.raises(ValidationError) as info:
        step(people["jiedao"], case, "close")
    assert "不能结案" in info.value.messages[0]
    with pytest.raises(ValidationError):
        step(people["jiedao"], case, "cancel")  # a reason is required


def test_reject_returns_to_the_dispatcher(people, grid, streetlight, city_management):
    case = report(people, grid, streetlight)
    step(people["jiedao"], case, "accept")
    step(people["jiedao"], case, "dispatch", department=city_management)
    step(people["bumen"], case, "reject", note="不属于本部门职责")
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.department is None


def test_dissatisfied_reporters_reopen_within_a_week(people, grid, streetlight):
    case = report(people, grid, streetlight)
    for name, actor, data in [
        ("accept", "jiedao", {}),
        ("dispatch", "jiedao", {"grid": grid}),
        ("handle", "wangge", {"note": "处理"}),
        ("verify", "shuji", {}),
        ("close", "jiedao", {}),
    ]:
        step(people[actor], case, name, **data)
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.rate_case(case=case, rating=4, reopen=True)
    services.rate_case(case=case, rating=1, comment="灯还是不亮", reopen=True)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.events.last().action == "reopen"


def test_scope_across_roles(client_for, people, grid, streetlight):
    case = report(people, grid, streetlight)
    assert client_for("wangge").get(case.get_absolute_url()).status_code == 200
    assert client_for("jiedao").get(case.get_absolute_url()).status_code == 200
    assert client_for("wangge2").get(case.get_absolute_url()).status_code == 404
    assert client_for("jiedao2").get(case.get_absolute_url()).status_code == 404
    # the department sees it only once dispatched to it
    assert client_for("bumen").get(case.get_absolute_url()).status_code == 404
    public = client_for("jiedao2").get(case.get_public_url())
    assert public.status_code == 200 and case.number in public.content.decode()


def test_time_limits_skip_weekends_and_holidays():
    tz = timezone.get_current_timezone()
    before_national_day = datetime(2026, 9, 29, 10, 0, tzinfo=tz)
    due = workdays.add_working_days(before_national_day, 3)
    # 9-30, then 10-01…10-07 off, 10-08, and Saturday 10-10 is a worked (调休) day
    assert due.date().isoformat() == "2026-10-09"
    assert workdays.add_working_days(before_national_day, 4).date().isoformat() == (
        "2026-10-10"
    )
    assert workdays.add_working_hours(
        datetime(2026, 11, 27, 16, 30, tzinfo=tz), 2
    ) == datetime(2026, 11, 30, 9, 30, tzinfo=tz)  # Friday evening → Monday morning


# Who takes a step of each permission in wangge's grid: the street dispatches,
# the grid worker handles (the case goes to the grid), the community checks.
TAKER = {"dispatch": "jiedao", "handle": "wangge", "verify": "shuji"}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # fresh case each time
)
@given(st.lists(st.sampled_from(list(STEPS)), max_size=12))
def test_random_steps_follow_the_transition_table(people, grid, streetlight, names):
    # given a fresh report and a random sequence of steps, each by its usual taker
    case = report(people, grid, streetlight)
    expected, taken, held = Status.REPORTED, ["report"], False
    for name in names:
        rule = STEPS[name]
        # when the step is tried
        try:
            step(
                people[TAKER[rule.permission]], case, name, note="x", grid=grid, days=1
            )
        except (ValidationError, PermissionDenied):
            refused = True
        else:
            refused = False
        # then it is taken exactly when the table allows it from the expected
        # status, and the case lands where the table says
        allowed = expected in rule.sources and rule.on_hold in (None, held)
        assert refused is not allowed, (name, expected)
        if allowed:
            expected = rule.target or expected
            taken.append(name)
            held = {"hold": True, "release": False}.get(name, held)
            if name in ("dispatch", "transfer", "reject"):
                held = False  # a new handler starts a fresh clock
        case.refresh_from_db()
        assert case.status == expected
        assert [e.action for e in case.events.all()] == taken
        if case.status == Status.DISPATCHED:
            assert case.grid == grid and case.handle_due is not None
        if case.status == Status.ACCEPTED:
            assert case.grid is None and case.department is None
    steps_audited = AuditEntry.objects.filter(
        target_type="cases.case", target_id=str(case.pk), changes__has_key="step"
    )
    assert [e.changes["step"] for e in steps_audited.order_by("pk")] == taken[1:]


def test_overdue_cases_exclude_those_on_hold(people, grid, streetlight):
    case = report(people, grid, streetlight)
    step(people["jiedao"], case, "accept")
    step(people["jiedao"], case, "dispatch", grid=grid)
    Case.objects.filter(pk=case.pk).update(
        handle_due=timezone.now() - timedelta(days=1)
    )
    assert case in Case.objects.overdue()
    step(people["jiedao"], case, "hold", note="需协调资金，挂账跟踪")
    assert case not in Case.objects.overdue()


def test_overdue_cases_climb_one_level_per_sweep(people, grid, streetlight):
    from django.core.management import call_command

    case = report(people, grid, streetlight)
    step(people["jiedao"], case, "accept")
    step(people["jiedao"], case, "dispatch", grid=grid)
    late = timezone.now() - timedelta(hours=1)
    Case.objects.filter(pk=case.pk).update(handle_due=late, extended=True)
    assert services.escalate_overdue() == 1
    case.refresh_from_db()
    assert case.escalation == 1 and case.supervised
    # escalation keeps the limit and the flags: the case still shows as 超期
    assert case.handle_due == late and case.extended
    assert case.is_overdue and case in Case.objects.overdue()
    assert case.time_flag == "overdue"
    assert "升级至社区" in case.events.last().note
    escalated = AuditEntry.objects.filter(target_id=str(case.pk)).latest("pk")
    assert escalated.changes == {
        "step": "escalate",
        "escalation": "社区",
        "level": [0, 1],
    }
    assert escalated.actor_name == "system"
    from jiceng.notices.models import Notification

    told = Notification.objects.filter(message__contains=case.number)
    assert told.filter(user=people["shuji"], message__contains="由您督办").exists()
    assert services.escalate_overdue() == 0  # the next level a working day later
    Case.objects.filter(pk=case.pk).update(
        escalate_after=timezone.now() - timedelta(minutes=1)
    )
    call_command("escalate_cases")
    case.refresh_from_db()
    assert case.escalation == 2 and case.handle_due == late


def test_an_escalated_case_shows_as_overdue_on_the_list(
    client_for, people, grid, streetlight
):
    # given a case escalated for being late
    case = report(people, grid, streetlight)
    step(people["jiedao"], case, "accept")
    step(people["jiedao"], case, "dispatch", grid=grid)
    Case.objects.filter(pk=case.pk).update(
        handle_due=timezone.now() - timedelta(days=2)
    )
    services.escalate_overdue()

    # when the street opens its overdue list
    page = client_for("jiedao").get("/cases/?overdue=on").content.decode()

    # then the case is on it
    assert case.number in page


def test_releasing_a_hold_restarts_the_clock_where_it_stopped(
    client_for, people, grid, streetlight
):
    # given a dispatched case with two days left, put on the ledger (挂账)
    case = report(people, grid, streetlight)
    step(people["jiedao"], case, "accept")
    step(people["jiedao"], case, "dispatch", grid=grid)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(handle_due=now + timedelta(days=2))
    step(people["jiedao"], case, "hold", note="等待维修资金")
    Case.objects.filter(pk=case.pk).update(held_at=now - timedelta(days=10))
    case.refresh_from_db()
    assert "release" in services.available_steps(people["jiedao"], case)
    assert "hold" not in services.available_steps(people["jiedao"], case)
    with pytest.raises(ValidationError, match="已挂账"):
        step(people["jiedao"], case, "hold", note="再挂一次")

    # when the street releases it, with a reason
    with pytest.raises(ValidationError):
        step(people["jiedao"], case, "release", note="")
    step(people["jiedao"], case, "release", note="资金已到位，恢复办理")

    # then the clock runs on with the time it had left, and the step is audited
    case.refresh_from_db()
    assert not case.on_hold and case.held_at is None
    left = case.handle_due - timezone.now()
    assert timedelta(days=11, hours=23) < left <= timedelta(days=12)
    assert case.events.last().action_label == "解除挂账"
    entry = AuditEntry.objects.filter(target_id=str(case.pk)).latest("pk")
    assert entry.changes["step"] == "release"
    assert entry.changes["on_hold"] == [True, False]
    # a grid worker may not release (the dispatcher's step)
    with pytest.raises(PermissionDenied):
        step(people["wangge"], case, "hold", note="x")


def test_the_handler_does_not_check_their_own_handling(
    client_for, people, grid, streetlight
):
    # given wangge handled a case in their grid
    case = report(people, grid, streetlight)
    step(people["jiedao"], case, "accept")
    step(people["jiedao"], case, "dispatch", grid=grid)
    step(people["wangge"], case, "handle", note="已更换灯泡")
    case.refresh_from_db()
    assert case.handler == people["wangge"]

    # when wangge tries to check it, the service refuses in Chinese
    for name in ("verify", "redo"):
        with pytest.raises(ValidationError, match="处置人以外") as refused:
            step(people["wangge"], case, name, note="自己核查")
        assert refused.value.code == "self_check"
    # and the page offers wangge no check button, the community secretary one
    assert "verify" not in services.available_steps(people["wangge"], case)
    page = client_for("wangge").get(case.get_absolute_url()).content.decode()
    assert 'name="step" value="verify"' not in page
    assert "核查须由处置人以外的人员进行" in page
    assert 'name="step" value="verify"' in (
        client_for("shuji").get(case.get_absolute_url()).content.decode()
    )

    # then someone else checks it, and the audit row names them
    step(people["shuji"], case, "verify", note="现场查看已亮")
    entry = AuditEntry.objects.filter(target_id=str(case.pk)).latest("pk")
    assert entry.actor == people["shuji"] and entry.changes["step"] == "verify"


def test_photos_open_only_through_the_links_pages_sign(
    client, client_for, people, grid, streetlight
):
    case = report(people, grid, streetlight, images=[photo()])
    picture = case.photos.get()
    page = client_for("wangge").get(case.get_absolute_url()).content.decode()
    link = picture.get_url("thumb")
    assert link in page and client.get(link).status_code == 200
    assert client.get(case.get_public_url()).content.decode().count("/files/") == 2
    assert client.get(f"/media/{picture.image.name}").status_code == 404
    forged = link.replace(link.split("/")[-2][:6], "AAAAAA")
    assert client.get(forged).status_code == 404
    # a link never opens an import upload, even when the name is signed
    from jiceng.core.media import signed_url

    assert client.get(signed_url("imports/secret.bin")).status_code == 404


def test_a_building_lead_follows_the_case_they_reported(client_for, people, grid):
    from jiceng.cases.models import Category

    case = services.report_case(
        actor=people["loudong"],
        category=Category.objects.get(code="BJ0117"),
        description="楼道外路灯不亮",
        place=grid,
    )
    assert client_for("loudong").get(case.get_absolute_url()).status_code == 200


def test_a_compound_problem_goes_to_its_property_company(client_for, people, grid):
    from jiceng.cases.models import Category
    from jiceng.notices.models import Notification

    compound = Place.objects.filter(assignments__user=people["wuye"]).get()
    grid_of_compound = Place.objects.get_ancestors(compound).get(kind="grid")
    case = services.report_case(
        actor=people["quadmin"],
        category=Category.objects.get(code="SJ0603"),
        description="电梯经常停运，物业迟迟不修",
        place=grid_of_compound,
    )
    assert client_for("wuye").get(case.get_absolute_url()).status_code == 404
    step(people["quadmin"], case, "accept")
    step(people["quadmin"], case, "dispatch", grid=compound)
    assert Notification.objects.filter(
        user=people["wuye"], message__contains=case.number
    )
    page = client_for("wuye").get(case.get_absolute_url())
    assert page.status_code == 200 and "处置反馈" in page.content.decode()
    step(people["wuye"], case, "handle", note="已维修电梯")
    case.refresh_from_db()
    assert case.status == Status.HANDLED


def test_case_numbers_follow_a_locked_daily_counter(people, grid, streetlight):
    from jiceng.cases.models import CaseCounter

    first = report(people, grid, streetlight)
    second = report(people, grid, streetlight)
    prefix = first.number[:10]
    assert second.number == f"{prefix}{int(first.number[10:]) + 1:05d}"
    counter = CaseCounter.objects.get(day=timezone.localtime(first.created_at).date())
    assert counter.last == int(second.number[10:])


# How to bring a fresh case to each status, in wangge's grid.
ROUTE = [
    ("accept", {}),
    ("dispatch", {"grid": None}),  # None: the test's grid
    ("handle", {"note": "已处理"}),
    ("verify", {}),
]
ARRIVES = {
    Status.REPORTED: 0,
    Status.ACCEPTED: 1,
    Status.DISPATCHED: 2,
    Status.HANDLED: 3,
    Status.VERIFIED: 4,
}
# What each step changes besides the status, as its audit row records it.
CHANGES = {
    "dispatch": "grid_id",
    "transfer": "department_id",
    "reject": "grid_id",
    "extend": "handle_due",
    "supervise": "supervised",
    "hold": "on_hold",
    "release": "on_hold",
}


@pytest.mark.parametrize("name", list(STEPS))
def test_each_step_writes_its_audit_row(
    people, grid, streetlight, city_management, name
):
    # given a case at the first status the step starts from
    rule = STEPS[name]
    case = report(people, grid, streetlight)
    for earlier, data in ROUTE[: ARRIVES[rule.sources[0]]]:
        data = {k: v or grid for k, v in data.items()}
        step(people[TAKER[STEPS[earlier].permission]], case, earlier, **data)
    actor = people[TAKER[rule.permission]]
    if rule.on_hold:
        step(actor, case, "hold", note="挂账")

    # when its usual taker takes the step
    extra = {"grid": grid, "days": 2}
    if name == "transfer":
        extra = {"department": city_management}
    step(actor, case, name, note="说明", **extra)

    # then one audit row names the actor, the step and what it changed
    entry = AuditEntry.objects.filter(
        target_type="cases.case", target_id=str(case.pk)
    ).latest("pk")
    assert entry.actor == actor and entry.action == "update"
    assert entry.changes["step"] == name
    if rule.target not in (None, rule.sources[0]):
        assert entry.changes["status"] == [rule.sources[0], rule.target]
    if name in CHANGES:
        assert CHANGES[name] in entry.changes
