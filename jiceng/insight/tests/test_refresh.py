"""The rollup: every registered tile, every dashboard level, idempotent, audited
once per run; and each tile answers for a level in a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiceng.core.models import AuditEntry
from jiceng.core.tiles import TileKind, current_month, registered_tiles
from jiceng.insight.models import Figure
from jiceng.insight.services import LEVELS, refresh_figures
from jiceng.places.models import Place

pytestmark = pytest.mark.django_db


def test_refresh_writes_every_tile_for_every_place_of_every_level():
    # given the demo district and the registered tiles
    places = list(Place.objects.filter(kind__in=LEVELS))
    tiles = registered_tiles()
    # when the current month is refreshed
    written = refresh_figures(months=1)
    # then one figure per tile and place, read back as each tile computes it
    assert written == len(places) * len(tiles)
    month = current_month()
    stored = {(f.place_id, f.key): f.value for f in Figure.objects.filter(month=month)}
    for tile in tiles:
        for kind in LEVELS:
            level = [p for p in places if p.kind == kind]
            computed = tile.figures(level, month)
            for place in level:
                expected = computed.get(place.pk)
                if expected is None and tile.kind != TileKind.RATE:
                    expected = 0
                value = stored[(place.pk, tile.key)]
                assert value == (None if expected is None else float(expected)), (
                    tile.key,
                    place.code,
                )


def test_refresh_is_idempotent_and_audited_once_per_run():
    # given a refreshed rollup
    refresh_figures(months=2)
    before = sorted(Figure.objects.values_list("place_id", "key", "month", "value"))
    audits = AuditEntry.objects.filter(target_type="insight.figure").count()
    # when it is refreshed again
    refresh_figures(months=2)
    # then the same rows, and one more audit row (one per run, not per figure)
    after = sorted(Figure.objects.values_list("place_id", "key", "month", "value"))
    assert after == before
    assert AuditEntry.objects.filter(target_type="insight.figure").count() == audits + 1


def test_history_free_tiles_are_refreshed_for_the_current_month_only():
    # given a backfill of three months
    Figure.objects.all().delete()
    refresh_figures(months=3)
    # then present-state tiles (open cases) have only the current month,
    # monthly tiles (cases received) all three
    months = lambda key: set(  # noqa: E731
        Figure.objects.filter(key=key).values_list("month", flat=True)
    )
    assert months("cases.open") == {current_month()}
    assert len(months("cases.received")) == 3


@pytest.mark.parametrize("tile", registered_tiles(), ids=lambda t: t.key)
def test_every_tile_answers_each_level_in_a_bounded_number_of_queries(tile):
    # given the places of each dashboard level
    for kind in LEVELS:
        places = list(Place.objects.filter(kind=kind))
        # when the tile computes their figures
        with CaptureQueriesContext(connection) as queries:
            figures = tile.figures(places, current_month())
        # then a few queries whatever the number of places, keyed by their ids
        assert len(queries) <= 8, (kind, len(queries))
        assert set(figures) <= {p.pk for p in places}
        assert all(v is None or v >= 0 for v in figures.values())


def test_a_bulk_write_queues_a_refresh_on_commit(django_capture_on_commit_callbacks):
    # given no figures
    from jiceng.core.tiles import figures_changed
    from jiceng.transfer.models import ImportJob

    Figure.objects.all().delete()
    # when an import announces it changed many rows, and its transaction commits
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        figures_changed.send(sender=ImportJob)
    # then the refresh task ran (the test's task backend runs it at once)
    assert len(callbacks) == 1
    assert Figure.objects.filter(month=current_month()).exists()
