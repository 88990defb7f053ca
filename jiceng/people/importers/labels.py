"""The labels the ledgers write for the registry's choices (户主, 流动人口, 快递小哥…)."""

from ..models import (
    Incubation,
    Occupation,
    Relation,
    ResidenceType,
    UnitKind,
)

RELATION_BY_LABEL = {str(label): value for value, label in Relation.choices}
RELATION_BY_LABEL.update(
    {
        "本人": Relation.HEAD,
        "妻": Relation.SPOUSE,
        "夫": Relation.SPOUSE,
        "子": Relation.CHILD,
        "女": Relation.CHILD,
        "长子": Relation.CHILD,
        "长女": Relation.CHILD,
        "次子": Relation.CHILD,
        "次女": Relation.CHILD,
        "父亲": Relation.PARENT,
        "母亲": Relation.PARENT,
        "孙子": Relation.GRANDCHILD,
        "孙女": Relation.GRANDCHILD,
    }
)
RESIDENCE_BY_LABEL = {str(label): value for value, label in ResidenceType.choices}
RESIDENCE_BY_LABEL.update(
    {
        "户籍人口": ResidenceType.REGISTERED,
        "常住人口": ResidenceType.PERMANENT,
        "流动人口": ResidenceType.FLOATING,
        "租户": ResidenceType.TENANT,
        "人户分离": ResidenceType.PERMANENT,
    }
)
UNIT_KIND_BY_LABEL = {str(label): value for value, label in UnitKind.choices}
INCUBATION_BY_LABEL = {str(label): value for value, label in Incubation.choices}
OCCUPATION_BY_LABEL = {str(label): value for value, label in Occupation.choices}
OCCUPATION_BY_LABEL.update(
    {
        "快递小哥": Occupation.COURIER,
        "外卖员": Occupation.RIDER,
        "骑手": Occupation.RIDER,
        "网约车": Occupation.RIDE_HAILING,
        "货车司机": Occupation.TRUCKER,
        "主播": Occupation.STREAMER,
    }
)
