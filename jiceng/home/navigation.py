"""The side menu: an entry is shown to exactly those who may open its page.

A page whose view is decorated with `permission_required` names its permissions
once, there; the menu reads them from the view. An entry names permissions itself
only for a page that checks them in its body (the same strings that page checks).
"""

from dataclasses import dataclass
from functools import cached_property

from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import has_permission


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str
    # Any one of these opens the page (checked in the view's body).
    permissions: tuple[str, ...] = ()

    @property
    def url(self):
        return reverse(self.url_name)

    @cached_property
    def required(self) -> tuple[str, ...]:
        """The permissions the page requires, read from its view when it says."""
        view = resolve(self.url).func
        return getattr(view, "required_permissions", self.permissions)

    def opens_for(self, user) -> bool:
        return not self.required or any(has_permission(user, p) for p in self.required)


MENU = [
    MenuItem(_("工作台"), "home:workbench", "speedometer2"),
    MenuItem(_("辖区网格"), "places:index", "diagram-3", ("places.view",)),
    MenuItem(_("事件案卷"), "cases:list", "megaphone", ("cases.view",)),
    MenuItem(_("考核统计"), "cases:kpi", "bar-chart", ("cases.kpi",)),
    MenuItem(_("数据看板"), "insight:index", "graph-up", ("insight.view",)),
    MenuItem(_("指挥大屏"), "screen:index", "display"),
    MenuItem(_("类别与派遣规则"), "cases:config", "sliders", ("cases.configure",)),
    MenuItem(_("未诉先办"), "intelligence:task_list", "lightning-charge"),
    MenuItem(_("智能派遣"), "intelligence:dispatch", "cpu"),
    MenuItem(
        _("双报到与志愿服务"), "volunteer:index", "people-fill", ("volunteer.view",)
    ),
    MenuItem(_("微心愿"), "volunteer:wishes", "balloon-heart", ("volunteer.view",)),
    MenuItem(_("三张清单"), "volunteer:projects", "list-check", ("volunteer.view",)),
    MenuItem(_("共建共治共享"), "alliances:index", "diagram-2", ("alliances.view",)),
    MenuItem(_("共享空间"), "alliances:venue_list", "door-open", ("alliances.view",)),
    MenuItem(_("议事协商"), "deliberation:topic_list", "chat-square-text"),
    MenuItem(_("议事会议"), "deliberation:meeting_list", "people"),
    MenuItem(_("矛盾纠纷调解"), "deliberation:dispute_list", "shield-check"),
    MenuItem(_("小区治理档案"), "deliberation:compound_list", "buildings"),
    MenuItem(
        _("一窗受理·办事"), "onewindow:index", "window-stack", ("onewindow.view",)
    ),
    MenuItem(_("网格员工作台"), "workforce:my_day", "phone"),
    MenuItem(_("社工与网格队伍"), "workforce:index", "person-workspace"),
    MenuItem(_("我的值守"), "workforce:my_duties", "shield-plus"),
    MenuItem(_("考核评价与督察"), "assessment:index", "award", ("assessment.view",)),
    MenuItem(_("党组织"), "party:org_index", "flag", ("party.view",)),
    MenuItem(_("党员"), "party:member_list", "person-badge", ("party.view",)),
    MenuItem(_("双向核查"), "party:roster_list", "arrow-left-right", ("party.view",)),
    MenuItem(_("三会一课"), "party:meeting_list", "journal-check"),
    MenuItem(_("组织生活落实"), "party:compliance", "calendar-check"),
    MenuItem(_("组织关系转接"), "party:transfer_list", "send"),
    MenuItem(_("两个覆盖"), "party:coverage", "bullseye"),
    MenuItem(_("功能型党组织"), "party:flex_list", "flag-fill"),
    MenuItem(_("党支部标准化"), "party:standard_list", "award"),
    MenuItem(_("发展党员"), "party:recruit_list", "person-plus"),
    MenuItem(_("书记双向推选"), "party:election_list", "check2-square"),
    MenuItem(_("居民"), "people:resident_list", "people", ("people.view",)),
    MenuItem(_("重点人群"), "people:tag_list", "heart-pulse", ("people.view",)),
    MenuItem(_("户"), "people:household_list", "house-door", ("people.view",)),
    MenuItem(_("单位"), "people:unit_list", "building", ("people.view",)),
    MenuItem(_("新就业群体"), "people:worker_list", "bicycle", ("people.view",)),
    # The import page lists the importers the user may run (core.ledgers).
    MenuItem(
        _("台账导入"), "transfer:index", "upload", ("people.change", "party.change")
    ),
    MenuItem(_("账号管理"), "home:user_list", "person-gear"),
    MenuItem(_("居民账号"), "accounts:registration_list", "person-check"),
    MenuItem(_("外部接入密钥"), "cases:keys", "key"),
    MenuItem(_("我的登记信息"), "accounts:me", "person-vcard"),
    MenuItem(_("审计日志"), "core:audit_list", "journal-text"),
    MenuItem(_("账号与安全"), "home:account", "shield-lock"),
    # Public, for everyone: the page staff share with residents.
    MenuItem(_("居民服务门户"), "portal:index", "globe2"),
]


def menu_for(user, path="/"):
    """Return the entries this user may open, each with url, label, icon and active."""
    entries = []
    for item in MENU:
        if not item.opens_for(user):
            continue
        url = item.url
        active = path == url if url == "/" else path.startswith(url)
        entries.append(
            {"url": url, "label": item.label, "icon": item.icon, "active": active}
        )
    return entries
