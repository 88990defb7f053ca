"""New-employment workers: the 报到 ledger, matched by ID number."""

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
from jiceng.places.resolver import place_by_code

from .. import services
from ..models import GigWorker
from .labels import OCCUPATION_BY_LABEL


@register_importer
class WorkerImporter(RowByRowImporter):
    bulk_models = (GigWorker,)  # statistics refreshed after a large import
    kind = "workers"
    label = "新就业群体"
    permission = "people.change"
    columns = [
        "姓名",
        "身份证号",
        "手机号码",
        "职业",
        "平台/公司",
        "报到社区编码",
        "服务区域",
        "报到日期",
        "是否党员",
        "备注",
    ]
    required = {"姓名", "身份证号", "职业", "报到社区编码"}
    aliases = {
        "身份证号码": "身份证号",
        "联系电话": "手机号码",
        "手机号": "手机号码",
        "从业类型": "职业",
        "平台": "平台/公司",
        "所属平台": "平台/公司",
        "公司": "平台/公司",
        "社区编码": "报到社区编码",
        "政治面貌": "是否党员",
    }
    example_rows = [
        [
            "刘骑手",
            "11010519491231002X",
            "13800138000",
            "外卖骑手",
            "美团",
            "510502001001",
            "幸福路商圈",
            "2026-03-01",
            "否",
            "",
        ]
    ]

    def import_row(self, row):
        values = row.values
        community = place_by_code(
            self.actor,
            cell_text(values.get("报到社区编码")),
            permission=self.permission,
            kinds={"community"},
        )
        fields = {
            "name": cell_text(values.get("姓名"))[:50],
            "id_number": validate_id_number(values.get("身份证号")).number,
            "phone": cell_text(values.get("手机号码")),
            "occupation": choice(values.get("职业"), OCCUPATION_BY_LABEL, "职业"),
            "platform": cell_text(values.get("平台/公司"))[:100],
            "community": community,
            "service_area": cell_text(values.get("服务区域"))[:200],
            "reported_on": date_cell(values.get("报到日期"), "报到日期"),
            "is_party_member": cell_text(values.get("是否党员")) in YES,
            "note": cell_text(values.get("备注")),
        }
        if not fields["name"] or not fields["occupation"]:
            raise ValidationError("姓名和职业不能为空")
        digest = blind_index(fields["id_number"], purpose="id_number")
        if fields["reported_on"] is None:
            fields.pop("reported_on")  # a new worker reports today
        return self.save(
            GigWorker.objects.filter(id_number_index=digest).first(),
            fields,
            create=lambda **f: services.create_worker(actor=self.actor, **f),
            # matched by the ID number, which the update leaves as it is
            update=lambda worker, id_number, **f: services.update_worker(
                actor=self.actor, worker=worker, **f
            ),
        )
