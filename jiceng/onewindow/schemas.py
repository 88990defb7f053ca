from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from jiceng.core.bounds import Id

from .models import AppointmentStatus, Channel, Collection


class OwMaterialOut(Schema):
    id: int
    name: str
    form: str
    copies: int
    electronic_ok: bool
    required: bool
    requirement: str
    note: str


class OwItemOut(Schema):
    id: int
    code: str
    name: str
    category: str
    category_label: str = Field(alias="get_category_display")
    conditions: str
    legal_basis: str
    accept_level: str
    handle_level: str
    department_id: int | None
    time_limit_days: int
    fee: Decimal
    channels: list[str]
    refused: str | None = None
    active: bool
    materials: list[OwMaterialOut]
    version: int

    @staticmethod
    def resolve_materials(obj):
        return list(obj.materials.all())

    @staticmethod
    def resolve_refused(obj):
        return obj.refused_proof.refusal_text if obj.refused_proof_id else None


class OwItemQuery(Schema):
    q: str | None = Field(None, max_length=50, description="名称或编码包含")
    category: str | None = Field(None, max_length=16, description="类别")
    handle_level: str | None = Field(None, max_length=16, description="办理层级")
    channel: str | None = Field(None, max_length=16, description="渠道")


class OwLineOut(Schema):
    material_id: int
    name: str
    required: bool
    provided: bool
    has_file: bool

    @staticmethod
    def resolve_name(obj):
        return obj.material.name

    @staticmethod
    def resolve_required(obj):
        return obj.material.required

    @staticmethod
    def resolve_has_file(obj):
        return bool(obj.file)


class OwApplicationOut(Schema):
    id: int
    number: str
    item_id: int
    item_name: str
    channel: str
    applicant_name: str
    applicant_phone: str = Field(alias="applicant_phone_mask")
    community_id: int
    status: str
    status_label: str = Field(alias="get_status_display")
    visits: int
    submitted_at: datetime
    accepted_at: datetime | None
    deadline: datetime | None
    handle_level: str
    handling_place_id: int | None
    handling_department_id: int | None
    result: str
    result_note: str
    decided_at: datetime | None
    collection: str
    collected_at: datetime | None
    rating: int | None
    missing: list[str]
    materials: list[OwLineOut]
    version: int

    @staticmethod
    def resolve_item_name(obj):
        return obj.item.name

    @staticmethod
    def resolve_materials(obj):
        return list(obj.materials.all())

    @staticmethod
    def resolve_missing(obj):
        return [
            line.material.name
            for line in obj.materials.all()
            if line.material.required and not line.provided
        ]


class OwApplicationQuery(Schema):
    status: str | None = Field(None, max_length=16, description="状态")
    channel: str | None = Field(None, max_length=16, description="渠道")
    item: Id | None = Field(None, description="事项ID")
    overdue: str | None = Field(None, max_length=1, description="1：只看超期")
    number: str | None = Field(None, max_length=24, description="办件编号前缀")


class OwApplicationIn(Schema):
    item: Id
    channel: Channel = Channel.ONLINE
    applicant_name: str = Field("", max_length=50)
    applicant_phone: str = Field("", max_length=20)
    resident: Id | None = None
    community: Id | None = None
    provided: list[Id] = Field(default_factory=list, max_length=50)
    note: str = Field("", max_length=300)


class OwVersionIn(Schema):
    version: int | None = Field(None, ge=1, le=2**31 - 1)


class OwMaterialsIn(OwVersionIn):
    provided: list[Id] = Field(default_factory=list, max_length=50)


class OwNoticeIn(OwVersionIn):
    note: str = Field("", max_length=300)


class OwDecideIn(OwVersionIn):
    approve: bool
    note: str = Field("", max_length=300)


class OwCollectIn(Schema):
    method: Collection


class OwRateIn(Schema):
    score: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=300)


class OwPointOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    place_id: int
    address: str
    lat: float
    lng: float
    hours: str
    amenities: list[str]
    contact_name: str
    contact_phone: str
    item_ids: list[int]
    distance_m: int | None = None

    @staticmethod
    def resolve_item_ids(obj):
        return [i.pk for i in obj.items.all()]

    @staticmethod
    def resolve_distance_m(obj):
        return getattr(obj, "distance", None)


class OwPointQuery(Schema):
    near: str | None = Field(
        None,
        max_length=60,
        description="按距离排序的位置“纬度,经度”，如 34.36,107.18",
    )
    kind: str | None = Field(None, max_length=16, description="类型")
    amenity: str | None = Field(None, max_length=16, description="服务（如 charging）")


class OwSlotOut(Schema):
    id: int
    point_id: int
    item_id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int
    left: int


class OwSlotQuery(Schema):
    item: Id | None = Field(None, description="事项ID")


class OwBookingIn(Schema):
    item: Id
    slot: datetime = Field(description="时段开始时间（ISO-8601；不带时区按北京时间）")


class OwAppointmentOut(Schema):
    id: int
    slot_id: int
    point_id: int
    item_id: int
    starts_at: datetime
    name: str
    status: AppointmentStatus
    booked_at: datetime

    @staticmethod
    def resolve_point_id(obj):
        return obj.slot.point_id

    @staticmethod
    def resolve_item_id(obj):
        return obj.slot.item_id

    @staticmethod
    def resolve_starts_at(obj):
        return obj.slot.starts_at


class OwErrorOut(Schema):
    code: str
    message: str
