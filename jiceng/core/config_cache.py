"""Per-process copies of rarely changed configuration, kept current by the database.

Every case report looks up its category, the routing rules and the grid and
compound outlines: reading them afresh is a third of a report's work, yet they
change a few times a day. A watched table carries triggers (made by `watch` in a
migration) that write a fresh random token for its topic into core_configversion
whenever a watched row changes — through the ORM, a bulk import, raw SQL or
another process. A `VersionedCache` compares its topics' tokens (all topics are
read in one query, once per request) and rebuilds its copy only when they moved.

The token is random, not a counter: a change that is rolled back can then never
leave a copy that a later, different change would appear to confirm. Reading the
tokens before the data makes a change committed in between cost one more
rebuild, never a stale copy. A topic without a row (a fresh or flushed
database) reads as None, which is a token like any other.
"""

import threading

from django.core.signals import request_finished, request_started
from django.db import connection, migrations

from .triggers import per_vendor

TABLE = "core_configversion"

# Migration-time DDL on our own table (topic names come from our migrations).
_SQLITE_TOUCH = (
    "INSERT INTO core_configversion (topic, token) "
    "VALUES ('{topic}', lower(hex(randomblob(16)))) "
    "ON CONFLICT (topic) DO UPDATE SET token = excluded.token;"
)
_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION core_touch_config() RETURNS trigger AS $$
BEGIN
  INSERT INTO core_configversion (topic, token)
  VALUES (TG_ARGV[0], replace(gen_random_uuid()::text, '-', ''))
  ON CONFLICT (topic) DO UPDATE SET token = EXCLUDED.token;
  RETURN NULL;
END; $$ LANGUAGE plpgsql"""


def _events(columns, when):
    """(name, SQL event, row condition) per event: a condition names NEW or OLD."""
    update = "UPDATE" + (f" OF {', '.join(columns)}" if columns else "")
    if when is None:
        return [("ins", "INSERT", None), ("upd", update, None), ("del", "DELETE", None)]
    return [
        ("ins", "INSERT", when.format(row="NEW")),
        ("upd", update, f"{when.format(row='OLD')} OR {when.format(row='NEW')}"),
        ("del", "DELETE", when.format(row="OLD")),
    ]


def _statements(table, topic, columns, when):
    events = _events(columns, when)
    sqlite_up = [
        f"CREATE TRIGGER {table}_cfg_{name} AFTER {event} ON {table} FOR EACH ROW"
        + (f" WHEN {condition}" if condition else "")
        + f" BEGIN {_SQLITE_TOUCH.format(topic=topic)} END"
        for name, event, condition in events
    ]
    # PostgreSQL: once per statement where every row counts, per row where only
    # some rows do (the condition then spares a bulk import the function call).
    postgres_up = [_POSTGRES_FUNCTION] + [
        f"CREATE TRIGGER {table}_cfg_{name} AFTER {event} ON {table} "
        + (f"FOR EACH ROW WHEN ({condition}) " if condition else "FOR EACH STATEMENT ")
        + f"EXECUTE FUNCTION core_touch_config('{topic}')"
        for name, event, condition in events
    ]
    sqlite_down = [f"DROP TRIGGER IF EXISTS {table}_cfg_{name}" for name, *_ in events]
    postgres_down = [
        f"DROP TRIGGER IF EXISTS {table}_cfg_{name} ON {table}" for name, *_ in events
    ]
    return (
        {"sqlite": sqlite_up, "postgresql": postgres_up},
        {"sqlite": sqlite_down, "postgresql": postgres_down},
    )


def watch(table, topic, *, columns=(), when=None) -> migrations.RunPython:
    """A migration operation: changes to table's rows touch topic's token.

    columns: only an UPDATE of these columns counts (all when empty).
    when: a row condition with {row} for NEW/OLD, e.g. "{row}.kind IN ('grid')".
    """
    return per_vendor(*_statements(table, topic, columns, when))


def unwatch(table, topic, *, columns=(), when=None) -> migrations.RunPython:
    """The reverse of watch(...) with the same arguments: drops its triggers (a
    migration that changes what is watched unwatches the old and watches anew)."""
    up, down = _statements(table, topic, columns, when)
    return per_vendor(down, up)


def tokens(topics) -> tuple:
    """The current token of each topic, in order (None: the topic has no row)."""
    found = all_tokens()
    return tuple(found.get(topic) for topic in topics)


def all_tokens() -> dict:
    """{topic: token} of every topic: a handful of rows, read in one query."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT topic, token FROM {TABLE}")  # noqa: S608 (our table)
        return dict(cursor.fetchall())


# Inside a request the tokens are read once, for every cache (a report looks up
# its category, grid, compound and rule, an Open311 client's key, …); outside one
# (commands, tasks, tests calling services) on every get().
_request = threading.local()


def _request_started(**kwargs):
    _request.active, _request.tokens = True, None


def _request_finished(**kwargs):
    _request.active, _request.tokens = False, None


request_started.connect(_request_started, dispatch_uid="config_cache_started")
request_finished.connect(_request_finished, dispatch_uid="config_cache_finished")


def _current_tokens() -> dict:
    if not getattr(_request, "active", False):
        return all_tokens()
    if _request.tokens is None:
        _request.tokens = all_tokens()
    return _request.tokens


class VersionedCache:
    """build() of the watched topics, rebuilt when one of their tokens moves.

    The value is shared by every request of the process: treat it as read-only.
    """

    def __init__(self, topics, build):
        self.topics = tuple(topics)
        self.build = build
        self._lock = threading.Lock()
        self._tokens = self._value = None
        self._built = False

    def get(self):
        found = _current_tokens()
        current = tuple(found.get(topic) for topic in self.topics)
        if self._built and current == self._tokens:
            return self._value
        with self._lock:
            # Read afresh, just before the data and in the same transaction: the
            # request's tokens may predate a change this request has made since,
            # and a copy of that change labelled with the older token would
            # outlive the change's rollback.
            current = tokens(self.topics)
            if not (self._built and current == self._tokens):
                self._value, self._tokens = self.build(), current
                self._built = True
        return self._value
