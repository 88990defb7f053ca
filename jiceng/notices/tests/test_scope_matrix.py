"""Notices in the shared scope matrix: it has no scoped model of its own.

A notification belongs to its user alone (no place, no unit): the list shows one's
own, and someone else's is 404 (test_notifications.py).
"""

SURFACES: list = []
