from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema

from jiceng.core.bounds import Id

from .models import Relation, ResidenceType


class ResidentOut(Schema):
    id: int
    name: str
    sex: str
    birth_date: date | None
    ethnicity: str
    id_number_masked: str = Field(alias="id_number_mask")
    phone_masked: str = Field(alias="phone_mask")
    place_id: int
    household_id: int | None
    relation: str
    residence_type: str
    moved_in_on: date = Field(description="迁入现住址的日期")
    work_unit_id: int | None


class ResidentQuery(Schema):
    q: str | None = Field(None, description="姓名包含，或身份证号/手机号后4位")
    place: Id | None = Field(None, description="住址在此地点子树内")
    residence_type: str | None = None
    sex: str | None = None


class ResidentIn(Schema):
    """Bounded as the Resident model's columns are."""

    name: str = Field(min_length=1, max_length=50)
    id_number: str = Field(max_length=32)
    phone: str = Field("", max_length=32)
    place_code: str = Field(
        max_length=32, description="住址编码（户/单元/楼栋/小区/网格）"
    )
    relation: Relation | Literal[""] = ""
    residence_type: ResidenceType = ResidenceType.REGISTERED
    ethnicity: str = Field("汉族", max_length=20)
    note: str = ""


class RevealIn(Schema):
    field: str = Field(description="id_number 或 phone")


class RevealOut(Schema):
    field: str
    value: str


class HouseholdOut(Schema):
    id: int
    number: str
    place_id: int
    head_id: int | None
    version: int


class HouseholdQuery(Schema):
    q: str | None = Field(None, description="户号前缀")
    place: Id | None = None


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    credit_code: str | None
    place_id: int
    address: str
    party_org_name: str
    contact_name: str
    contact_phone_masked: str = Field(alias="contact_phone_mask")
    staff_count: int | None
    incubation: str


class UnitQuery(Schema):
    q: str | None = None
    kind: str | None = None
    place: Id | None = None


class WorkerOut(Schema):
    id: int
    name: str
    id_number_masked: str = Field(alias="id_number_mask")
    phone_masked: str = Field(alias="phone_mask")
    occupation: str
    platform: str
    community_id: int
    service_area: str
    reported_on: date
    resident_id: int | None
    is_party_member: bool


class WorkerQuery(Schema):
    q: str | None = None
    occupation: str | None = None
    is_party_member: bool | None = None
    place: Id | None = None


class TagOut(Schema):
    id: int
    resident_id: int
    category: str = Field(alias="category.name")
    reason: str
    tagged_on: date
    next_review_on: date
    ended_on: date | None


class TagQuery(Schema):
    category: Id | None = None
    status: str | None = None
    place: Id | None = None


Version = Annotated[int, Field(ge=0, le=2**31 - 1)]


class SplitIn(Schema):
    resident_ids: list[Id] = Field(..., min_length=1, max_length=50)
    head_id: Id
    number: str = Field(..., min_length=1, max_length=32)
    place_code: str | None = Field(None, max_length=32, description="默认原住址")
    remaining_head_id: Id | None = None
    version: Version


class HouseholdMergeIn(Schema):
    other_id: Id = Field(..., description="并入本户的户")
    head_id: Id | None = None
    version: Version
