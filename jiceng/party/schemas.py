from datetime import date
from typing import Annotated

from ninja import Field, Schema

from jiceng.core.bounds import Id

from .models import MemberStatus


class PartyOrgOut(Schema):
    id: int
    name: str
    kind: str
    depth: int
    place_id: int
    place_name: str = Field(alias="place.name")
    is_joint_committee: bool
    secretary_id: int | None
    founded_on: date | None


class PartyOrgQuery(Schema):
    kind: str | None = None
    q: str | None = Field(None, description="名称包含")
    place: Id | None = Field(None, description="驻地在此地点子树内")


class MemberOut(Schema):
    id: int
    resident_id: int
    name: str = Field(alias="resident.name")
    org_id: int | None
    unit_id: int | None
    place_id: int
    status: str
    joined_on: date | None
    is_probationary: bool


class MemberQuery(Schema):
    q: str | None = Field(None, description="姓名包含")
    status: str | None = None
    org: Id | None = Field(None, description="此党组织及其下级")
    unit: Id | None = None
    place: Id | None = None


class MemberIn(Schema):
    resident_id: Id
    status: MemberStatus
    org_id: Id | None = None
    unit_id: Id | None = None
    joined_on: date | None = None
    is_probationary: bool = False
    note: str = ""


Version = Annotated[int, Field(ge=0, le=2**31 - 1)]


class OrgMoveIn(Schema):
    new_parent_id: Id
    version: Version


class OrgDissolveIn(Schema):
    members_to_id: Id | None = Field(None, description="党员转入的党组织")
    on: date | None = None
    version: Version


class TransferIn(Schema):
    org_id: Id | None = Field(None, description="区内转入的党组织；不填表示转出本区")
    destination: str = Field("", max_length=200, description="转出本区时转往的组织")
    reason: str = Field(..., min_length=1, max_length=200)
    on: date | None = None
    status: MemberStatus | None = None
    version: Version


class TransferOut(Schema):
    id: int
    member_id: int
    kind: str
    from_name: str
    to_name: str
    transferred_on: date
    reason: str


# ---- organisational life, transfers, coverage --------------------------------


class AttendanceOut(Schema):
    member_id: int
    name: str = Field(alias="member.resident.name")
    present: bool
    absence_reason: str
    made_up_on: date | None


class PartyMeetingOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(alias="org.name")
    kind: str
    form: str
    topic: str
    held_on: date
    venue: str
    minutes: str
    attendance: list[AttendanceOut] = Field(alias="attendance_list")


class AbsentIn(Schema):
    member_id: Id
    reason: str


class MeetingIn(Schema):
    org_id: Id
    kind: str
    form: str = "ordinary"
    topic: str = Field(max_length=200)
    held_on: date
    venue: str = Field("", max_length=200)
    minutes: str = Field("", max_length=20000)
    present: list[Id] = []
    absent: list[AbsentIn] = []


class MeetingQuery(Schema):
    org: Id | None = None
    kind: str | None = None
    held_from: date | None = None
    held_to: date | None = None


class PendingTransferOut(Schema):
    id: int
    member_id: int
    kind: str
    status: str
    from_org_id: int | None
    to_org_id: int | None
    from_name: str
    to_name: str
    transferred_on: date
    reason: str
    decision_note: str


class TransferSendIn(Schema):
    member_id: Id
    org_id: Id
    reason: str = Field(max_length=200)
    version: int | None = None


class TransferDecisionIn(Schema):
    note: str = Field("", max_length=200)


class TransferQuery(Schema):
    status: str | None = None


class RateOut(Schema):
    key: str
    label: str
    units: int
    org_covered: int
    work_covered: int
    org_rate: float | None
    work_rate: float | None


class UncoveredOut(Schema):
    id: int
    name: str
    kind: str
    place_id: int
    place_name: str = Field(alias="place.name")
    assignee: str
    work_covered: bool


class CoverageOut(Schema):
    place: str | None
    overall: RateOut
    by_street: list[RateOut]
    by_industry: list[RateOut]
    by_commercial: list[RateOut]
    uncovered: list[UncoveredOut]
