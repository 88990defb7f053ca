from datetime import datetime
from decimal import Decimal

from ninja import Schema


class RatingIn(Schema):
    company: int
    period: str
    scores: dict[str, int]
    reason: str = ""


class RatingOut(Schema):
    id: int
    company: int
    period: str
    score: Decimal
    created_at: datetime

    @staticmethod
    def resolve_company(obj):
        return obj.company_id


class RankingEntryOut(Schema):
    rank: int
    company: int
    company_name: str
    ratings: int
    score: Decimal
    normalised: Decimal
    stars: int
    board: str

    @staticmethod
    def resolve_company(obj):
        return obj.company_id

    @staticmethod
    def resolve_company_name(obj):
        return obj.company.name


class RankingOut(Schema):
    id: int
    place: str
    period: str
    published_at: datetime | None
    entries: list[RankingEntryOut]

    @staticmethod
    def resolve_place(obj):
        return obj.place.name

    @staticmethod
    def resolve_entries(obj):
        return list(obj.rows.all())
