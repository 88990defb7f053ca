"""Duplicate suggestions: the same problem reported twice near the same place.

A candidate is an open case of the same category reported within WINDOW, within
RADIUS_METRES of the new one (or in the same place when either has no point),
scored by distance and by the overlap of the descriptions' character bigrams
(the usual segmentation for short Chinese text: no dictionary to keep current).
Wording must overlap at all: two different problems at one lamp post are two cases.
"""

import math
import re
from datetime import timedelta

from django.utils import timezone

from jiceng.core.geo import EARTH_RADIUS_METRES, distance_metres

from .models import OPEN_STATUSES, Case

WINDOW = timedelta(days=3)
RADIUS_METRES = 150
MIN_SCORE = 0.45
MIN_TEXT = 0.3
DEGREE_METRES = math.radians(1) * EARTH_RADIUS_METRES  # north–south, for the box
_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)


def bigrams(text):
    text = _NOT_TEXT.sub("", text or "").lower()
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def text_similarity(a, b):
    left, right = bigrams(a), bigrams(b)
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))  # Dice coefficient


def score(case, other):
    """0..1: 40% nearness, 60% wording (same place without points counts as near)."""
    if None not in (case.lat, case.lng, other.lat, other.lng):
        metres = distance_metres(case.lat, case.lng, other.lat, other.lng)
        if metres > RADIUS_METRES:
            return 0.0
        nearness = 1 - metres / RADIUS_METRES
    elif case.place_id == other.place_id:
        nearness = 0.6
    else:
        return 0.0
    wording = text_similarity(case.description, other.description)
    if wording < MIN_TEXT:
        return 0.0
    return round(0.4 * nearness + 0.6 * wording, 3)


def suggestions(case, limit=5):
    """Open cases this one probably duplicates, best first: [(other, score)]."""
    since = (case.created_at or timezone.now()) - WINDOW
    others = Case.objects.filter(
        category_id=case.category_id,
        status__in=OPEN_STATUSES,
        merged_into__isnull=True,
        created_at__gte=since,
    ).exclude(pk=case.pk)
    if case.lat is not None and case.lng is not None:
        span = RADIUS_METRES / DEGREE_METRES * 1.5
        nearby = others.filter(
            lat__range=(case.lat - span, case.lat + span),
            lng__range=(case.lng - span * 1.5, case.lng + span * 1.5),
        )
        others = nearby | others.filter(place_id=case.place_id, lat__isnull=True)
    else:
        others = others.filter(place_id=case.place_id)
    scored = [
        (other, score(case, other)) for other in others.select_related("place")[:200]
    ]
    scored = [pair for pair in scored if pair[1] >= MIN_SCORE]
    scored.sort(key=lambda pair: (-pair[1], pair[0].created_at))
    return scored[:limit]
