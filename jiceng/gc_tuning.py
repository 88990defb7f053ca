"""Garbage collection in a web process (gunicorn's jiceng.wsgi).

A loaded site holds about 400,000 objects the collector tracks (modules, models,
URL patterns, the apps' classes). Python's full collection walks all of them: a
200–300 ms pause on whichever request happens to allocate at that moment
(docs/performance.md §6, "进程停顿"). Freezing what loading created takes those
objects out of every later collection, so a full collection walks only what the
process made since: about 30 ms on average, at most about 110 ms.

The thresholds stay Python's own by default. Raising them was measured and is worse:
fewer collections let the cyclic garbage of finished requests pile up, so the process
grows by 100–300 MB and each collection, when it comes, takes 0.3–1 s.

settings.JICENG_GC_THRESHOLD (from the environment variable of that name): "off"
leaves the collector as Python starts it; three integers "gen0,gen1,gen2" freeze and
set those thresholds (gc.set_threshold).
"""

import gc

from django.conf import settings


def configured_threshold():
    """The thresholds to run with after freezing, or None for "off"."""
    raw = settings.JICENG_GC_THRESHOLD.strip()
    if raw.lower() == "off":
        return None
    if not raw:
        return gc.get_threshold()
    parts = raw.split(",")
    if len(parts) == 3 and all(part.strip().isdigit() for part in parts):
        threshold = tuple(int(part) for part in parts)
        if min(threshold) >= 1:
            return threshold
    raise ValueError(
        "JICENG_GC_THRESHOLD must be three positive integers (gen0,gen1,gen2) or off"
    )


def freeze_loaded_site():
    """Call once the application and every URLconf are loaded: what exists now lives
    as long as the process, so no collection needs to look at it again."""
    threshold = configured_threshold()
    if threshold is None:
        return None
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every app's views)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*threshold)
    return threshold
