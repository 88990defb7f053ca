from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from jiceng.core.bounds import Id, Latitude, Longitude

from .models import WishCategory
from .models.wishes import MAX_CLAIM_DAYS, MAX_SHARES


class RegistrationOut(Schema):
    id: int
    kind: str
    name: str
    community_id: int
    unit_id: int | None
    status: str
    status_label: str = Field(alias="get_status_display")
    commitments: str
    claimed_items: str
    registered_at: datetime
    version: int

    @staticmethod
    def resolve_kind(obj):
        return "unit" if hasattr(obj, "party_org_name") else "member"

    @staticmethod
    def resolve_name(obj):
        return obj.unit.name if hasattr(obj, "party_org_name") else obj.volunteer.name


class StatusQuery(Schema):
    status: str | None = Field(None, description="状态（不认识的值不筛选）")


class VolunteerQuery(Schema):
    q: str | None = Field(None, description="姓名包含")


class MallQuery(Schema):
    community_id: int | None = Field(None, description="只看该社区的商品")


class DecisionIn(Schema):
    approve: bool
    note: str = ""
    version: int | None = None


class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    community_id: int
    venue: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    skills: str
    target_group: str
    status: str
    need_id: int | None
    points_per_hour: int
    version: int


class SignupOut(Schema):
    id: int
    activity_id: int
    status: str
    checked_in_at: datetime | None
    checked_out_at: datetime | None


class CheckIn(Schema):
    token: str
    lat: Latitude | None = None
    lng: Longitude | None = None


class HoursOut(Schema):
    id: int
    volunteer_id: int
    title: str
    source: str
    started_at: datetime
    ended_at: datetime
    hours: Decimal
    status: str
    version: int


class VolunteerOut(Schema):
    id: int
    name: str
    community_id: int
    unit_id: int | None
    hours_total: Decimal
    stars: int
    star_label: str
    points_balance: int
    points_earned: int


class EntryOut(Schema):
    seq: int
    kind: str
    points: int
    balance_after: int
    reason: str
    created_at: datetime


class ItemOut(Schema):
    id: int
    name: str
    kind: str
    community_id: int
    points: int
    stock: int
    active: bool


class RedeemIn(Schema):
    quantity: int = 1


class RedemptionOut(Schema):
    id: int
    item_id: int
    quantity: int
    points: int
    status: str
    created_at: datetime


class WishOut(Schema):
    id: int
    title: str
    category: str
    place_id: int
    alias: str
    consent: bool
    status: str
    status_label: str = Field(alias="get_status_display")
    shares: int
    collected_at: datetime
    version: int


class PublicWishOut(Schema):
    id: int
    title: str
    story: str
    category: str
    alias: str
    status: str
    status_label: str = Field(alias="get_status_display")
    shares: int


class WishIn(Schema):
    """Bounded as the Wish model's columns are."""

    place_id: Id
    title: str = Field(max_length=100)
    category: WishCategory = WishCategory.OTHER
    alias: str = Field(max_length=30)
    consent: bool = False
    story: str = ""
    shares: int = Field(1, ge=1, le=MAX_SHARES)
    claim_days: int = Field(14, ge=1, le=MAX_CLAIM_DAYS)


class ClaimIn(Schema):
    as_unit: bool = False


class ClaimOut(Schema):
    id: int
    wish_id: int
    claimant_name: str
    status: str
    due_at: datetime


class NeedOut(Schema):
    id: int
    title: str
    community_id: int
    skills: str
    time_slots: str
    people: int
    status: str
    year: int


class ResourceOut(Schema):
    id: int
    title: str
    kind: str
    community_id: int
    unit_id: int | None
    volunteer_id: int | None
    skills: str
    capacity: int


class MatchOut(Schema):
    id: int
    need_id: int
    resource_id: int
    score: float
    distance: int | None
    status: str


class ProjectOut(Schema):
    id: int
    title: str
    community_id: int
    year: int
    practical: bool
    status: str
    progress: int
    claim_unit_id: int | None
    claim_volunteer_id: int | None
    score: int | None
    version: int


class ProjectClaimIn(Schema):
    as_unit: bool = False
    version: int | None = None


class ProgressIn(Schema):
    progress: int
    note: str
    version: int | None = None


class VersionIn(Schema):
    version: int = Field(..., ge=0, le=2**31 - 1, description="读取时的版本号")
