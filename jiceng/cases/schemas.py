from datetime import date, datetime

from ninja import Field, Schema

from jiceng.core.bounds import Id, Latitude, Longitude

from .services import MAX_EXTENSION_DAYS


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
    lat: Latitude | None = None
    lng: Longitude | None = None
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    anonymous: bool = False


class StepIn(Schema):
    version: int
    note: str = ""
    department_code: str | None = None
    grid_code: str | None = None
    days: int | None = Field(
        None, ge=1, le=MAX_EXTENSION_DAYS, description="延期工作日"
    )


class EventOut(Schema):
    action: str
    action_label: str
    from_status: str
    to_status: str
    actor_name: str
    note: str
    at: datetime


class CaseQuery(Schema):
    """The list page's filters (filters.CaseFilter)."""

    q: str | None = None
    status: str | None = None
    category: int | None = None
    channel: str | None = None
    department: int | None = None
    since: date | None = None
    until: date | None = None
    mine: bool | None = None
    overdue: bool | None = None
    supervised: bool | None = None


class DuplicateOut(Schema):
    case: CaseOut
    score: float


class MergeIn(Schema):
    into_id: Id
    version: int


class FiguresOut(Schema):
    received: int
    responded: int
    responded_on_time: int
    dispatched: int
    closed: int
    closed_on_time: int
    handle_seconds: int
    reopened: int
    cancelled: int
    rated: int
    satisfied: int
    response_rate: float | None
    completion_rate: float | None
    on_time_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    average_hours: float | None


class RankedOut(Schema):
    name: str
    flag: str = ""
    figures: FiguresOut


class KpiOut(Schema):
    place_id: int | None
    first_month: str
    last_month: str
    totals: FiguresOut
    children: list[RankedOut]
    departments: list[RankedOut] = []
    categories: list[RankedOut] = []
