"""Foundation: does a scoped list stay fast when the district grows 40-fold?

(a) A grid worker's resident list — the queryset the page uses
    (``Resident.objects.visible_to(user)`` + paginator) and the page itself through
    the Django test client — and a place-subtree query (treebeard path prefix), on
    the demo district at size ``small`` (≈5k residents) and ``district`` (≈200k).
    The grid worker sees about the same number of people at both sizes, so the
    district/small latency ratio shows what the size of the tables costs.
    Goal: ≤ 1.5×.
(b) ``/api/v1/residents/`` with a bearer token against a bare Django JSON view
    that returns the same rows with ``values()`` (same filter, order and limit; no
    auth, no count, no schema), both through the same test client, interleaved.

Both databases are attached to one process (small as ``default``, and
``district``); a router sends every query to the current one, so the two sizes are
measured alternately in the same run. Seeded databases are cached (see
``_common.seeded_database``).
"""

import sys
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as bench

SIZES = ("small", "district")
# The small database is the default alias: two connections to one SQLite file would
# lock each other out inside the services' transactions.
ALIASES = {"small": "default", "district": "district"}
GRID_WORKER = "wangge"
PAGE_SIZE = 25  # jiceng.core.htmx.PAGE_SIZE
API_FIELDS = (
    "id",
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "id_number_mask",
    "phone_mask",
    "place_id",
    "household_id",
    "relation",
    "residence_type",
    "work_unit_id",
)


def bare_residents(request):
    """The floor for the API: the same rows as a plain values() JSON list."""
    from django.db.models import Q
    from django.http import JsonResponse

    from jiceng.core.scope import path_prefix
    from jiceng.people.models import Resident

    condition = Q(pk__in=[])
    for prefix in request.GET.getlist("prefix"):
        condition |= path_prefix(prefix, "place__path")
    limit = int(request.GET.get("limit", "50"))
    rows = list(
        Resident.objects.filter(condition).order_by("-id").values(*API_FIELDS)[:limit]
    )
    return JsonResponse({"items": rows}, json_dumps_params={"ensure_ascii": False})


def _urlconf():
    """The project's URLs plus the bare view, as a throwaway module."""
    from django.urls import include, path

    module = types.ModuleType("bench_foundation_urls")
    module.urlpatterns = [
        path("bench/bare-residents/", bare_residents),
        path("", include("jiceng.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def configure(urls):
    def apply(settings):
        base = settings.DATABASES["default"]
        import dj_database_url

        for size, url in urls.items():
            parsed = dj_database_url.parse(url)
            settings.DATABASES[ALIASES[size]] = {**base, "NAME": parsed["NAME"]}
        settings.DATABASE_ROUTERS = ["_common.SwitchRouter"]
        settings.ROOT_URLCONF = "bench_foundation_urls"

    return apply


def prepare(size):
    """Per size: the grid worker, a logged-in client, an API token, the grid."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from jiceng.core.scope import grants_for
    from jiceng.core.services import create_api_token
    from jiceng.people.models import Resident
    from jiceng.places.models import Place

    bench.SwitchRouter.current = ALIASES[size]
    user = get_user_model().objects.get(username=GRID_WORKER)
    prefixes = sorted(g.place_path for g in grants_for(user) if g.place_path)
    client = Client()
    client.force_login(user)
    _, token = create_api_token(actor=user, user=user, name="benchmark", days=1)
    return {
        "user": user,
        "prefixes": prefixes,
        "client": client,
        "token": token,
        "visible": Resident.objects.visible_to(user).count(),
        "total": Resident.objects.count(),
        "places": Place.objects.count(),
        "grid_places": Place.objects.visible_to(user).count(),
    }


def measure(contexts, n, *, api=True):
    from django.core.paginator import Paginator
    from django.test import Client

    from jiceng.core.scope import forget_grants
    from jiceng.people.models import Resident
    from jiceng.places.models import Place

    def switch(size, fn):
        def call():
            bench.SwitchRouter.current = ALIASES[size]
            return fn()

        return call

    def queryset_page(ctx):
        def run():
            forget_grants(ctx["user"])  # the page loads the grants once per request
            queryset = (
                Resident.objects.visible_to(ctx["user"])
                .select_related("place", "household")
                .order_by("-id")
            )
            page = Paginator(queryset, PAGE_SIZE).get_page(1)
            rows = list(page.object_list)
            assert rows and page.paginator.count == ctx["visible"]

        return run

    def list_view(ctx):
        def run():
            response = ctx["client"].get("/people/residents/")
            assert response.status_code == 200, response.status_code

        return run

    def subtree(ctx):
        def run():
            # The worker's grids and everything below them: path-prefix subtrees.
            forget_grants(ctx["user"])
            rows = list(
                Place.objects.visible_to(ctx["user"])
                .order_by("path")
                .values_list("pk", "kind", "name")
            )
            assert len(rows) == ctx["grid_places"]

        return run

    api_client = Client()

    def api(ctx):
        header = {"HTTP_AUTHORIZATION": f"Bearer {ctx['token']}"}

        def run():
            response = api_client.get("/api/v1/residents/", **header)
            assert response.status_code == 200, response.content[:200]
            ctx["api_rows"] = len(response.json()["items"])

        return run

    def bare(ctx):
        def run():
            response = api_client.get(
                "/bench/bare-residents/",
                {"prefix": ctx["prefixes"], "limit": ctx["api_rows"]},
            )
            assert response.status_code == 200
            assert len(response.json()["items"]) == ctx["api_rows"]

        return run

    results = {}
    for label, make, count in (
        ("resident_queryset", queryset_page, n),
        ("resident_list_view", list_view, max(20, n // 2)),
        ("place_subtree", subtree, n),
    ):
        cases = {size: switch(size, make(ctx)) for size, ctx in contexts.items()}
        with bench.section(f"{label} (n={count} per size, interleaved)"):
            samples = bench.interleaved(cases, count)
            results[label] = {size: bench.summary_ms(s) for size, s in samples.items()}
            for size in contexts:
                print(f"   {size:9} {results[label][size]}")
    for size, ctx in contexts.items():
        if not api:
            break
        switch(size, api(ctx))()  # learn how many rows a page of the API returns
        cases = {
            "api": switch(size, api(ctx)),
            "bare": switch(size, bare(ctx)),
        }
        with bench.section(f"API vs bare view on {size} (n={n} each, interleaved)"):
            samples = bench.interleaved(cases, n)
            results[f"api_{size}"] = {
                "rows_per_response": ctx["api_rows"],
                **{label: bench.summary_ms(s) for label, s in samples.items()},
            }
            for label in cases:
                print(f"   {label:5} {results[f'api_{size}'][label]}")
    return results


def analyze(contexts):
    """Collect planner statistics, as autovacuum (or a DBA) would after a bulk load."""
    from django.db import connections

    for size in contexts:
        with connections[ALIASES[size]].cursor() as cursor:
            cursor.execute("ANALYZE")


def ratios(results, labels):
    figures, rows = {}, []
    for label in labels:
        small, district = results[label]["small"], results[label]["district"]
        p50 = bench.ratio(district["p50_ms"], small["p50_ms"])
        p95 = bench.ratio(district["p95_ms"], small["p95_ms"])
        figures[label] = {
            "small_p50_ms": small["p50_ms"],
            "small_p95_ms": small["p95_ms"],
            "district_p50_ms": district["p50_ms"],
            "district_p95_ms": district["p95_ms"],
            "district_over_small_p50": p50,
            "district_over_small_p95": p95,
            "goal": "district/small p50 <= 1.5",
            "status": bench.goal(p50, 1.5),
        }
        rows.append(
            (
                label,
                small["p50_ms"],
                small["p95_ms"],
                district["p50_ms"],
                district["p95_ms"],
                f"{p50}x / {p95}x",
                figures[label]["status"],
            )
        )
    bench.table(
        rows,
        [
            "case",
            "small p50 ms",
            "small p95",
            "district p50",
            "district p95",
            "ratio p50/p95",
            "goal <=1.5x",
        ],
    )
    return figures


def main():
    engine = bench.engine()
    n = bench.env_int("BENCH_SAMPLES", 400 if bench.full_run() else 150)
    urls, seeding = {}, {}
    for size in SIZES:
        cached, seeding[size] = bench.seeded_database("foundation", size)
        urls[size] = bench.working_copy(cached, f"bench_foundation_run_{size}")
    bench.setup_django(urls["small"], configure=configure(urls))
    _urlconf()
    contexts = {size: prepare(size) for size in SIZES}
    print(f"engine {engine}; grid worker {GRID_WORKER!r}")
    bench.table(
        [
            (a, c["total"], c["visible"], c["places"], c["grid_places"])
            for a, c in contexts.items()
        ],
        [
            "size",
            "residents",
            "visible to grid worker",
            "places",
            "places in the worker's grids",
        ],
    )
    labels = ("resident_queryset", "resident_list_view", "place_subtree")

    print("\n#### phase 1: as seed_demo leaves the database (no ANALYZE yet)")
    fresh = measure(contexts, max(20, n // 5), api=False)
    analyze(contexts)
    print("\n#### phase 2: after ANALYZE (planner statistics present)")
    results = measure(contexts, n)

    print("\n== summary: right after seeding, before statistics ==")
    fresh_figures = ratios(fresh, labels)
    print("\n== summary: after ANALYZE (steady state) ==")
    figures = ratios(results, labels)
    api_rows = []
    for size in SIZES:
        found = results[f"api_{size}"]
        api_rps = 1000 / found["api"]["mean_ms"]
        bare_rps = 1000 / found["bare"]["mean_ms"]
        figures[f"api_{size}"] = {
            "api_req_per_s": round(api_rps, 1),
            "bare_req_per_s": round(bare_rps, 1),
            "bare_over_api": bench.ratio(bare_rps, api_rps),
            "api_p50_ms": found["api"]["p50_ms"],
            "bare_p50_ms": found["bare"]["p50_ms"],
            "rows_per_response": found["rows_per_response"],
        }
        api_rows.append(
            (
                size,
                found["rows_per_response"],
                f"{api_rps:.1f}",
                f"{bare_rps:.1f}",
                f"{bare_rps / api_rps:.2f}x",
            )
        )
    print()
    bench.table(api_rows, ["size", "rows", "API req/s", "bare req/s", "bare/API speed"])
    bench.write_results(
        "foundation",
        {
            "engine": engine,
            "samples": n,
            "seeding_seconds": seeding,
            "sizes": {
                a: {k: c[k] for k in ("total", "visible", "places", "grid_places")}
                for a, c in contexts.items()
            },
            "figures": figures,
            "figures_before_analyze": fresh_figures,
            "raw": {"after_analyze": results, "before_analyze": fresh},
        },
        section=engine,
    )


if __name__ == "__main__":
    main()
