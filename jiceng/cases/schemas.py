from datetime import datetime

from ninja import Field, Schema


class CaseOut(Schema):
    id: int
    number: str
    category_code: str = Field(alias="category.code")
    category_name: str = Field(alias="category.name")
    description: str
    status: str
    status_label: str = Field(alias="get_status_display")
    channel: str
    place_id: int
    address: str
    lat: float | None
    lng: float | None
    department_id: int | None
    grid_id: int | None
    supervised: bool
    on_hold: bool
    handle_due: datetime | None
    created_at: datetime
    closed_at: datetime | None
    rating: int | None
    version: int


class CaseIn(Schema):
    category_code: str
    description: str
    grid_code: str | None = None
    lat: float | None = None
    lng: float | None = None
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    anonymous: bool = False


class StepIn(Schema):
    version: int
    note: str = ""
    department_code: str | None = None
    grid_code: str | None = None
    days: int | None = None


class EventOut(Schema):
    action: str
    action_label: str
    from_status: str
    to_status: str
    actor_name: str
    note: str
    at: datetime


class CaseQuery(Schema):
    status: str | None = None
    overdue: bool | None = None
    mine: bool | None = None
