from ninja import Schema


class DashboardPlaceOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class DashboardTrendPoint(Schema):
    month: str  # "YYYY-MM"
    value: float | None


class DashboardTileOut(Schema):
    key: str
    title: str
    section: str
    value: float | None
    unit: str
    kind: str
    better: str
    previous: float | None
    trend: list[DashboardTrendPoint]


class DashboardOut(Schema):
    place: DashboardPlaceOut
    month: str
    updated_at: str | None
    tiles: list[DashboardTileOut]
    children: list[DashboardPlaceOut]


class DashboardErrorOut(Schema):
    code: str
    message: str
