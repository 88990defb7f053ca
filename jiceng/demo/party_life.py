"""Demo organisational life for the demo district: a year of 三会一课 in every grid
branch with gaps (and none of this month's 支委会 in the first branch, so it can be
recorded), standardisation grades with one 后进 branch and its rectification plan,
设岗定责 posts and 先锋岗, a 临时党支部, a 快递行业党委 with 流动党员, a 产业链党委
and a 商圈 党委, 两个覆盖 with uncovered units and their assignees, a transfer
awaiting acceptance, people at every step of the recruitment pipeline, 党费 with
arrears and one 双向推选 voted but not yet appointed.

Rows are written directly (no member's organisation, status or the tree changes, so
the fingerprinted demo stays as it was), from a stream of their own; idempotent
(nothing is added once a meeting exists in the district) and purged by
``seed_demo --reset``. Dates are relative to today, as in the volunteering demo.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jiceng.core.months import add_months, months_back
from jiceng.core.scope import path_prefix
from jiceng.party.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    Attendance,
    DuesPayment,
    ElectionStage,
    FlexKind,
    FlexMembership,
    FlexOrg,
    FlowDirection,
    FlowingMember,
    Grade,
    Industry,
    Meeting,
    MeetingForm,
    MeetingKind,
    MemberPost,
    MemberStatus,
    MemberTransfer,
    OrgForm,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    PostKind,
    Recruit,
    Rectification,
    SecretaryElection,
    Stage,
    Standard,
    StandardArea,
    TransferKind,
    TransferStatus,
    UnitCoverage,
)
from jiceng.party.services.membership import bands_for, dues_for
from jiceng.party.services.standards import grade_for, weighted_score
from jiceng.party.services.work import NEW_KINDS
from jiceng.people.models import Resident, Unit
from jiceng.places.models import Place, PlaceKind

from .common import purge, stream

STANDARDS = [
    (StandardArea.SETUP, "支部委员会按期换届，书记、委员配备齐全", 15),
    (StandardArea.MEETINGS, "三会一课、主题党日按规定频次开展，记录完整", 25),
    (StandardArea.MEMBERS, "党员设岗定责、积分管理，流动党员纳入管理", 20),
    (StandardArea.DUES, "党费按月足额收缴，台账清楚", 10),
    (StandardArea.ARCHIVES, "组织生活、发展党员档案规范齐全", 15),
    (StandardArea.VENUE, "有固定活动阵地，标识规范、功能完备", 15),
]
TOPICS = {
    MeetingKind.COMMITTEE: [
        "研究本月党员志愿服务安排",
        "讨论老旧小区改造意见收集",
        "研究发展党员工作",
    ],
    MeetingKind.GROUP: [
        "学习党的二十届三中全会精神",
        "交流楼栋邻里守望情况",
        "学习《中国共产党纪律处分条例》",
    ],
    MeetingKind.ASSEMBLY: ["通报季度支部工作", "讨论接收预备党员", "民主评议党员"],
    MeetingKind.LESSON: [
        "书记讲党课：践行初心使命",
        "红色教育基地现场教学",
        "警示教育：以案促改",
    ],
}
ABSENCE = ["外出务工", "因病请假", "出差", "照顾家人"]


def _has_meetings(district):
    return Meeting.objects.filter(
        path_prefix(district.path, "org__place__path")
    ).exists()


def seed_party_life(district, *, seed, log=print):
    if district is None or _has_meetings(district):
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["shuji", "jiedao", "quadmin"]
        )
    }
    with transaction.atomic():
        _seed(district, users, stream(seed, "party_life"), log)


def seed_branch_meetings(district, *, seed, actor, log=print):
    """A city's further district: its grid branches' year of 三会一课 with
    attendance — the rows that grow with a district's size — and none of the first
    district's one-off stories. Idempotent; purged with the district."""
    if district is None or _has_meetings(district):
        return
    with transaction.atomic():
        branches, members_of = _branches_and_members(district)
        month_start = timezone.localdate().replace(day=1)
        meetings = _meetings(
            branches, members_of, month_start, actor, stream(seed, "party_life")
        )
    log(f"三会一课：{len(meetings)} 次会议")


def _branches_and_members(district):
    """The district's grid branches in tree order, and each one's members by pk."""
    branches = list(
        PartyOrg.objects.filter(
            path_prefix(district.path, "place__path"), kind=PartyOrgKind.GRID_BRANCH
        )
        .select_related("place")
        .order_by("path")
    )
    members_of = {b.pk: [] for b in branches}
    for m in PartyMember.objects.filter(org__in=branches).select_related("resident"):
        members_of[m.org_id].append(m)
    for ms in members_of.values():
        ms.sort(key=lambda m: m.pk)
    return branches, members_of


def _seed(district, users, rng, log):
    today = timezone.localdate()
    month_start = today.replace(day=1)
    branches, members_of = _branches_and_members(district)
    actor = users.get("shuji")
    meetings = _meetings(branches, members_of, month_start, actor, rng)
    log(f"三会一课：{len(meetings)} 次会议")
    _standards(district, branches, today, actor, rng)
    _posts(district, branches, members_of, today, rng)
    _flex(district, branches, members_of, today, rng)
    _transfer_and_election(branches, members_of, today, actor)
    _recruits(district, branches, today, rng)
    _dues(district, branches, members_of, today, rng)


def _meetings(branches, members_of, month_start, actor, rng):
    rows, att = [], []
    months = sorted(months_back(month_start, 12))
    for index, branch in enumerate(branches):
        for first in months:
            plan = [(MeetingKind.COMMITTEE, 0.88), (MeetingKind.GROUP, 0.8)]
            if first.month % 3 == 0:
                plan += [(MeetingKind.ASSEMBLY, 0.9), (MeetingKind.LESSON, 0.85)]
            for kind, chance in plan:
                # the last branch lets its 支委会 lapse for the last quarter
                lapse = index == len(branches) - 1 and first >= months[-3]
                if rng.random() > chance or (lapse and kind == MeetingKind.COMMITTEE):
                    continue
                day = first + timedelta(days=rng.randrange(2, 26))
                form = MeetingForm.ORDINARY
                if kind == MeetingKind.LESSON:
                    form = rng.choice(
                        [MeetingForm.ORDINARY, MeetingForm.ONSITE, MeetingForm.WARNING]
                    )
                rows.append(
                    Meeting(
                        org=branch,
                        kind=kind,
                        form=form,
                        topic=rng.choice(TOPICS[kind]),
                        held_on=day,
                        venue="党群服务站",
                        minutes="会议由支部书记主持，传达学习有关精神，研究部署相关工作。",
                        created_by=actor,
                    )
                )
    Meeting.objects.bulk_create(rows, batch_size=500)
    saved = list(
        Meeting.objects.filter(org__in=branches).order_by("org_id", "held_on", "pk")
    )
    for meeting in saved:
        for member in members_of.get(meeting.org_id, []):
            if meeting.kind == MeetingKind.COMMITTEE and rng.random() > 0.3:
                continue  # 支委会: the committee, a few of the members
            present = rng.random() > 0.12
            made_up = None
            if not present and rng.random() > 0.4:
                made_up = meeting.held_on + timedelta(days=rng.randrange(3, 20))
                made_up = min(made_up, timezone.localdate())
            att.append(
                Attendance(
                    meeting=meeting,
                    member=member,
                    present=present,
                    absence_reason="" if present else rng.choice(ABSENCE),
                    made_up_on=made_up,
                    made_up_note="学习会议记录并交流心得" if made_up else "",
                )
            )
    Attendance.objects.bulk_create(att, batch_size=2000)
    return saved


def _standards(district, branches, today, actor, rng):
    standards = [
        Standard(place=district, area=a, title=t, weight=w, order=i)
        for i, (a, t, w) in enumerate(STANDARDS)
    ]
    Standard.objects.bulk_create(standards)
    standards = list(Standard.objects.filter(place=district).order_by("order"))
    year = today.year - 1
    for index, branch in enumerate(branches):
        behind = index == 1
        scores = {
            s: (
                rng.randrange(40, 70)
                if behind
                else rng.randrange(94, 101)
                if index % 4 == 0
                else rng.randrange(72, 95)
            )
            for s in standards
        }
        review = {s: max(0, v - rng.randrange(0, 6)) for s, v in scores.items()}
        total = weighted_score(review)
        assessment = Assessment.objects.create(
            org=branch,
            year=year,
            status=AssessmentStatus.REVIEWED,
            self_score=weighted_score(scores),
            review_score=total,
            grade=grade_for(total),
            reviewed_by=actor,
            reviewed_at=timezone.now(),
        )
        AssessmentItem.objects.bulk_create(
            AssessmentItem(
                assessment=assessment,
                standard=s,
                self_score=scores[s],
                review_score=review[s],
                evidence="会议记录、台账照片",
            )
            for s in standards
        )
        if assessment.grade == Grade.BEHIND:
            Rectification.objects.create(
                assessment=assessment,
                problem="三会一课记录不全",
                measure="支部书记每月检查会议记录，街道党工委季度抽查",
                due_on=today - timedelta(days=30),
                done_on=today - timedelta(days=40),
                result="已补齐记录，建立月度检查台账",
            )
            Rectification.objects.create(
                assessment=assessment,
                problem="活动阵地标识不规范",
                measure="按全区统一标准更新阵地标识",
                due_on=today + timedelta(days=45),
            )


def _posts(district, branches, members_of, today, rng):
    compounds = list(
        Place.objects.filter(
            path_prefix(district.path), kind=PlaceKind.COMPOUND
        ).order_by("path")
    )
    kinds = [
        PostKind.PUBLICITY,
        PostKind.ENVIRONMENT,
        PostKind.NEIGHBOURS,
        PostKind.CIVILITY,
    ]
    posts = []
    for branch in branches:
        here = [c for c in compounds if c.path.startswith(branch.place.path)]
        for i, member in enumerate(members_of[branch.pk][:6]):
            if not here:
                break
            place = here[i % len(here)]
            if i == 0:
                posts.append(
                    MemberPost(
                        member=member,
                        kind=PostKind.VANGUARD,
                        title=f"{place.name}党员先锋岗",
                        place=place,
                        unit=member.unit,
                        duties="带头参与小区治理，收集居民诉求",
                        since=today - timedelta(days=rng.randrange(60, 600)),
                    )
                )
                continue
            posts.append(
                MemberPost(
                    member=member,
                    kind=kinds[i % len(kinds)],
                    place=place,
                    since=today - timedelta(days=rng.randrange(30, 700)),
                )
            )
    MemberPost.objects.bulk_create(posts)


def _flex(district, branches, members_of, today, rng):
    streets = list(
        Place.objects.filter(
            path_prefix(district.path), kind=PlaceKind.STREET
        ).order_by("path")
    )
    street = streets[0]
    street_committee = PartyOrg.objects.filter(
        place=street, kind=PartyOrgKind.STREET_COMMITTEE
    ).first()
    units = list(
        Unit.objects.filter(path_prefix(district.path, "place__path")).order_by(
            "credit_code", "pk"
        )
    )
    private = [u for u in units if u.kind in NEW_KINDS]
    first_members = [m for b in branches[:3] for m in members_of[b.pk][6:10]]
    temporary = FlexOrg.objects.create(
        name="老旧小区改造项目临时党支部",
        kind=FlexKind.TEMPORARY,
        place=street,
        parent=street_committee,
        purpose="老旧小区改造项目期间的组织生活与群众工作",
        starts_on=today - timedelta(days=120),
        ends_on=today + timedelta(days=180),
    )
    FlexMembership.objects.bulk_create(
        FlexMembership(
            org=temporary,
            member=m,
            role="书记" if i == 0 else "",
            joined_on=temporary.starts_on,
        )
        for i, m in enumerate(first_members[:6])
    )
    express = FlexOrg.objects.create(
        name="快递行业党委",
        kind=FlexKind.INDUSTRY,
        industry=Industry.EXPRESS,
        place=district,
        lead_unit=private[0] if private else None,
        starts_on=today - timedelta(days=400),
    )
    mobile = list(
        PartyMember.objects.filter(
            path_prefix(district.path, "place__path"), status=MemberStatus.MOBILE
        ).order_by("pk")[:5]
    ) or [m for b in branches[3:5] for m in members_of[b.pk][:2]]
    for i, member in enumerate(mobile):
        FlexMembership.objects.create(
            org=express, member=member, joined_on=express.starts_on
        )
        FlowingMember.objects.create(
            member=member,
            direction=FlowDirection.IN,
            formal_org_name=rng.choice(
                [
                    "河南省周口市某村党支部",
                    "甘肃省定西市某镇党委",
                    "四川省南充市某社区党委",
                ]
            ),
            takes_part_in_flex=express,
            elsewhere="外省",
            since=today - timedelta(days=30 * (i + 2)),
        )
    chain = FlexOrg.objects.create(
        name="新能源产业链党委",
        kind=FlexKind.CHAIN,
        place=district,
        lead_unit=private[1] if len(private) > 1 else None,
        starts_on=today - timedelta(days=300),
    )
    commercial = FlexOrg.objects.create(
        name="中心商圈党委",
        kind=FlexKind.COMMERCIAL,
        place=street,
        parent=street_committee,
        starts_on=today - timedelta(days=500),
    )
    forms = [OrgForm.SINGLE, OrgForm.JOINT, OrgForm.INSTRUCTOR, OrgForm.NONE]
    industries = [
        Industry.EXPRESS,
        Industry.DELIVERY,
        Industry.TRANSPORT,
        Industry.PROPERTY,
        Industry.OTHER,
    ]
    assignees = ["王建国", "李秀英", "张志强", "刘海燕"]
    covers = []
    for i, unit in enumerate(private):
        form = rng.choices(forms, weights=[3, 3, 2, 2])[0]
        covers.append(
            UnitCoverage(
                unit=unit,
                org_form=form,
                work_covered=form != OrgForm.NONE or rng.random() < 0.3,
                industry=rng.choice(industries),
                commercial=commercial if i % 3 == 0 else chain if i % 3 == 1 else None,
                assignee=rng.choice(assignees) if form == OrgForm.NONE else "",
                checked_on=today - timedelta(days=rng.randrange(1, 90)),
            )
        )
    UnitCoverage.objects.bulk_create(covers)


def _transfer_and_election(branches, members_of, today, actor):
    if len(branches) < 2 or not members_of[branches[0].pk]:
        return
    member = members_of[branches[0].pk][-1]
    # to another community of the same street, so the street can accept it
    street_path = branches[0].place.path[:8]
    target = [
        b
        for b in branches
        if b.place.path.startswith(street_path)
        and b.place.path[:12] != branches[0].place.path[:12]
    ][-1]
    MemberTransfer.objects.create(
        member=member,
        kind=TransferKind.WITHIN,
        status=TransferStatus.PENDING,
        from_org=branches[0],
        to_org=target,
        from_name=str(branches[0]),
        to_name=str(target),
        transferred_on=today - timedelta(days=3),
        reason="搬迁至新居住地",
        created_by=actor,
    )
    nominee = members_of[branches[0].pk][0]
    SecretaryElection.objects.create(
        org=branches[0],
        nominee=nominee,
        member_nominations=14,
        resident_nominations=56,
        votes_for=15,
        voters=18,
        stage=ElectionStage.VOTED,
        on_owners_committee=True,
    )


def _recruits(district, branches, today, rng):
    adults = list(
        Resident.objects.filter(
            path_prefix(district.path, "place__path"),
            party_member__isnull=True,
            birth_date__lte=today.replace(year=today.year - 22),
            birth_date__gte=today.replace(year=today.year - 40),
        ).order_by("pk")[:10]
    )
    for i, resident in enumerate(adults):
        stage = list(Stage)[i % 5]
        applied = today - timedelta(days=[60, 400, 800, 900, 1300][i % 5])
        dates = {"applied_on": applied}
        if stage != Stage.APPLICANT:
            dates["activist_on"] = applied + timedelta(days=45)
        if stage in (Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FULL):
            dates["candidate_on"] = add_months(dates["activist_on"], 13)
        if stage in (Stage.PROBATIONARY, Stage.FULL):
            dates["probationary_on"] = dates["candidate_on"] + timedelta(days=60)
            if stage == Stage.PROBATIONARY:
                # one probation about to end, one ended and waiting for 转正
                dates["probationary_on"] = add_months(today, -12) + timedelta(
                    days=[20, -15][i // 5 % 2]
                )
        if stage == Stage.FULL:
            dates["full_on"] = add_months(dates["probationary_on"], 12)
        Recruit.objects.create(
            resident=resident,
            org=branches[i % len(branches)],
            stage=stage,
            introducers="" if stage == Stage.APPLICANT else "张志强、李秀英",
            **dates,
        )


def _dues(district, branches, members_of, today, rng):
    payments = []
    for branch in branches[:6]:
        for member in members_of[branch.pk]:
            retired = member.status == MemberStatus.RETIRED
            bands = bands_for(branch.place, retired)
            base = Decimal(rng.choice([2800, 4200, 6500, 12000]))
            for month in range(1, today.month):
                if rng.random() < 0.08:
                    continue  # arrears
                payments.append(
                    DuesPayment(
                        member=member,
                        year=today.year,
                        month=month,
                        base=base,
                        amount=dues_for(base, bands),
                        paid_on=date(today.year, month, min(10 + month, 28)),
                    )
                )
    DuesPayment.objects.bulk_create(payments, batch_size=2000)


def purge_branch_meetings(district):
    """Remove the district's meetings and their attendance (before the organisations)."""
    purge(
        Attendance.objects.filter(
            path_prefix(district.path, "meeting__org__place__path")
        )
    )
    purge(Meeting.objects.filter(path_prefix(district.path, "org__place__path")))


def purge_party_life(district):
    """Remove what seed_party_life made (before the organisations and members)."""
    org_here = path_prefix(district.path, "org__place__path")
    member_here = path_prefix(district.path, "member__place__path")
    purge_branch_meetings(district)
    purge(
        Rectification.objects.filter(
            path_prefix(district.path, "assessment__org__place__path")
        )
    )
    purge(Assessment.objects.filter(org_here))
    purge(Standard.objects.filter(path_prefix(district.path, "place__path")))
    purge(MemberPost.objects.filter(member_here))
    purge(FlowingMember.objects.filter(member_here))
    purge(FlexMembership.objects.filter(member_here))
    purge(UnitCoverage.objects.filter(path_prefix(district.path, "unit__place__path")))
    purge(FlexOrg.objects.filter(path_prefix(district.path, "place__path")))
    purge(MemberTransfer.objects.filter(member_here, status=TransferStatus.PENDING))
    purge(SecretaryElection.objects.filter(org_here))
    purge(Recruit.objects.filter(org_here))
    purge(DuesPayment.objects.filter(member_here))
