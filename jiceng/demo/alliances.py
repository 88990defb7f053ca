"""Demo co-governance for the demo district, made through the services.

The first street's 党建联盟 with a rotating chair (one term handed over), its
annual plan tagged 共商/共建/共治/共享, a monthly 联席会 with two past meetings whose
decisions are tasks in every state (done, under way, open, overdue, withdrawn)
and the next meeting whose agenda carries them; 共建协议 (one expiring soon, one
expired and evaluated, one draft); 包联 pairs with gaps (an unpaired compound,
buildings without a cadre, pairs not visited for months); venues with bookings;
and a few mass and social organisations. The second street gets one venue and
one agreement, so that every role has rows outside its scope.

Idempotent (nothing is added once the district has an alliance) and purged by
``seed_demo --reset``. Dates are relative to today, as in the volunteering demo.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jiceng.alliances.models import (
    Agreement,
    Alliance,
    AllianceKind,
    AllianceMember,
    AnnualPlan,
    Booking,
    ChairTerm,
    CommitmentKind,
    Evaluation,
    FourCo,
    Meeting,
    MeetingKind,
    MeetingSeries,
    Organisation,
    OrgKind,
    Pair,
    PairKind,
    Task,
    Venue,
    VenueKind,
    Visit,
)
from jiceng.alliances.services import agreements as agreements_services
from jiceng.alliances.services import alliances as alliance_services
from jiceng.alliances.services import meetings as meeting_services
from jiceng.alliances.services import orgs as org_services
from jiceng.alliances.services import pairing as pairing_services
from jiceng.alliances.services import venues as venue_services
from jiceng.core.models import Assignment
from jiceng.core.scope import path_prefix
from jiceng.party.models import PartyOrg
from jiceng.people.models import Unit
from jiceng.places.models import Place, PlaceKind
from jiceng.volunteer.models import Project, UnitRegistration

from .common import stream

CADRES = ["王建国", "李红梅", "张卫东", "刘芳", "陈志强", "杨丽", "赵明", "黄海燕"]
TITLES = ["区发改局副局长", "区财政局科长", "街道办副主任", "区住建局干部"]


def _first(parent, kind):
    return (
        Place.objects.filter(path_prefix(parent.path), kind=kind)
        .order_by("code")
        .first()
    )


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_alliances(district, *, seed, log=print):
    if district is None:
        return
    names = ["jiedao", "jiedao2", "shuji", "shegong", "danwei", "bumen", "dangyuan"]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    if len(users) < len(names):
        return
    if Alliance.objects.filter(path_prefix(district.path, "place__path")).exists():
        return
    with transaction.atomic():
        _seed(district, users, stream(seed, "alliances"), log)


def _seed(district, users, rng, log):
    streets = list(
        Place.objects.filter(
            path_prefix(district.path), kind=PlaceKind.STREET
        ).order_by("code")
    )
    street1, street2 = streets[0], streets[1]
    community1 = _first(street1, PlaceKind.COMMUNITY)
    unit = Assignment.objects.get(user=users["danwei"]).unit
    department = Assignment.objects.get(user=users["bumen"]).department
    others = list(
        Unit.objects.filter(path_prefix(street1.path, "place__path"))
        .exclude(pk=unit.pk)
        .order_by("credit_code", "pk")[:5]
    )
    today = timezone.localdate()
    jiedao, shegong = users["jiedao"], users["shegong"]

    orgs = _organisations(jiedao, street1, community1)
    alliance = _alliance(jiedao, street1, unit, others, orgs, today)
    series = _meetings(jiedao, alliance, unit, department, users, today)
    _agreements(jiedao, shegong, street1, community1, unit, others, alliance, today)
    _pairs(jiedao, community1, unit, others, rng, today)
    _venues(users, community1, street2, unit, series, today)
    _outside(users["jiedao2"], street2, today)
    log(
        f"共建共治：{Alliance.objects.count()}个联盟、{Meeting.objects.count()}次会议、"
        f"{Task.objects.count()}项议定事项、{Agreement.objects.count()}份协议、"
        f"{Pair.objects.count()}对包联、{Booking.objects.count()}次场地预约"
    )


def _organisations(actor, street, community):
    federation = org_services.save_organisation(
        actor=actor,
        place=street,
        name=f"{street.name}社会组织联合会",
        kind=OrgKind.FEDERATION,
        leader="周敏",
        instructor="孙立平",
        members_count=12,
        services="社会组织孵化、党建指导",
    )
    made = [federation]
    for name, kind, count in [
        ("邻里守望志愿服务社", OrgKind.SOCIAL, 36),
        (f"{community.name}妇女联合会", OrgKind.MASS, 15),
        ("红袖标平安巡逻队", OrgKind.SELF_GOVERNING, 28),
    ]:
        made.append(
            org_services.save_organisation(
                actor=actor,
                place=community,
                name=name,
                kind=kind,
                federation=federation if kind == OrgKind.SOCIAL else None,
                leader="吴霞",
                instructor="孙立平" if kind == OrgKind.SOCIAL else "",
                members_count=count,
            )
        )
    return made


def _alliance(actor, street, unit, others, orgs, today):
    committee = (
        PartyOrg.objects.filter(place=street, is_joint_committee=True)
        .order_by("path")
        .first()
    )
    alliance = alliance_services.create_alliance(
        actor=actor,
        place=street,
        name=f"{street.name}区域化党建联盟",
        kind=AllianceKind.ALLIANCE,
        committee=committee,
        founded_on=today.replace(month=1, day=1) - timedelta(days=365),
        term_months=3,
        charter="实行轮值主席制，每季度轮值一次；坚持联席会、议事会、推进会、评议会“四会制度”。",
    )
    members = [
        alliance_services.add_member(
            actor=actor, alliance=alliance, unit=u, representative="联络员"
        )
        for u in [unit, *others[:3]]
    ]
    members.append(
        alliance_services.add_member(
            actor=actor, alliance=alliance, organisation=orgs[0]
        )
    )
    alliance_services.plan_rotation(
        actor=actor,
        alliance=alliance,
        members=members[:4],
        first_on=today - timedelta(days=120),
    )
    alliance_services.hand_over(
        actor=actor,
        alliance=alliance,
        report="轮值期间牵头召开联席会议3次，协调解决老旧小区停车、适老化改造等问题6件。",
        handover_note="移交未办结事项2项。",
    )
    plan = alliance_services.save_plan(
        actor=actor,
        alliance=alliance,
        year=today.year,
        title="党建联盟年度共建计划",
        summary="围绕“四共”开展资源共享、项目共建、问题共治。",
    )
    items = [
        ("季度联席会议研究辖区重点难点问题", FourCo.CONSULT, "doing"),
        ("共建“红色驿站”新就业群体服务点", FourCo.BUILD, "done"),
        ("联合开展背街小巷环境整治", FourCo.GOVERN, "planned"),
        ("成员单位会议室、活动室向居民错时开放", FourCo.SHARE, "doing"),
    ]
    for n, (title, tag, status) in enumerate(items):
        item = alliance_services.add_plan_item(
            actor=actor,
            plan=plan,
            title=title,
            tag=tag,
            lead=members[n % len(members)],
            due_on=today + timedelta(days=30 * (n + 1)),
        )
        if status != "planned":
            alliance_services.update_plan_item(
                actor=actor,
                item=item,
                status=status,
                result="已完成建设并投入使用" if status == "done" else "",
            )
    return alliance


def _meetings(actor, alliance, unit, department, users, today):
    series = meeting_services.create_series(
        actor=actor,
        place=alliance.place,
        title="党建联盟联席会议",
        kind=MeetingKind.JOINT,
        cadence="monthly",
        alliance=alliance,
        location="街道党群服务中心二楼会议室",
        first_on=today - timedelta(days=60),
        hour=9,
    )
    made = meeting_services.schedule_series(
        actor=actor, series=series, until=today + timedelta(days=20)
    )
    first, second = made[0], made[1]
    for meeting in (first, second):
        for name, member_unit, dept, user in [
            ("单位联络员", unit, None, users["danwei"]),
            ("城管局派员", None, department, users["bumen"]),
            ("社区书记", None, None, users["shuji"]),
        ]:
            meeting_services.invite(
                actor=actor,
                meeting=meeting,
                name=name,
                unit=member_unit,
                department=dept,
                user=user,
            )
    for attendance in first.attendances.all():
        meeting_services.record_attendance(
            actor=actor, attendance=attendance, present=True
        )
    for n, attendance in enumerate(second.attendances.all()):
        meeting_services.record_attendance(
            actor=actor,
            attendance=attendance,
            present=n != 1,
            reason="参加区里专项会议" if n == 1 else "",
        )
    first_day = timezone.localdate(first.starts_at)
    meeting_services.hold_meeting(
        actor=actor,
        meeting=first,
        chair="轮值主席单位",
        minutes="一、通报上月工作；二、研究老旧小区停车难问题；三、部署背街小巷整治。",
    )
    done = meeting_services.decide(
        actor=actor,
        meeting=first,
        title="协调成员单位夜间开放停车位",
        due_on=first_day + timedelta(days=20),
        owner_unit=unit,
        tag=FourCo.SHARE,
    )
    under_way = meeting_services.decide(
        actor=actor,
        meeting=first,
        title="背街小巷环境整治（一期）",
        due_on=today - timedelta(days=10),
        owner_department=department,
        tag=FourCo.GOVERN,
    )
    meeting_services.decide(
        actor=actor,
        meeting=first,
        title="建立成员单位资源清单",
        due_on=today + timedelta(days=25),
        owner_unit=unit,
        tag=FourCo.BUILD,
    )
    meeting_services.report_progress(
        actor=users["danwei"], task=done, progress=100, note="已开放夜间车位40个"
    )
    meeting_services.report_progress(
        actor=users["bumen"], task=under_way, progress=60, note="完成3条小巷整治"
    )
    meeting_services.hold_meeting(
        actor=actor,
        meeting=Meeting.objects.get(pk=second.pk),
        chair="轮值主席单位",
        minutes="一、督办上次议定事项；二、研究适老化改造；三、商议共享空间开放。",
    )
    meeting_services.decide(
        actor=actor,
        meeting=second,
        title="上报适老化改造需求清单",
        due_on=today - timedelta(days=3),
        owner_user=users["dangyuan"],
        owner_name="党员志愿者",
        tag=FourCo.CONSULT,
    )
    withdrawn = meeting_services.decide(
        actor=actor,
        meeting=second,
        title="联合举办广场文艺汇演",
        due_on=today + timedelta(days=40),
        owner_unit=unit,
        tag=FourCo.SHARE,
    )
    meeting_services.cancel_task(actor=actor, task=withdrawn, reason="并入街道文化节")
    for meeting in made[2:]:  # the next meeting reports on what is not done
        meeting_services.draw_agenda(meeting)
        meeting_services.add_topic(
            actor=actor, meeting=meeting, title="研究共享空间错时开放办法"
        )
    return series


def _agreements(actor, staff, street, community, unit, others, alliance, today):
    registration = UnitRegistration.objects.filter(unit=unit).order_by("pk").first()
    project = Project.objects.filter(community=community).order_by("pk").first()
    expiring = agreements_services.draft_agreement(
        actor=actor,
        place=community,
        unit=unit,
        alliance=alliance,
        title=f"{community.name}与{unit.name}共建协议",
        starts_on=today - timedelta(days=335),
        ends_on=today + timedelta(days=30),
    )
    agreements_services.add_commitment(
        actor=actor,
        agreement=expiring,
        kind=CommitmentKind.SERVICE,
        tag=FourCo.BUILD,
        title="每季度到社区开展志愿服务",
        quantity=Decimal(4),
        measure="次",
        registration=registration,
    )
    agreements_services.add_commitment(
        actor=actor,
        agreement=expiring,
        kind=CommitmentKind.PROJECT,
        tag=FourCo.GOVERN,
        title="认领为民办实事项目",
        quantity=Decimal(1),
        measure="项",
        project=project,
    )
    agreements_services.add_commitment(
        actor=actor,
        agreement=expiring,
        kind=CommitmentKind.RESOURCE,
        tag=FourCo.SHARE,
        title="会议室向社区开放",
        quantity=Decimal(12),
        measure="次",
    )
    agreements_services.sign_agreement(
        actor=actor,
        agreement=expiring,
        place_signatory="社区党委书记",
        unit_signatory="单位党组织书记",
        signed_on=today - timedelta(days=335),
    )
    partner = others[0] if others else unit
    running = agreements_services.draft_agreement(
        actor=actor,
        place=street,
        unit=partner,
        alliance=alliance,
        title=f"{street.name}与{partner.name}共建协议",
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=670),
    )
    agreements_services.add_commitment(
        actor=actor,
        agreement=running,
        kind=CommitmentKind.RESOURCE,
        tag=FourCo.SHARE,
        title="资助困难群众微心愿",
        quantity=Decimal(20000),
        measure="元",
    )
    agreements_services.sign_agreement(
        actor=actor,
        agreement=running,
        place_signatory="街道党工委书记",
        unit_signatory="单位负责人",
        signed_on=today - timedelta(days=60),
    )
    old_partner = others[1] if len(others) > 1 else unit
    ended = agreements_services.draft_agreement(
        actor=actor,
        place=community,
        unit=old_partner,
        title=f"{community.name}与{old_partner.name}共建协议（上一期）",
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=20),
    )
    commitment = agreements_services.add_commitment(
        actor=actor,
        agreement=ended,
        kind=CommitmentKind.SERVICE,
        tag=FourCo.BUILD,
        title="为社区老人义诊",
        quantity=Decimal(6),
        measure="次",
    )
    agreements_services.sign_agreement(
        actor=actor,
        agreement=ended,
        place_signatory="社区党委书记",
        unit_signatory="单位负责人",
        signed_on=today - timedelta(days=400),
    )
    agreements_services.record_done(actor=actor, commitment=commitment, quantity=4)
    agreements_services.expire_agreement(actor=actor, agreement=ended)
    agreements_services.evaluate_commitment(
        actor=actor,
        commitment=commitment,
        evaluation=Evaluation.PARTLY,
        note="完成4次，疫情期间暂停2次",
    )
    agreements_services.draft_agreement(
        actor=actor,
        place=community,
        unit=others[2] if len(others) > 2 else unit,
        title="新一期共建协议（草拟）",
        starts_on=today + timedelta(days=10),
        ends_on=today + timedelta(days=375),
    )


def _pairs(actor, community, unit, others, rng, today):
    compounds = list(
        Place.objects.filter(
            path_prefix(community.path), kind=PlaceKind.COMPOUND
        ).order_by("code")
    )
    partners = [unit, *others]
    for n, compound in enumerate(compounds[:-1]):  # the last compound stays unpaired
        pair = pairing_services.create_pair(
            actor=actor,
            kind=PairKind.UNIT_COMPOUND,
            place=compound,
            unit=partners[n % len(partners)],
            since=today - timedelta(days=300),
        )
        # every other pair visited recently; the rest not for months
        back = rng.randint(3, 20) if n % 2 == 0 else rng.randint(60, 120)
        pairing_services.log_visit(
            actor=actor,
            pair=pair,
            visited_on=today - timedelta(days=back),
            findings="楼道堆物、单元门禁损坏，已告知物业" if n == 0 else "走访正常",
        )
    buildings = list(
        Place.objects.filter(
            path_prefix(community.path), kind=PlaceKind.BUILDING
        ).order_by("code")
    )
    for n, building in enumerate(buildings[: len(buildings) * 2 // 3]):
        pair = pairing_services.create_pair(
            actor=actor,
            kind=PairKind.CADRE_BUILDING,
            place=building,
            cadre=CADRES[n % len(CADRES)],
            cadre_title=TITLES[n % len(TITLES)],
            since=today - timedelta(days=200),
        )
        if n % 3:
            pairing_services.log_visit(
                actor=actor,
                pair=pair,
                visited_on=today - timedelta(days=rng.randint(1, 50)),
                findings="入户走访，收集意见建议",
            )
    pairing_services.create_pair(
        actor=actor,
        kind=PairKind.LEADER_COMMUNITY,
        place=community,
        cadre="市领导（联系社区）",
        cadre_title="市委常委",
        since=today - timedelta(days=365),
    )


def _venues(users, community, street2, unit, series, today):
    # the community worker acts for the community, as in the volunteering demo
    staff, danwei = users["shegong"], users["danwei"]
    hall = venue_services.save_venue(
        actor=staff,
        place=community,
        name="党群服务中心多功能厅",
        kind=VenueKind.CENTER_ROOM,
        capacity=80,
        facilities="投影、音响、桌椅",
        needs_approval=False,
        max_hours=4,
    )
    room = venue_services.save_venue(
        actor=staff,
        place=community,
        name=f"{unit.name}会议室",
        kind=VenueKind.UNIT_ROOM,
        owner_unit=unit,
        capacity=30,
        facilities="会议桌、显示屏",
        needs_approval=True,
        max_hours=3,
    )
    venue_services.save_venue(
        actor=staff,
        place=community,
        name="社区文化广场",
        kind=VenueKind.OUTDOOR,
        capacity=300,
        facilities="户外舞台",
        needs_approval=True,
        max_hours=4,
    )
    now = timezone.now()
    # past use: booked, approved, checked in
    for back in (21, 14, 7):
        day = today - timedelta(days=back)
        start = _at(day, 14)
        booking = venue_services.book_venue(
            actor=staff,
            venue=room,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            purpose="社区议事会",
            attendees=20,
            now=start - timedelta(days=3),
        )
        venue_services.decide_booking(actor=danwei, booking=booking, approve=True)
        venue_services.check_in(actor=staff, booking=booking, now=start)
    # to come: one approved, one waiting for the owner, one of the hall
    tomorrow = today + timedelta(days=1)
    approved = venue_services.book_venue(
        actor=staff,
        venue=room,
        starts_at=_at(tomorrow, 9),
        ends_at=_at(tomorrow, 11),
        purpose="新就业群体座谈会",
        attendees=15,
        now=now,
    )
    venue_services.decide_booking(
        actor=danwei, booking=approved, approve=True, note="请提前10分钟到"
    )
    venue_services.book_venue(
        actor=staff,
        venue=room,
        starts_at=_at(tomorrow + timedelta(days=2), 14),
        ends_at=_at(tomorrow + timedelta(days=2), 16),
        purpose="党员志愿者培训",
        attendees=25,
        now=now,
    )
    next_meeting = (
        Meeting.objects.filter(series=series, starts_at__gt=now)
        .order_by("starts_at")
        .first()
    )
    venue_services.book_venue(
        actor=staff,
        venue=hall,
        starts_at=_at(tomorrow + timedelta(days=3), 15),
        ends_at=_at(tomorrow + timedelta(days=3), 17),
        purpose="居民议事会",
        attendees=50,
        now=now,
    )
    venue_services.book_venue(
        actor=danwei,
        venue=hall,
        starts_at=_at(tomorrow + timedelta(days=4), 9),
        ends_at=_at(tomorrow + timedelta(days=4), 11),
        purpose="单位主题党日",
        attendees=40,
        now=now,
    )
    if next_meeting is not None:
        Booking.objects.filter(venue=hall, purpose="居民议事会").update(
            meeting=next_meeting
        )


def _outside(actor, street2, today):
    """A venue and an agreement in the second street (outside the first's scope)."""
    community = _first(street2, PlaceKind.COMMUNITY)
    venue_services.save_venue(
        actor=actor,
        place=community,
        name="二街道党群服务中心活动室",
        kind=VenueKind.CENTER_ROOM,
        capacity=40,
        needs_approval=True,
    )
    partner = (
        Unit.objects.filter(path_prefix(street2.path, "place__path"))
        .order_by("credit_code", "pk")
        .first()
    )
    if partner is not None:
        agreements_services.draft_agreement(
            actor=actor,
            place=community,
            unit=partner,
            title=f"{community.name}与{partner.name}共建协议",
            starts_on=today,
            ends_on=today + timedelta(days=365),
        )
    meeting_services.create_task(
        actor=actor,
        place=street2,
        title="二街道背街小巷整治",
        due_on=today + timedelta(days=30),
        owner_unit=partner,
    )


def purge_alliances(district):
    """Delete the demo's co-governance rows (before the places and units they use)."""
    if district is None:
        return
    prefix = district.path
    Visit.objects.filter(path_prefix(prefix, "pair__place__path")).delete()
    Pair.objects.filter(path_prefix(prefix, "place__path")).delete()
    Booking.objects.filter(path_prefix(prefix, "venue__place__path")).delete()
    Venue.objects.filter(path_prefix(prefix, "place__path")).delete()
    Agreement.objects.filter(path_prefix(prefix, "place__path")).delete()
    Task.objects.filter(path_prefix(prefix, "place__path")).delete()
    Meeting.objects.filter(path_prefix(prefix, "place__path")).delete()
    MeetingSeries.objects.filter(path_prefix(prefix, "place__path")).delete()
    ChairTerm.objects.filter(path_prefix(prefix, "alliance__place__path")).delete()
    AnnualPlan.objects.filter(path_prefix(prefix, "alliance__place__path")).delete()
    AllianceMember.objects.filter(path_prefix(prefix, "alliance__place__path")).delete()
    Alliance.objects.filter(path_prefix(prefix, "place__path")).delete()
    Organisation.objects.filter(path_prefix(prefix, "place__path")).delete()
