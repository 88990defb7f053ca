from typing import Annotated

from ninja import Field, Schema

from jiceng.core.bounds import Id, Latitude, Longitude

from .models import PlaceKind

# The bounds the model sets: its column lengths.
Name = Annotated[str, Field(min_length=1, max_length=100)]
Code = Annotated[str, Field(max_length=32)]
Address = Annotated[str, Field(max_length=200)]


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
    kind: PlaceKind | None = Field(None, description="层级")
    parent: Id | None = Field(None, description="只列出此地点的直接下级")
    within: Id | None = Field(None, description="此地点子树内（含自身）")
    q: str | None = Field(None, description="名称包含或编码前缀")


class PlaceIn(Schema):
    parent_id: Id
    kind: PlaceKind
    name: Name
    code: Code
    address: Address = ""
    lat: Latitude | None = None
    lng: Longitude | None = None
    geometry: dict | None = None
    note: str = ""


class PlacePatch(Schema):
    """Only the fields sent change; text fields take a string, never null."""

    name: Name = None
    code: Code = None
    address: Address = None
    lat: Latitude | None = None
    lng: Longitude | None = None
    geometry: dict | None = None
    note: str = None


class MoveIn(Schema):
    new_parent_id: Id
    new_code: Code | None = None
