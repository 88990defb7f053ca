from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from jiceng.core.bounds import Id


class CommunityWorkerOut(Schema):
    id: int
    name: str
    kind: str
    community_id: int
    post: str
    post_label: str = Field(alias="get_post_display")
    grade: int
    grade_since: str
    hired_on: str
    status: str
    phone_mask: str

    @staticmethod
    def resolve_grade_since(obj):
        return obj.grade_since.isoformat()

    @staticmethod
    def resolve_hired_on(obj):
        return obj.hired_on.isoformat()


class CommunityWorkerQuery(Schema):
    post: str | None = Field(None, max_length=8, description="岗位 head/deputy/staff")
    community: int | None = Field(None, ge=1, le=2**31 - 1, description="社区")


class LineString(Schema):
    type: Literal["LineString"]
    coordinates: list[list[float]] = Field(..., max_length=20000)


class FindingIn(Schema):
    description: str = Field(..., min_length=2, max_length=300)
    category_id: Id | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    at: datetime | None = None


class PatrolIn(Schema):
    grid_id: Id
    started_at: datetime
    ended_at: datetime
    track: LineString
    findings: list[FindingIn] = Field(default_factory=list, max_length=100)


class FindingOut(Schema):
    id: int
    description: str
    category_id: int | None
    lat: float | None
    lng: float | None
    at: datetime
    case_id: int | None


class PatrolOut(Schema):
    id: int
    user_id: int
    grid_id: int
    started_at: datetime
    ended_at: datetime | None
    points: int
    metres: int


class PatrolDetail(PatrolOut):
    track: dict
    findings: list[FindingOut]

    @staticmethod
    def resolve_track(obj):
        from .services.track import decode

        return {"type": "LineString", "coordinates": decode(obj.track)}

    @staticmethod
    def resolve_findings(obj):
        return list(obj.findings.all())


class VisitIn(Schema):
    household: Id
    kind: Literal["信息员", "宣传员", "调解员", "服务员"]
    notes: str = Field("", max_length=2000)
    seen: list[Id] = Field(default_factory=list, max_length=30)
    confirmed: bool = False


class VisitOut(Schema):
    id: int
    user_id: int
    household_id: int
    grid_id: int
    kind: str
    at: datetime
    confirmed: bool
    corrections: int
    notes: str
