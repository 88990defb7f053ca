from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from jiceng.core.bounds import Id


class VenueOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    place_id: int
    place_name: str = Field(alias="place.name")
    owner_unit_id: int | None
    address: str
    capacity: int
    facilities: str
    opens_at: str
    closes_at: str
    needs_approval: bool
    max_hours: int
    active: bool

    @staticmethod
    def resolve_opens_at(obj):
        return obj.opens_at.strftime("%H:%M")

    @staticmethod
    def resolve_closes_at(obj):
        return obj.closes_at.strftime("%H:%M")


class BookingIn(Schema):
    starts_at: datetime = Field(description="开始时间（ISO 8601）")
    ends_at: datetime = Field(description="结束时间（ISO 8601）")
    purpose: str = Field(min_length=1, max_length=200, description="用途")
    attendees: int = Field(10, ge=1, le=100000, description="参加人数")
    meeting_id: Id | None = Field(None, description="关联会议")
    activity_id: Id | None = Field(None, description="关联志愿活动")


class BookingOut(Schema):
    id: int
    venue_id: int
    starts_at: datetime
    ends_at: datetime
    purpose: str
    attendees: int
    status: str
    status_label: str = Field(alias="get_status_display")
    booker: str
    meeting_id: int | None
    activity_id: int | None
    checked_in_at: datetime | None
    version: int

    @staticmethod
    def resolve_booker(obj):
        return str(obj.booker)


class BookingDecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=200)
    version: int | None = Field(None, ge=0, le=2**31 - 1)


class OptionalVersionIn(Schema):
    version: int | None = Field(None, ge=0, le=2**31 - 1)


class CheckInIn(Schema):
    token: str = Field(max_length=32)


class CommitmentOut(Schema):
    id: int
    kind: str
    tag: str
    title: str
    quantity: Decimal
    measure: str
    resource_id: int | None
    project_id: int | None
    registration_id: int | None
    evaluation: str


class AgreementOut(Schema):
    id: int
    title: str
    place_id: int
    place_name: str = Field(alias="place.name")
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    status: str
    status_label: str = Field(alias="get_status_display")
    starts_on: date
    ends_on: date
    signed_on: date | None
    renewed_from_id: int | None
    version: int


class AgreementDetailOut(AgreementOut):
    commitments: list[CommitmentOut]

    @staticmethod
    def resolve_commitments(obj):
        return list(obj.commitments.all())


class TaskOut(Schema):
    id: int
    title: str
    tag: str
    place_id: int
    meeting_id: int | None
    owner_unit_id: int | None
    owner_department_id: int | None
    owner_name: str
    due_on: date
    status: str
    status_label: str = Field(alias="get_status_display")
    progress: int
    overdue: bool
    version: int

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue()


class TaskProgressIn(Schema):
    progress: int = Field(ge=0, le=100)
    note: str = Field(min_length=1, max_length=300)
    version: int | None = Field(None, ge=0, le=2**31 - 1)


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    place_id: int
    starts_at: datetime
    ends_at: datetime
    location: str
    status: str
