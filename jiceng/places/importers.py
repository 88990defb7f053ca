"""Import a place tree from Excel/CSV: one row per place, parents before children."""

from django.core.exceptions import ValidationError

from jiceng.core.ledgers import (
    CREATED,
    UNCHANGED,
    UPDATED,
    RowByRowImporter,
    register_importer,
)
from jiceng.core.tabular import Row, cell_float, cell_text

from . import services
from .models import Place, PlaceKind
from .resolver import place_by_code

PERMISSION = "places.change"
COLUMNS = ["层级", "名称", "编码", "上级编码", "地址", "经度", "纬度"]
REQUIRED = {"层级", "名称", "编码"}
KIND_BY_LABEL = {label: value for value, label in PlaceKind.choices}
KIND_BY_LABEL.update(
    {"小区": PlaceKind.COMPOUND, "院落": PlaceKind.COMPOUND, "区县": "district"}
)


def _import_row(actor, row: Row) -> str:
    values = row.values
    kind_text = cell_text(values.get("层级"))
    kind = KIND_BY_LABEL.get(
        kind_text, kind_text if kind_text in PlaceKind.values else None
    )
    if kind is None:
        raise ValidationError(
            f"层级“{kind_text}”无效，应为：" + "、".join(map(str, PlaceKind.labels))
        )
    name = cell_text(values.get("名称"))
    if not name:
        raise ValidationError("名称不能为空")
    code = cell_text(values.get("编码"))
    parent_code = cell_text(values.get("上级编码"))
    try:
        lng, lat = cell_float(values.get("经度")), cell_float(values.get("纬度"))
    except ValueError as exc:
        raise ValidationError("经纬度须为数字") from exc
    address = cell_text(values.get("地址"))
    # A code outside the actor's reach is created (and refused as taken), never
    # named: the row reveals nothing of places one may not see.
    existing = Place.objects.visible_to(actor, "change").filter(code=code).first()
    if existing is not None:
        if existing.kind != kind:
            raise ValidationError(
                f"编码{code}已用于{existing.kind_label}“{existing.name}”"
            )
        wanted = {"name": name, "address": address, "lat": lat, "lng": lng}
        changed = {k: v for k, v in wanted.items() if getattr(existing, k) != v}
        if changed:
            services.update_place(actor=actor, place=existing, **changed)
            return UPDATED
        return UNCHANGED
    parent = None
    if parent_code:
        parent = place_by_code(actor, parent_code, permission=PERMISSION)
    services.create_place(
        actor=actor,
        parent=parent,
        kind=kind,
        name=name,
        code=code,
        address=address,
        lat=lat,
        lng=lng,
    )
    return CREATED


@register_importer
class PlaceImporter(RowByRowImporter):
    bulk_models = (Place,)  # statistics refreshed after a large import
    kind = "places"
    label = "地点"
    permission = PERMISSION
    columns = COLUMNS
    required = REQUIRED
    aliases = {
        "类型": "层级",
        "级别": "层级",
        "地点名称": "名称",
        "代码": "编码",
        "上级代码": "上级编码",
    }
    example_rows = [
        ["街道", "新华街道", "510502001", "510502", "", "", ""],
        ["社区", "幸福社区", "510502001001", "510502001", "幸福路1号", "", ""],
        ["网格", "第一网格", "510502001001001", "510502001001", "", "105.44", "28.87"],
    ]
    # Later rows name earlier ones as parents: a dry run must see the file at once.
    chunk_size = None

    def import_row(self, row):
        return _import_row(self.actor, row)
