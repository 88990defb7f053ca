"""Units (单位): the unit ledger, matched by credit code or by name and place."""

from django.core.exceptions import ValidationError

from jiceng.core.ledgers import RowByRowImporter, choice, register_importer
from jiceng.core.tabular import cell_text
from jiceng.core.validators import validate_credit_code
from jiceng.places.resolver import place_by_code

from .. import services
from ..models import Unit, UnitKind
from .labels import INCUBATION_BY_LABEL, UNIT_KIND_BY_LABEL


@register_importer
class UnitImporter(RowByRowImporter):
    bulk_models = (Unit,)  # statistics refreshed after a large import
    kind = "units"
    label = "单位"
    permission = "people.change"
    columns = [
        "单位名称",
        "单位类型",
        "统一社会信用代码",
        "所在地编码",
        "地址",
        "党组织名称",
        "联系人",
        "联系电话",
        "从业人数",
        "孵化状态",
        "备注",
    ]
    required = {"单位名称", "所在地编码"}
    aliases = {
        "名称": "单位名称",
        "企业名称": "单位名称",
        "信用代码": "统一社会信用代码",
        "社会信用代码": "统一社会信用代码",
        "类型": "单位类型",
        "住所": "地址",
        "员工人数": "从业人数",
        "职工人数": "从业人数",
    }
    example_rows = [
        [
            "中和区幸福物业服务有限公司",
            "物业服务企业",
            "91110000600037341L",
            "510502001001",
            "幸福路1号",
            "幸福物业党支部",
            "李明",
            "13800138000",
            "35",
            "",
            "",
        ]
    ]

    place_kinds = {"grid", "compound", "building", "community", "street"}

    def __init__(self, actor, *, dry_run):
        super().__init__(actor, dry_run=dry_run)
        self.seen = {}

    def import_row(self, row):
        values = row.values
        name = cell_text(values.get("单位名称"))
        if not name:
            raise ValidationError("单位名称不能为空")
        code = cell_text(values.get("统一社会信用代码"))
        code = validate_credit_code(code) if code else None
        key = code or name
        if key in self.seen:
            raise ValidationError(f"与本文件第{self.seen[key]}行是同一单位")
        self.seen[key] = row.number
        place = place_by_code(
            self.actor,
            cell_text(values.get("所在地编码")),
            permission=self.permission,
            kinds=self.place_kinds,
        )
        staff = cell_text(values.get("从业人数"))
        if staff and not staff.isdigit():
            raise ValidationError(f"从业人数“{staff}”应为整数")
        fields = {
            "name": name[:200],
            "kind": choice(values.get("单位类型"), UNIT_KIND_BY_LABEL, "单位类型")
            or UnitKind.OTHER,
            "credit_code": code,
            "place": place,
            "address": cell_text(values.get("地址"))[:200],
            "party_org_name": cell_text(values.get("党组织名称"))[:200],
            "contact_name": cell_text(values.get("联系人"))[:50],
            "contact_phone": cell_text(values.get("联系电话")),
            "staff_count": int(staff) if staff else None,
            "incubation": choice(
                values.get("孵化状态"), INCUBATION_BY_LABEL, "孵化状态"
            ),
            "note": cell_text(values.get("备注")),
        }
        existing = (
            Unit.objects.filter(credit_code=code)
            if code
            else Unit.objects.filter(name=name, place=place)
        ).first()
        return self.save(
            existing,
            fields,
            create=lambda **f: services.create_unit(actor=self.actor, **f),
            update=lambda unit, **f: services.update_unit(
                actor=self.actor, unit=unit, **f
            ),
        )
