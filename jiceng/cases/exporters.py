"""Cases to Excel: the list as filtered, within the user's scope."""

from django.utils import timezone

from jiceng.core.ledgers import Exporter, choice_labels, register_exporter

from .filters import cases_for
from .models import Case


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@register_exporter
class CaseExporter(Exporter):
    kind = "cases"
    label = "事件案卷"
    permission = "cases.view"
    reveal_permission = "people.reveal"
    columns = [
        "案卷号",
        "大类",
        "小类",
        "问题描述",
        "来源",
        "状态",
        "所在地点",
        "地址",
        "承办",
        "上报时间",
        "派遣时间",
        "处置期限",
        "结案时间",
        "是否超期",
        "督办",
        "升级层级",
        "处置结果",
        "评价",
        "上报人",
        "联系电话",
    ]

    def queryset(self):
        _filter, cases = cases_for(self.user, self.params)
        return cases

    def rows(self):
        cases = self.queryset().select_related(
            "category__parent", "place", "department", "grid"
        )
        cases = self.masked_only(cases, "reporter_phone")
        channels = choice_labels(Case, "channel")
        statuses = choice_labels(Case, "status")
        for c in cases.iterator(chunk_size=2000):
            yield [
                c.number,
                c.category.parent.name if c.category.parent_id else "",
                c.category.name,
                c.description,
                channels.get(c.channel, c.channel),
                statuses.get(c.status, c.status),
                c.place.name,
                c.address,
                (c.department.name if c.department else "")
                + (c.grid.name if c.grid else ""),
                _when(c.created_at),
                _when(c.dispatched_at),
                _when(c.handle_due),
                _when(c.closed_at),
                "是" if c.is_overdue else "否",
                "是" if c.supervised else "否",
                c.escalation,
                c.result,
                c.rating or "",
                "匿名" if c.anonymous else c.reporter_name,
                c.reporter_phone if self.unmasked else c.reporter_phone_mask,
            ]
