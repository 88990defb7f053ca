"""Garbage collection in a web process (gunicorn's jiceng.wsgi).

A loaded site holds about 400,000 objects the collector tracks (modules, models,
URL patterns, the apps' classes). Python's full collection walks all of them, a
130–190 ms pause that lands on whichever request happens to allocate at that moment
(docs/performance.md §6, "进程停顿"). Freezing what loading created takes those
objects out of every later collection; then the thresholds are raised, because a
frozen process has a small long-lived generation and would otherwise run a full
collection far more often, each one short but more of them in all (measured under
load: freezing alone made the p95 worse).

JICENG_GC_THRESHOLD: three integers, "gen0,gen1,gen2" (Python's gc.set_threshold),
or "off" to leave the collector as Python starts it.
"""

import gc
import os

DEFAULT_THRESHOLD = (50_000, 20, 10)


def threshold_from_env():
    """The configured thresholds, or None for "off"."""
    raw = os.environ.get("JICENG_GC_THRESHOLD", "").strip()
    if raw.lower() == "off":
        return None
    if not raw:
        return DEFAULT_THRESHOLD
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
    threshold = threshold_from_env()
    if threshold is None:
        return None
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every app's views)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*threshold)
    return threshold
