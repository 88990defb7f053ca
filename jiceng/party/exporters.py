"""Export party members in the 党员台账 layout (re-importable), and a 双向核查's
outcome as a sheet."""

from jiceng.core.ledgers import Exporter, choice_labels, register_exporter

from .filters import PartyMemberFilter
from .importers import MemberImporter
from .models import PartyMember


@register_exporter
class MemberExporter(Exporter):
    kind = "members"
    label = "党员"
    permission = "party.view"
    reveal_permission = "people.reveal"
    columns = MemberImporter.columns

    def queryset(self):
        return PartyMemberFilter(
            self.params, queryset=PartyMember.objects.visible_to(self.user)
        ).qs

    def rows(self):
        members = self.queryset().select_related("resident", "org", "unit")
        members = self.masked_only(members, "resident__id_number")
        statuses = choice_labels(PartyMember, "status")
        for m in members.iterator(chunk_size=2000):
            r = m.resident
            yield [
                r.name,
                r.id_number if self.unmasked else r.id_number_mask,
                m.org.name if m.org else "",
                statuses.get(m.status, m.status),
                m.joined_on.isoformat() if m.joined_on else "",
                "是" if m.is_probationary else "否",
                m.unit.name if m.unit else "",
                m.note,
            ]


def roster_rows(check):
    """The check as a sheet: header first, masked ID numbers."""
    yield [
        "核查结果",
        "名单姓名",
        "名单身份证号",
        "名单行号",
        "社区登记姓名",
        "社区登记身份证号",
        "相似度",
        "差异",
        "确认人",
    ]
    pairs = check.pairs.select_related("entry", "member__resident", "decided_by")
    for p in pairs.iterator(chunk_size=2000):
        resident = p.member.resident if p.member else None
        yield [
            p.get_kind_display(),
            p.entry.name if p.entry else "",
            p.entry.id_number_mask if p.entry else "",
            p.entry.row_number if p.entry else "",
            resident.name if resident else "",
            resident.id_number_mask if resident else "",
            p.score or "",
            "、".join(p.differences),
            str(p.decided_by or ""),
        ]
