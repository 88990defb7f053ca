"""Roles and what each may do. Scope (which subtree) comes from assignments.

Permissions are "<app>.<action>" strings. Actions: view, change, reveal (see full
ID numbers and phones, audited), audit (read the audit log), users (manage accounts).
Keeping the table in code means every change to who-may-do-what is reviewed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("区级管理员（区委组织部）")
    STREET_ADMIN = "street_admin", _("街道管理员（街道党工委）")
    COMMUNITY_SECRETARY = "community_secretary", _("社区书记")
    COMMUNITY_STAFF = "community_staff", _("社区工作者")
    GRID_WORKER = "grid_worker", _("网格员")
    BUILDING_LEAD = "building_lead", _("楼栋长/单元长")
    UNIT_ORG = "unit_org", _("单位党组织（双报到/共建单位）")
    DEPARTMENT = "department", _("职能部门")
    PROPERTY = "property", _("物业公司")
    MEMBER = "member", _("党员/志愿者/居民")


# Roles whose scope is a subtree of the territory tree.
PLACE_ROLES = {
    Role.DISTRICT_ADMIN,
    Role.STREET_ADMIN,
    Role.COMMUNITY_SECRETARY,
    Role.COMMUNITY_STAFF,
    Role.GRID_WORKER,
    Role.BUILDING_LEAD,
    Role.PROPERTY,
}

_REGISTRY_ALL = {
    "places.view",
    "places.change",
    "party.view",
    "party.change",
    "people.view",
    "people.change",
    "people.reveal",
}

# The case loop: report (上报), dispatch (受理/派遣/结案/督办), handle (处置/退单),
# verify (核查). 琐事不出网格、小事不出社区、大事不出街道: communities and streets
# dispatch, grids and departments handle, grid workers verify on site. kpi (考核统计):
# dispatchers see their subtree ranked, departments their own figures.
_CASES_DISPATCH = {
    "cases.view",
    "cases.report",
    "cases.dispatch",
    "cases.verify",
    "cases.kpi",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # people.configure: the key-population taxonomy, shared by the whole district.
    Role.DISTRICT_ADMIN: frozenset(
        _REGISTRY_ALL
        | _CASES_DISPATCH
        | {"core.audit", "core.users", "people.configure", "cases.configure"}
    ),
    # cases.configure: routing rules in their subtree; the category list itself
    # (CJ/T 214 classes and time limits) is set at district level.
    Role.STREET_ADMIN: frozenset(
        _REGISTRY_ALL | _CASES_DISPATCH | {"core.users", "cases.configure"}
    ),
    Role.COMMUNITY_SECRETARY: frozenset(
        _REGISTRY_ALL | _CASES_DISPATCH | {"cases.handle"}
    ),
    Role.COMMUNITY_STAFF: frozenset(
        {
            "places.view",
            "party.view",
            "party.change",
            "people.view",
            "people.change",
            "cases.view",
            "cases.report",
            "cases.handle",
        }
    ),
    # Grid workers call residents on home visits, so they may reveal (audited).
    Role.GRID_WORKER: frozenset(
        {
            "places.view",
            "party.view",
            "people.view",
            "people.change",
            "people.reveal",
            "cases.view",
            "cases.report",
            "cases.handle",
            "cases.verify",
        }
    ),
    Role.BUILDING_LEAD: frozenset(
        {"places.view", "people.view", "cases.view", "cases.report"}
    ),
    Role.UNIT_ORG: frozenset({"party.view", "people.view"}),
    Role.DEPARTMENT: frozenset(
        {"places.view", "cases.view", "cases.handle", "cases.kpi"}
    ),
    Role.PROPERTY: frozenset({"places.view", "cases.view", "cases.handle"}),
    Role.MEMBER: frozenset({"party.view", "people.view", "cases.view", "cases.report"}),
}

# 双报到 and volunteering: manage (the community confirms registrations, approves
# hours, publishes activities, reviews wishes, matches lists, evaluates), collect
# (微心愿 gathered and confirmed on site), join (members and units register, sign
# up, claim wishes and projects, redeem points).
_VOLUNTEER_PERMISSIONS = {
    Role.DISTRICT_ADMIN: {"volunteer.view", "volunteer.manage"},
    Role.STREET_ADMIN: {"volunteer.view", "volunteer.manage"},
    Role.COMMUNITY_SECRETARY: {"volunteer.view", "volunteer.manage"},
    Role.COMMUNITY_STAFF: {"volunteer.view", "volunteer.manage"},
    Role.GRID_WORKER: {"volunteer.view", "volunteer.collect"},
    Role.BUILDING_LEAD: {"volunteer.view", "volunteer.collect"},
    Role.UNIT_ORG: {"volunteer.view", "volunteer.join"},
    Role.MEMBER: {"volunteer.view", "volunteer.join"},
}
for _role, _extra in _VOLUNTEER_PERMISSIONS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(_extra)

# 议事协商 (deliberation): view (topics of one's area; members those of their own
# compound or community), raise (提出议题), manage (grade, meetings, votes, 公示,
# 两委 urgent decisions, execution), consult (小事 settled by the grid or building),
# vote (phone voting), mediate (矛盾纠纷 ledger and 排查), compounds (业委会, 物业,
# 三无小区 records).
_DELIBERATION_MANAGE = {
    "deliberation.view",
    "deliberation.raise",
    "deliberation.manage",
    "deliberation.consult",
    "deliberation.mediate",
    "deliberation.compounds",
}
_DELIBERATION_PERMISSIONS = {
    Role.DISTRICT_ADMIN: _DELIBERATION_MANAGE,
    Role.STREET_ADMIN: _DELIBERATION_MANAGE,
    Role.COMMUNITY_SECRETARY: _DELIBERATION_MANAGE,
    Role.COMMUNITY_STAFF: _DELIBERATION_MANAGE,
    Role.GRID_WORKER: {
        "deliberation.view",
        "deliberation.raise",
        "deliberation.consult",
        "deliberation.mediate",
    },
    Role.BUILDING_LEAD: {
        "deliberation.view",
        "deliberation.raise",
        "deliberation.consult",
    },
    Role.UNIT_ORG: {"deliberation.view", "deliberation.raise"},
    Role.PROPERTY: {"deliberation.view"},
    Role.MEMBER: {"deliberation.view", "deliberation.raise", "deliberation.vote"},
}
for _role, _extra in _DELIBERATION_PERMISSIONS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(_extra)

# 居民账号: community staff and their streets and district open accounts for
# residents, members and gig workers (from the registry, in batches, by printed
# invitations) and approve self-registrations in their subtree (accounts.manage);
# district administrators manage the outside clients' keys (Open311 API keys,
# 城市之眼 video sources: cases.keys).
_ACCOUNT_PERMISSIONS = {
    Role.DISTRICT_ADMIN: {"accounts.view", "accounts.manage", "cases.keys"},
    Role.STREET_ADMIN: {"accounts.view", "accounts.manage"},
    Role.COMMUNITY_SECRETARY: {"accounts.view", "accounts.manage"},
    Role.COMMUNITY_STAFF: {"accounts.view", "accounts.manage"},
    # accounts.own: one's own registry details (我的登记信息), the gig workers' H5.
    Role.MEMBER: {"accounts.own"},
}
for _role, _extra in _ACCOUNT_PERMISSIONS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(_extra)

# 智能派遣与未诉先办 (intelligence): who sees cases sees the 未诉先办 tasks of their
# area (view), dispatchers close them (dispatch), who configures routing sets the
# street's auto-dispatch and reads the model versions (configure).
for _role, _permissions in list(ROLE_PERMISSIONS.items()):
    ROLE_PERMISSIONS[_role] = _permissions | frozenset(
        "intelligence." + p.split(".")[1]
        for p in _permissions
        if p in {"cases.view", "cases.dispatch", "cases.configure"}
    )
# 考核评价与督察 (assessment): view; rate (a resident rates the compound's property
# company); mutual (community ↔ property two-way ratings); rank (compute, approve and
# publish the 红黑榜, 约谈, approve public bulletins); configure (indicator sets);
# inspect (督察 plans, inspections, verification); rectify (report a fix with
# evidence); bulletin (generate and publish 通报, upload the street's template);
# projects (示范项目/创投 calls, eligibility, panels, allocation); apply (a community
# or social organisation applies); funds (community budgets and spending);
# honours (评优表彰, 述职评议).
_ASSESSMENT_ADMIN = {
    "assessment.view",
    "assessment.rank",
    "assessment.inspect",
    "assessment.bulletin",
    "assessment.projects",
    "assessment.funds",
    "assessment.honours",
    "assessment.mutual",
    "assessment.rectify",
    "assessment.apply",
}
_ASSESSMENT_PERMISSIONS = {
    Role.DISTRICT_ADMIN: _ASSESSMENT_ADMIN | {"assessment.configure"},
    Role.STREET_ADMIN: _ASSESSMENT_ADMIN,
    Role.COMMUNITY_SECRETARY: {
        "assessment.view",
        "assessment.mutual",
        "assessment.inspect",
        "assessment.rectify",
        "assessment.bulletin",
        "assessment.apply",
        "assessment.funds",
        "assessment.honours",
    },
    Role.COMMUNITY_STAFF: {
        "assessment.view",
        "assessment.rectify",
        "assessment.apply",
        "assessment.funds",
    },
    Role.GRID_WORKER: {"assessment.view", "assessment.rectify"},
    Role.UNIT_ORG: {"assessment.view", "assessment.apply", "assessment.rectify"},
    Role.DEPARTMENT: {"assessment.view", "assessment.rectify"},
    Role.PROPERTY: {"assessment.view", "assessment.mutual", "assessment.rectify"},
    Role.MEMBER: {"assessment.view", "assessment.rate"},
}
for _role, _extra in _ASSESSMENT_PERMISSIONS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(_extra)

# Which place kinds a place-scoped role is assigned to (checked on assignment).
ROLE_PLACE_KINDS = {
    Role.DISTRICT_ADMIN: {"district"},
    Role.STREET_ADMIN: {"street"},
    Role.COMMUNITY_SECRETARY: {"community"},
    Role.COMMUNITY_STAFF: {"community"},
    Role.GRID_WORKER: {"grid"},
    Role.BUILDING_LEAD: {"building", "entrance", "compound"},
    Role.PROPERTY: {"compound"},
    Role.DEPARTMENT: {"district", "street"},
}

ADMIN_ROLES = {Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_SECRETARY}

# The most sensitive key-population category (people.Sensitivity) each role may see:
# 1 一般 (elderly, disabled…), 2 敏感 (低保, 留守儿童…), 3 高度敏感 (社区矫正, 精神障碍…).
# Building leads relay needs and see only the ordinary ones; grid workers do the
# home visits that the restricted categories require.
ROLE_TAG_SENSITIVITY = {
    Role.DISTRICT_ADMIN: 3,
    Role.STREET_ADMIN: 3,
    Role.COMMUNITY_SECRETARY: 3,
    Role.COMMUNITY_STAFF: 2,
    Role.GRID_WORKER: 3,
    Role.BUILDING_LEAD: 1,
}

# 共建共治共享 (alliances): view; change (run alliances, joint meetings, agreements,
# 包联 and the venues catalogue in one's subtree); book (a shared venue); approve
# (decide and check in the bookings of venues one manages: the venue's community
# or street, or its owner unit); report (progress on the tasks one owns, visits
# of the pairs one is part of).
_ALLIANCES_PERMISSIONS = {
    Role.DISTRICT_ADMIN: {"alliances.view", "alliances.change", "alliances.approve"},
    Role.STREET_ADMIN: {
        "alliances.view",
        "alliances.change",
        "alliances.book",
        "alliances.approve",
        "alliances.report",
    },
    Role.COMMUNITY_SECRETARY: {
        "alliances.view",
        "alliances.change",
        "alliances.book",
        "alliances.approve",
        "alliances.report",
    },
    Role.COMMUNITY_STAFF: {
        "alliances.view",
        "alliances.change",
        "alliances.book",
        "alliances.approve",
        "alliances.report",
    },
    Role.GRID_WORKER: {"alliances.view", "alliances.book", "alliances.report"},
    Role.UNIT_ORG: {
        "alliances.view",
        "alliances.book",
        "alliances.approve",
        "alliances.report",
    },
    Role.DEPARTMENT: {"alliances.view", "alliances.report"},
    Role.MEMBER: {"alliances.view", "alliances.book", "alliances.report"},
}
for _role, _extra in _ALLIANCES_PERMISSIONS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(_extra)

# 一窗受理 (onewindow): view the catalogue, service points and the district's lists;
# apply (a resident on the phone) and book appointments; proxy (代办: a grid worker
# applies for a resident); accept (全科受理 at any community window: check materials,
# 一次性告知, accept, record the collection); handle (the handling level decides:
# communities, streets, departments for what was handed to them); manage (service
# points, slots, attendance, 上门服务); configure (the catalogue and the district's
# lists, deciding 准入 requests); request (a department asks to hand a task down).
_ONEWINDOW_PERMISSIONS = {
    Role.DISTRICT_ADMIN: {
        "onewindow.view",
        "onewindow.accept",
        "onewindow.handle",
        "onewindow.manage",
        "onewindow.configure",
    },
    Role.STREET_ADMIN: {
        "onewindow.view",
        "onewindow.accept",
        "onewindow.handle",
        "onewindow.manage",
    },
    Role.COMMUNITY_SECRETARY: {
        "onewindow.view",
        "onewindow.accept",
        "onewindow.handle",
        "onewindow.manage",
    },
    Role.COMMUNITY_STAFF: {
        "onewindow.view",
        "onewindow.accept",
        "onewindow.handle",
        "onewindow.manage",
    },
    Role.GRID_WORKER: {"onewindow.view", "onewindow.proxy"},
    Role.DEPARTMENT: {"onewindow.view", "onewindow.handle", "onewindow.request"},
    Role.MEMBER: {"onewindow.view", "onewindow.apply", "onewindow.book"},
}
for _role, _extra in _ONEWINDOW_PERMISSIONS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(_extra)

# 社区工作者与网格 (workforce): view (workers, teams, coverage in one's subtree);
# patrol (a grid worker's patrols, home visits and duty checklist); manage (careers,
# pay, recruitment, assessment, training, mentors, teams: communities and up);
# mobilise (declare 平急结合 modes and assign posts: streets and the district);
# duty (a member or volunteer confirms and checks in at an assigned post).
_WORKFORCE_MANAGE = {"workforce.view", "workforce.manage", "workforce.patrol"}
_WORKFORCE_PERMISSIONS = {
    Role.DISTRICT_ADMIN: _WORKFORCE_MANAGE | {"workforce.mobilise"},
    Role.STREET_ADMIN: _WORKFORCE_MANAGE | {"workforce.mobilise"},
    Role.COMMUNITY_SECRETARY: _WORKFORCE_MANAGE,
    Role.COMMUNITY_STAFF: _WORKFORCE_MANAGE,
    Role.GRID_WORKER: {"workforce.view", "workforce.patrol", "workforce.duty"},
    # view: only their own deployments (the scope's owner clause)
    Role.BUILDING_LEAD: {"workforce.view", "workforce.duty"},
    Role.UNIT_ORG: {"workforce.view", "workforce.duty"},
    Role.MEMBER: {"workforce.view", "workforce.duty"},
}
for _role, _extra in _WORKFORCE_PERMISSIONS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(_extra)
# 数据看板 (insight): the place dashboards of one's subtree (district, street,
# community, grid); each tile also needs its own app's permission there.
for _role in (
    Role.DISTRICT_ADMIN,
    Role.STREET_ADMIN,
    Role.COMMUNITY_SECRETARY,
    Role.COMMUNITY_STAFF,
    Role.GRID_WORKER,
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset({"insight.view"})

# 指挥大屏 (screen): whoever reads a subtree's case KPIs (cases.kpi) opens its big
# screen; view (see the display links of one's subtree) and manage (create and
# revoke the read-only links a command centre's screen stays on with) are the
# streets' and the district's.
for _role in (Role.DISTRICT_ADMIN, Role.STREET_ADMIN):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(
        {"screen.view", "screen.manage"}
    )
