from ninja import Field, Schema


class PlaceOut(Schema):
    id: int
    name: str
    kind: str
    code: str
    address: str
    depth: int
    parent_id: int | None = Field(None, description="上级地点ID")
    numchild: int
    lat: float | None
    lng: float | None
    geometry: dict | None

    @staticmethod
    def resolve_parent_id(obj):
        return getattr(obj, "parent_id_cached", None)


class PlaceQuery(Schema):
    kind: str | None = Field(None, description="层级：district/street/community/grid/…")
    parent: int | None = Field(None, description="只列出此地点的直接下级")
    within: int | None = Field(None, description="此地点子树内（含自身）")
    q: str | None = Field(None, description="名称包含或编码前缀")


class PlaceIn(Schema):
    parent_id: int
    kind: str
    name: str
    code: str
    address: str = ""
    lat: float | None = None
    lng: float | None = None
    geometry: dict | None = None
    note: str = ""


class PlacePatch(Schema):
    name: str | None = None
    code: str | None = None
    address: str | None = None
    lat: float | None = None
    lng: float | None = None
    geometry: dict | None = None
    note: str | None = None


class MoveIn(Schema):
    new_parent_id: int
    new_code: str | None = None
