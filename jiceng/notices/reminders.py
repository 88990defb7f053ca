"""Daily "due tomorrow" reminders: higher apps register a function here in their
AppConfig.ready (notices imports none of them); `manage.py send_digest` runs them
before building the digest, so tomorrow's deadlines are in it.

Each function takes `today` (a date) and returns how many people it told; it sends
through notices.services.notify_once_today, so a second run the same day is quiet.
"""

_REMINDERS = []


def register(fn):
    if fn not in _REMINDERS:
        _REMINDERS.append(fn)
    return fn


def registered():
    return list(_REMINDERS)


def run_all(today):
    return {f"{fn.__module__}.{fn.__name__}": fn(today) for fn in _REMINDERS}
