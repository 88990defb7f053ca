"""Demo key-population tags and new-employment workers, so those pages have content.

Deterministic from the seed, generated once after the district (re-running
seed_demo adds nothing); removed with the district by seed_demo --reset.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from jiceng.core.scope import path_prefix
from jiceng.people.models import (
    GigWorker,
    KeyPopulation,
    Occupation,
    Resident,
    ResidentTag,
    TagReview,
)
from jiceng.places.models import Place, PlaceKind

from . import names as N
from .common import pick, purge, stream, weighted
from .identity import SURNAMES, make_id_number, mobile

# category code -> (share of eligible residents, who is eligible, reason)
TAG_RULES = {
    "elderly_80": (0.9, lambda r, age: age >= 80, "年满80周岁"),
    "elderly_alone": (0.08, lambda r, age: age >= 65, "子女在外地，本人独居"),
    "elderly_empty_nest": (0.1, lambda r, age: 60 <= age < 80, "子女不在身边"),
    "disabled": (0.02, lambda r, age: True, "持残疾人证"),
    "subsistence": (0.015, lambda r, age: age >= 18, "民政低保认定"),
    "veteran": (0.02, lambda r, age: r.sex == "M" and 25 <= age <= 75, "退役证"),
    "left_behind_child": (0.02, lambda r, age: age < 16, "父母外出务工"),
    "community_correction": (0.003, lambda r, age: 18 <= age < 60, "司法所通知"),
    "mental_disorder": (0.003, lambda r, age: age >= 18, "卫生院转介"),
}
WORKERS_PER_COMMUNITY = 6
WORKER_REGIONS = weighted(N.OTHER_REGIONS + N.LOCAL_REGIONS)
PLATFORMS = {
    Occupation.RIDER: ["美团", "饿了么"],
    Occupation.COURIER: ["顺丰速运", "中通快递", "京东物流", "邮政EMS"],
    Occupation.RIDE_HAILING: ["滴滴出行", "T3出行"],
    Occupation.TRUCKER: ["货拉拉"],
}


def _age(born, today):
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@transaction.atomic
def seed_registry_extras(district, *, seed, log=print, actor="shegong", others=False):
    """actor: who tags (the district's community worker); others: the database
    holds other districts' gig workers, whose ID numbers must not recur."""
    if ResidentTag.objects.filter(
        path_prefix(district.path, "resident__place__path")
    ).exists():
        return
    users = get_user_model().objects
    actor = (
        users.filter(username=actor).first() or users.filter(is_superuser=True).first()
    )
    if actor is None:
        return
    today = date.today()
    categories = {c.code: c for c in KeyPopulation.objects.all()}
    rng = stream(seed, "tags")
    tags = []
    residents = (
        Resident.objects.filter(path_prefix(district.path, "place__path"))
        .exclude(birth_date=None)
        .order_by("pk")
        .only("pk", "sex", "birth_date")
    )
    for resident in residents.iterator(chunk_size=5000):
        age = _age(resident.birth_date, today)
        for code, (share, eligible, reason) in TAG_RULES.items():
            category = categories.get(code)
            if category and eligible(resident, age) and rng.random() < share:
                tagged_on = today - timedelta(days=rng.randrange(10, 400))
                # Some reviews fall due this week or are overdue: the due list has work.
                next_review = tagged_on + timedelta(days=category.review_days)
                while next_review < today - timedelta(days=20):
                    next_review += timedelta(days=category.review_days)
                tags.append(
                    ResidentTag(
                        resident_id=resident.pk,
                        category=category,
                        reason=reason,
                        tagged_by=actor,
                        tagged_on=tagged_on,
                        reviewer=actor,
                        next_review_on=next_review,
                    )
                )
    ResidentTag.objects.bulk_create(tags, batch_size=2000)
    workers = []
    seen = set()
    for community in Place.objects.filter(
        path_prefix(district.path), kind=PlaceKind.COMMUNITY
    ).order_by("path"):
        for _ in range(WORKERS_PER_COMMUNITY):
            occupation = rng.choice(list(PLATFORMS))
            sex = "M" if rng.random() < 0.9 else "F"
            born = date(
                rng.randrange(1975, 2004), rng.randrange(1, 13), rng.randrange(1, 29)
            )
            while True:
                region = pick(rng, WORKER_REGIONS)
                number = make_id_number(region, born, sex, rng.randrange(1, 500))
                if number not in seen and not (others and _stored_worker(number)):
                    seen.add(number)
                    break
            era = "middle" if born.year < 1990 else "young"
            _chars, doubles = N.GIVEN_NAMES[era][sex]
            workers.append(
                GigWorker(
                    name=pick(rng, SURNAMES) + rng.choice(doubles.split()),
                    id_number=number,
                    phone=mobile(rng),
                    occupation=occupation,
                    platform=rng.choice(PLATFORMS[occupation]),
                    community=community,
                    service_area=f"{community.name}及周边",
                    reported_on=today - timedelta(days=rng.randrange(1, 700)),
                    is_party_member=rng.random() < 0.08,
                )
            )
    GigWorker.objects.bulk_create(workers, batch_size=1000)
    log(f"重点人群标签 {len(tags)} 个，新就业群体 {len(workers)} 人")


def _stored_worker(number):
    index = GigWorker._meta.get_field("id_number_index")
    return GigWorker.objects.filter(id_number_index=index.digest(number)).exists()


def purge_registry(district):
    """The district's key-population tags (with their reviews) and gig workers."""
    here = path_prefix(district.path, "tag__resident__place__path")
    purge(TagReview.objects.filter(here))
    purge(
        ResidentTag.objects.filter(path_prefix(district.path, "resident__place__path"))
    )
    purge(GigWorker.objects.filter(path_prefix(district.path, "community__path")))
