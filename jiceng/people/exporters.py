"""Export residents and units in the import templates' columns (re-importable)."""

from jiceng.core.ledgers import Exporter, choice_labels, register_exporter
from jiceng.core.scope import place_prefixes
from jiceng.places.resolver import address_names

from .filters import ResidentFilter, UnitFilter, WorkerFilter
from .importers import ResidentImporter, UnitImporter, WorkerImporter
from .models import GigWorker, Resident, ResidentTag, Unit


@register_exporter
class ResidentExporter(Exporter):
    kind = "residents"
    label = "居民"
    permission = "people.view"
    reveal_permission = "people.reveal"
    columns = ResidentImporter.columns

    def queryset(self):
        return ResidentFilter(
            self.params, queryset=Resident.objects.visible_to(self.user)
        ).qs

    def rows(self):
        residents = (
            self.queryset()
            .select_related("place", "household", "work_unit")
            .order_by("place__path", "pk")
        )
        residents = self.masked_only(residents, "id_number", "phone")
        open_tags = {}
        for resident_id, name in (
            ResidentTag.objects.visible_to(self.user)
            .filter(ended_on=None)
            .order_by("category__order")
            .values_list("resident_id", "category__name")
        ):
            open_tags.setdefault(resident_id, []).append(name)
        addresses = {
            pk: name
            for pk, _path, _kind, name in address_names(
                place_prefixes(self.user, self.permission)
            )
        }
        relations = choice_labels(Resident, "relation")
        residence_types = choice_labels(Resident, "residence_type")
        for r in residents.iterator(chunk_size=2000):
            yield [
                r.name,
                r.id_number if self.unmasked else r.id_number_mask,
                r.phone if self.unmasked else r.phone_mask,
                r.place.code,
                addresses.get(r.place_id, r.place.name),
                r.household.number if r.household else "",
                relations.get(r.relation, r.relation),
                residence_types.get(r.residence_type, r.residence_type),
                r.ethnicity,
                r.work_unit.name if r.work_unit else r.employer_name,
                "、".join(open_tags.get(r.pk, ())),
                r.note,
            ]


@register_exporter
class UnitExporter(Exporter):
    kind = "units"
    label = "单位"
    permission = "people.view"
    reveal_permission = "people.reveal"
    columns = UnitImporter.columns

    def queryset(self):
        return UnitFilter(self.params, queryset=Unit.objects.visible_to(self.user)).qs

    def rows(self):
        units = self.queryset().select_related("place")
        units = self.masked_only(units, "contact_phone")
        kinds = choice_labels(Unit, "kind")
        incubations = choice_labels(Unit, "incubation")
        for u in units.iterator(chunk_size=2000):
            yield [
                u.name,
                kinds.get(u.kind, u.kind),
                u.credit_code or "",
                u.place.code,
                u.address,
                u.party_org_name,
                u.contact_name,
                u.contact_phone if self.unmasked else u.contact_phone_mask,
                u.staff_count if u.staff_count is not None else "",
                incubations.get(u.incubation, u.incubation),
                u.note,
            ]


@register_exporter
class WorkerExporter(Exporter):
    kind = "workers"
    label = "新就业群体"
    permission = "people.view"
    reveal_permission = "people.reveal"
    columns = WorkerImporter.columns

    def queryset(self):
        return WorkerFilter(
            self.params, queryset=GigWorker.objects.visible_to(self.user)
        ).qs

    def rows(self):
        workers = self.queryset().select_related("community")
        workers = self.masked_only(workers, "id_number", "phone")
        occupations = choice_labels(GigWorker, "occupation")
        for w in workers.iterator(chunk_size=2000):
            yield [
                w.name,
                w.id_number if self.unmasked else w.id_number_mask,
                w.phone if self.unmasked else w.phone_mask,
                occupations.get(w.occupation, w.occupation),
                w.platform,
                w.community.code,
                w.service_area,
                w.reported_on.isoformat(),
                "是" if w.is_party_member else "否",
                w.note,
            ]
