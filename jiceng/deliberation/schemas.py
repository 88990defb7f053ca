from datetime import date, datetime

from ninja import Field, Schema

from jiceng.core.bounds import Id


class TopicQuery(Schema):
    status: str | None = Field(None, max_length=16, description="状态")
    grade: str | None = Field(None, max_length=8, description="等级")


class TopicOut(Schema):
    id: int
    title: str
    description: str
    community_id: int
    place_id: int
    grade: str
    grade_label: str = Field(alias="get_grade_display")
    status: str
    status_label: str = Field(alias="get_status_display")
    source: str
    raiser_name: str
    decision: str
    publicity_ends: datetime | None
    created_at: datetime
    version: int


class TopicIn(Schema):
    place_id: Id
    title: str = Field(..., min_length=1, max_length=100)
    description: str = Field(..., min_length=1, max_length=2000)


class VoteIn(Schema):
    choice: str = Field(..., min_length=1, max_length=20)


class VoteOut(Schema):
    receipt: str = Field(description="选票回执码：在公布的结果中可凭此核对自己的选票")
    choice: str


class ReceiptOut(Schema):
    receipt: str
    choice: str


class ResultOut(Schema):
    status: str
    unit: str
    rule: str
    secret: bool
    opens_at: datetime
    closes_at: datetime
    electorate: int
    counts: dict
    passed: bool | None
    receipts: list[ReceiptOut]


class DisputeQuery(Schema):
    status: str | None = Field(None, max_length=10)
    kind: str | None = Field(None, max_length=12)
    level: str | None = Field(None, max_length=10)


class DisputeOut(Schema):
    id: int
    number: str
    community_id: int
    place_id: int
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    level: str
    status: str
    mediator_kind: str
    mediator_name: str
    referred_to: str
    resolved_level: str
    reported_on: date
    closed_on: date | None
