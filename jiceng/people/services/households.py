"""Households (户): register one at a dwelling, change it, name its head, split one
(分户) or merge two (合户). Every resident stays in exactly one household: a split
moves the chosen members into the new household, a merge moves all of the other's."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope, require_place_in_scope
from jiceng.places.resolver import check_kind

from ..errors import PeopleError
from ..models import Household, Relation, Resident
from .common import refuse_taken, snapshot
from .residents import update_resident

HOUSEHOLD_FIELDS = ("number", "place", "head", "note")
HOUSEHOLD_PLACE_KINDS = {"dwelling", "entrance", "building", "compound"}


def _check_number(number, exclude_pk=None):
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": "请填写户号"})
    refuse_taken(
        Household.objects.filter(number=number),
        exclude_pk=exclude_pk,
        field="number",
        message="该户号已登记",
        code=PeopleError.HOUSEHOLD_NUMBER_TAKEN,
    )
    return number


def _check_place(actor, place):
    require_place_in_scope(place, actor, "people.change")
    try:
        check_kind(place.code, place.kind, HOUSEHOLD_PLACE_KINDS)
    except ValidationError as exc:
        raise ValidationError({"place": exc}) from exc


def _seat_head(actor, household, head):
    """The head belongs to the household as its 户主 (an audited resident edit,
    so a head who leaves another household keeps that stay in the history)."""
    if head.household_id != household.pk or head.relation != Relation.HEAD:
        update_resident(
            actor=actor, resident=head, household=household, relation=Relation.HEAD
        )


@transaction.atomic
def create_household(*, actor, number, place, head=None, note="") -> Household:
    require_place_in_scope(place, actor, "people.change")
    if head is not None:
        require_in_scope(head, actor, "change")
    household = Household.objects.create(
        number=_check_number(number), place=place, head=head, note=note
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=household,
        changes=audit.diff({}, snapshot(household, HOUSEHOLD_FIELDS)),
    )
    if head is not None:
        _seat_head(actor, household, head)
    require_in_scope(household, actor, "change")
    return household


@transaction.atomic
def update_household(*, actor, household, version=None, **fields) -> Household:
    household = Household.objects.select_for_update().get(pk=household.pk)
    require_in_scope(household, actor, "change")
    check_version(household, version)
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "place" in fields:
        require_place_in_scope(fields["place"], actor, "people.change")
    before = snapshot(household, HOUSEHOLD_FIELDS)
    for name, value in fields.items():
        setattr(household, name, value)
    household.version += 1
    household.save()
    changes = audit.diff(before, snapshot(household, HOUSEHOLD_FIELDS))
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=household, changes=changes
        )
    if household.head is not None:
        _seat_head(actor, household, household.head)
    require_in_scope(household, actor, "change")
    return household


def _relation_in(resident, head):
    """A member's relation once the household has head: the head is 户主; a former
    户主 of another household becomes 其他 (the registrar corrects it if need be)."""
    if resident.pk == head.pk:
        return Relation.HEAD
    return Relation.OTHER if resident.relation == Relation.HEAD else resident.relation


def _locked(household, actor, version):
    household = Household.objects.select_for_update().get(pk=household.pk)
    require_in_scope(household, actor, "change")
    check_version(household, version)
    return household


@transaction.atomic
def split_household(
    *,
    actor,
    household,
    residents,
    number,
    head,
    place=None,
    remaining_head=None,
    version=None,
    note="",
) -> Household:
    """分户: move some members into a new household at the same or another dwelling.

    The new household's head is one of those who move; when the old head moves
    out, remaining_head (one who stays) becomes the old household's head.
    """
    household = _locked(household, actor, version)
    members = {
        r.pk: r
        for r in Resident.objects.select_for_update().filter(household=household)
    }
    moving = {r.pk for r in residents}
    if not moving or not moving <= set(members):
        raise ValidationError(
            {
                "residents": ValidationError(
                    "请选择本户的成员", code=PeopleError.HOUSEHOLD_MEMBERS
                )
            }
        )
    staying = set(members) - moving
    if not staying:
        raise ValidationError(
            {
                "residents": ValidationError(
                    "须至少留一人在原户；全户迁走请修改住址",
                    code=PeopleError.HOUSEHOLD_MEMBERS,
                )
            }
        )
    if head is None or head.pk not in moving:
        raise ValidationError(
            {
                "head": ValidationError(
                    "新户户主须为迁出的成员之一", code=PeopleError.HOUSEHOLD_HEAD
                )
            }
        )
    old_head_leaves = household.head_id is None or household.head_id in moving
    if old_head_leaves and (remaining_head is None or remaining_head.pk not in staying):
        raise ValidationError(
            {
                "remaining_head": ValidationError(
                    "原户主迁出，请从留在原户的成员中指定户主",
                    code=PeopleError.HOUSEHOLD_HEAD,
                )
            }
        )
    place = place or household.place
    _check_place(actor, place)
    new = Household.objects.create(
        number=_check_number(number), place=place, note=note.strip()
    )
    for pk in sorted(moving):
        resident = members[pk]
        update_resident(
            actor=actor,
            resident=resident,
            household=new,
            place=place,
            relation=_relation_in(resident, head),
        )
    new.head_id = head.pk
    new.save(update_fields=["head"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=new,
        changes={
            "split_from": household.number,
            "members": len(moving),
            "head": str(members[head.pk]),
            "place": str(place),
        },
    )
    if old_head_leaves:
        update_resident(actor=actor, resident=remaining_head, relation=Relation.HEAD)
        household.head_id = remaining_head.pk
    household.version += 1
    household.save(update_fields=["head", "version"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=household,
        changes={
            "split_to": new.number,
            "moved": [members[pk].name for pk in sorted(moving)],
            "head": str(household.head or ""),
        },
    )
    require_in_scope(new, actor, "change")
    return new


@transaction.atomic
def merge_households(
    *, actor, household, other, head=None, version=None, other_version=None
) -> Household:
    """合户: every member of other joins household (at its dwelling); other ends.

    head (a member of either) becomes the merged household's head; by default the
    household's own head stays.
    """
    if other.pk == household.pk:
        raise ValidationError(
            {
                "other": ValidationError(
                    "不能与本户合并", code=PeopleError.HOUSEHOLD_SAME
                )
            }
        )
    # lock in pk order so two merges of the same pair cannot deadlock
    first, second = sorted(
        [(household, version), (other, other_version)], key=lambda h: h[0].pk
    )
    locked = {
        h.pk: h
        for h in (
            _locked(first[0], actor, first[1]),
            _locked(second[0], actor, second[1]),
        )
    }
    household, other = locked[household.pk], locked[other.pk]
    joining = list(Resident.objects.select_for_update().filter(household=other))
    staying = list(Resident.objects.select_for_update().filter(household=household))
    everyone = {r.pk: r for r in [*staying, *joining]}
    head = everyone.get(head.pk) if head is not None else None
    if head is None:
        head = everyone.get(household.head_id) or everyone.get(other.head_id)
    if head is None:
        raise ValidationError(
            {
                "head": ValidationError(
                    "请指定合户后的户主", code=PeopleError.HOUSEHOLD_HEAD
                )
            }
        )
    for resident in joining:
        update_resident(
            actor=actor,
            resident=resident,
            household=household,
            place=household.place,
            relation=_relation_in(resident, head),
        )
    for resident in staying:
        relation = _relation_in(resident, head)
        if relation != resident.relation:
            update_resident(actor=actor, resident=resident, relation=relation)
    carried = _carry_over_records(other, household)
    before_head = str(household.head or "")
    household.head_id = head.pk
    household.version += 1
    household.save(update_fields=["head", "version"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=household,
        changes={
            "merged": other.number,
            "joined": [r.name for r in joining],
            "head": [before_head, str(head)],
            **({"carried": carried} if carried else {}),
        },
    )
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        target=other,
        changes={"merged_into": household.number, "members": len(joining)},
    )
    other.delete()
    require_in_scope(household, actor, "change")
    return household


def _carry_over_records(other, household):
    """Records other apps keep about the merged household (visits, ratings …) move to
    the household it joins, so a merge loses none and is never blocked by them.
    Residents are moved above; rows deleted with the household (CASCADE) go with it.
    Where a record may exist once per household (a quarter's rating), the joined
    household's own record stands and the merged one's twin is removed; both counts
    go into the merge's audit row."""
    carried = {}
    for relation in Household._meta.get_fields(include_hidden=True):
        if (
            not (relation.one_to_many or relation.one_to_one)
            or not relation.auto_created
        ):
            continue
        if relation.related_model is Resident or relation.on_delete is models.CASCADE:
            continue
        field = relation.field.name
        rows = relation.related_model._base_manager.filter(**{field: other})
        label = relation.related_model._meta.label_lower
        try:
            with transaction.atomic():
                moved = rows.update(**{field: household})
            dropped = 0
        except IntegrityError:
            moved = dropped = 0
            for row in rows:
                try:
                    with transaction.atomic():
                        rows.filter(pk=row.pk).update(**{field: household})
                    moved += 1
                except IntegrityError:
                    rows.filter(pk=row.pk).delete()
                    dropped += 1
        if moved or dropped:
            carried[label] = {
                "moved": moved,
                **({"dropped": dropped} if dropped else {}),
            }
    return carried
