"""Import party members from the 党员台账.

A member must already be a registered resident within the importer's scope
(matched by the ID number's blind index); the organisation and the employer unit
are named as the ledgers name them, and found within the importer's scope too.
"""

from django.core.exceptions import ValidationError

from jiceng.core.crypto import blind_index
from jiceng.core.ledgers import (
    YES,
    RowByRowImporter,
    choice,
    date_cell,
    register_importer,
)
from jiceng.core.tabular import cell_text
from jiceng.core.validators import validate_id_number
from jiceng.people.models import Resident, Unit

from . import services
from .models import MemberStatus, PartyMember, PartyOrg

STATUS_BY_LABEL = {str(label): value for value, label in MemberStatus.choices}
STATUS_BY_LABEL.update(
    {
        "在职党员": MemberStatus.IN_SERVICE,
        "退休": MemberStatus.RETIRED,
        "离退休党员": MemberStatus.RETIRED,
        "流动党员": MemberStatus.MOBILE,
    }
)


@register_importer
class MemberImporter(RowByRowImporter):
    bulk_models = (PartyMember,)  # statistics refreshed after a large import
    kind = "members"
    label = "党员"
    permission = "party.change"
    columns = [
        "姓名",
        "身份证号",
        "所在党组织",
        "党员状态",
        "入党日期",
        "预备党员",
        "工作单位",
        "备注",
    ]
    required = {"身份证号", "党员状态"}
    aliases = {
        "身份证号码": "身份证号",
        "党组织": "所在党组织",
        "所在支部": "所在党组织",
        "党支部": "所在党组织",
        "类别": "党员状态",
        "人员类别": "党员状态",
        "入党时间": "入党日期",
        "是否预备党员": "预备党员",
    }
    example_rows = [
        [
            "王秀英",
            "11010519491231002X",
            "幸福社区第一网格党支部",
            "离退休",
            "1975-07-01",
            "否",
            "",
            "",
        ]
    ]

    def __init__(self, actor, *, dry_run):
        super().__init__(actor, dry_run=dry_run)
        self.orgs = {}

    def _org(self, name):
        if not name:
            return None
        if name not in self.orgs:
            found = list(
                PartyOrg.objects.visible_to(self.actor, "change").filter(name=name)[:2]
            )
            self.orgs[name] = found[0] if len(found) == 1 else len(found)
        org = self.orgs[name]
        if org == 0:
            raise ValidationError(f"党组织“{name}”不存在或不在您的权限范围内")
        if org == 2:
            raise ValidationError(f"有多个党组织名为“{name}”，请联系管理员区分名称")
        return org

    def import_row(self, row):
        values = row.values
        number = validate_id_number(values.get("身份证号")).number
        resident = (
            Resident.objects.visible_to(self.actor)
            .filter(id_number_index=blind_index(number, purpose="id_number"))
            .first()
        )
        if resident is None:
            raise ValidationError("该身份证号未在您辖区的居民库中登记，请先导入居民")
        fields = {
            "org": self._org(cell_text(values.get("所在党组织"))),
            "status": choice(values.get("党员状态"), STATUS_BY_LABEL, "党员状态"),
            "joined_on": date_cell(values.get("入党日期"), "入党日期"),
            "is_probationary": cell_text(values.get("预备党员")) in YES,
            "unit": self._unit(cell_text(values.get("工作单位"))),
            "note": cell_text(values.get("备注")),
        }
        if not fields["status"]:
            raise ValidationError("党员状态不能为空")
        return self.save(
            PartyMember.objects.filter(resident=resident).first(),
            fields,
            create=lambda **f: services.register_member(
                actor=self.actor, resident=resident, **f
            ),
            update=lambda member, **f: services.update_member(
                actor=self.actor, member=member, **f
            ),
        )

    def _unit(self, name):
        """The employer unit by name, among the units the importer may see.

        A name that matches none is refused with the row rather than dropped: the
        unit is what 双报到 reports back to, so a member silently without one would
        be lost to it.
        """
        if not name:
            return None
        unit = Unit.objects.visible_to(self.actor).filter(name=name).first()
        if unit is None:
            raise ValidationError(
                f"工作单位“{name}”不在单位库中或不在您的权限范围内，"
                "请先登记该单位，或清空此列"
            )
        return unit
