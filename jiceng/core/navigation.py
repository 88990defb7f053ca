"""The side menu: each entry names the permission that opens it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .scope import has_permission


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str
    permission: str | None = None

    @property
    def url(self):
        return reverse(self.url_name)


MENU = [
    MenuItem(_("工作台"), "core:workbench", "speedometer2"),
    MenuItem(_("辖区网格"), "places:index", "diagram-3", "places.view"),
    MenuItem(_("事件案卷"), "cases:list", "megaphone", "cases.view"),
    MenuItem(_("考核统计"), "cases:kpi", "bar-chart", "cases.dispatch"),
    MenuItem(_("类别与派遣规则"), "cases:config", "sliders", "cases.configure"),
    MenuItem(_("双报到与志愿服务"), "volunteer:index", "people-fill", "volunteer.view"),
    MenuItem(_("微心愿"), "volunteer:wishes", "balloon-heart", "volunteer.view"),
    MenuItem(_("三张清单"), "volunteer:projects", "list-check", "volunteer.view"),
    MenuItem(_("党组织"), "party:org_index", "flag", "party.view"),
    MenuItem(_("党员"), "party:member_list", "person-badge", "party.view"),
    MenuItem(_("双向核查"), "party:roster_list", "arrow-left-right", "party.view"),
    MenuItem(_("居民"), "people:resident_list", "people", "people.view"),
    MenuItem(_("重点人群"), "people:tag_list", "heart-pulse", "people.view"),
    MenuItem(_("户"), "people:household_list", "house-door", "people.view"),
    MenuItem(_("单位"), "people:unit_list", "building", "people.view"),
    MenuItem(_("新就业群体"), "people:worker_list", "bicycle", "people.view"),
    MenuItem(_("台账导入"), "transfer:index", "upload", "people.change"),
    MenuItem(_("账号管理"), "core:user_list", "person-gear", "core.users"),
    MenuItem(_("审计日志"), "core:audit_list", "journal-text", "core.audit"),
    MenuItem(_("账号与安全"), "core:account", "shield-lock"),
]


def menu_for(user, path="/"):
    """Return the entries this user may open, each with url, label, icon and active."""
    entries = []
    for item in MENU:
        if item.permission is not None and not has_permission(user, item.permission):
            continue
        url = item.url
        active = path == url if url == "/" else path.startswith(url)
        entries.append(
            {"url": url, "label": item.label, "icon": item.icon, "active": active}
        )
    return entries
