"""What each role's 工作台 shows: scope, counts within it, and next steps."""

from dataclasses import dataclass

from django.urls import reverse

from jiceng.cases.models import Case, Status
from jiceng.core.roles import Role
from jiceng.core.scope import grants_for, has_permission
from jiceng.party.models import PartyMember, PartyOrg
from jiceng.people.models import Household, Resident, Unit
from jiceng.people.services import due_for_review
from jiceng.places.models import Place, PlaceKind
from jiceng.volunteer.workbench import volunteer_cards


@dataclass
class Card:
    label: str
    value: int
    url: str
    icon: str


def scope_places(user):
    ids = [a.place_id for a in user.assignments.filter(active=True) if a.place_id]
    return list(Place.objects.filter(pk__in=ids).order_by("path"))


def summary_cards(user) -> list[Card]:
    cards = []
    if has_permission(user, "places.view"):
        grids = Place.objects.visible_to(user).filter(kind=PlaceKind.GRID).count()
        cards.append(Card("网格", grids, reverse("places:index"), "grid-3x3"))
        compounds = (
            Place.objects.visible_to(user).filter(kind=PlaceKind.COMPOUND).count()
        )
        cards.append(Card("小区/院落", compounds, reverse("places:index"), "buildings"))
    if has_permission(user, "people.view"):
        cards.append(
            Card(
                "居民",
                Resident.objects.visible_to(user).count(),
                reverse("people:resident_list"),
                "people",
            )
        )
        cards.append(
            Card(
                "户",
                Household.objects.visible_to(user).count(),
                reverse("people:household_list"),
                "house-door",
            )
        )
        cards.append(
            Card(
                "单位",
                Unit.objects.visible_to(user).count(),
                reverse("people:unit_list"),
                "building",
            )
        )
        # 分类动态管理: the tags whose review is due this week, a grid worker's to-do.
        cards.append(
            Card(
                "重点人群待复核",
                due_for_review(user).count(),
                reverse("people:tag_list") + "?status=due",
                "heart-pulse",
            )
        )
    if has_permission(user, "cases.view"):
        cards.extend(case_cards(user))
    if has_permission(user, "volunteer.view"):
        cards.extend(Card(*card) for card in volunteer_cards(user))
    if has_permission(user, "party.view"):
        cards.append(
            Card(
                "党组织",
                PartyOrg.objects.visible_to(user).count(),
                reverse("party:org_index"),
                "flag",
            )
        )
        cards.append(
            Card(
                "党员",
                PartyMember.objects.visible_to(user).count(),
                reverse("party:member_list"),
                "person-badge",
            )
        )
    return cards


ROLE_TASKS = {
    Role.DISTRICT_ADMIN: [
        "统筹全区网格与党组织设置",
        "查看审计日志，督促敏感信息规范使用",
    ],
    Role.STREET_ADMIN: [
        "维护街道下辖社区、网格设置",
        "指导社区党委、大工委成员单位工作",
    ],
    Role.COMMUNITY_SECRETARY: [
        "维护本社区网格、小区、楼栋台账",
        "管理党组织与党员信息",
        "核对居民信息",
    ],
    Role.COMMUNITY_STAFF: ["更新本社区居民与户信息", "协助维护党员信息"],
    Role.GRID_WORKER: [
        "入户走访，核实居民信息",
        "发现问题及时上报",
        "关注网格内重点人群",
    ],
    Role.BUILDING_LEAD: ["了解本楼栋住户情况", "及时反映居民诉求"],
    Role.UNIT_ORG: ["查看本单位在职党员名册", "参与社区共建"],
    Role.DEPARTMENT: ["查看辖区网格分布，承接派遣事项"],
    Role.PROPERTY: ["查看所服务小区的楼栋与设施"],
    Role.MEMBER: ["查看本人登记信息", "参与社区志愿服务"],
}


def tasks_for(user) -> list[str]:
    seen, tasks = set(), []
    for grant in grants_for(user):
        if grant.role not in seen:
            seen.add(grant.role)
            tasks.extend(ROLE_TASKS.get(grant.role, []))
    return tasks


def case_cards(user) -> list[Card]:
    """What waits for this user in the case loop: queue, own work, checks, overdue."""
    url = reverse("cases:list")
    cards = []
    if has_permission(user, "cases.dispatch"):
        queue = Case.objects.visible_to(user, "dispatch").filter(
            status__in=[Status.REPORTED, Status.ACCEPTED, Status.VERIFIED]
        )
        cards.append(
            Card("待受理/派遣/结案", queue.count(), url + "?status=open", "inbox")
        )
    if has_permission(user, "cases.handle"):
        mine = Case.objects.visible_to(user, "handle").handled_by(user)
        mine = mine.filter(status=Status.DISPATCHED)
        cards.append(
            Card("待我处置", mine.count(), url + "?mine=on&status=dispatched", "tools")
        )
    if has_permission(user, "cases.verify"):
        checks = (  # 核查 is someone else's than the handler's
            Case.objects.visible_to(user, "verify")
            .filter(status=Status.HANDLED)
            .exclude(handler=user)
        )
        cards.append(
            Card("待核查", checks.count(), url + "?status=handled", "check2-square")
        )
    late = Case.objects.visible_to(user).overdue()
    cards.append(Card("超期案件", late.count(), url + "?overdue=on", "alarm"))
    return cards
