"""SQLite writers queue at a file lock beside the database: a second transaction
starts right after the first one ends, and gives up with "database is locked"
after the configured timeout, as SQLite's own lock would."""

import threading
import time

import pytest
from django.db import connection
from django.db.utils import OperationalError

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite backend's own lock"
)


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker):
    """These tests open their own database files, outside the test database."""
    with django_db_blocker.unblock():
        yield


def wrapper(path, timeout=5):
    from jiceng.core.sqlite.base import DatabaseWrapper

    settings = {
        **connection.settings_dict,
        "NAME": str(path),
        "OPTIONS": {**connection.settings_dict["OPTIONS"], "timeout": timeout},
    }
    return DatabaseWrapper(settings, alias=f"lock-test-{id(settings)}")


def write(db, value):
    db.cursor().execute("INSERT INTO t (v) VALUES (%s)", [value])


def test_a_second_writer_starts_when_the_first_commits(tmp_path):
    path = tmp_path / "site.sqlite3"
    first = wrapper(path)
    first.cursor().execute("CREATE TABLE t (v integer)")
    # given the first writer inside a transaction
    first._start_transaction_under_autocommit()
    write(first, 1)
    started = threading.Event()
    order = []

    def other():
        second = wrapper(path)
        second.ensure_connection()
        second._start_transaction_under_autocommit()  # waits for the lock file
        started.set()
        write(second, 2)
        second._commit()
        order.append("second")
        second.close()

    thread = threading.Thread(target=other)
    thread.start()
    # then the second waits while the first holds the lock
    assert not started.wait(0.2)
    order.append("first")
    first._commit()
    # and starts as soon as it is released
    assert started.wait(2)
    thread.join(2)
    assert order == ["first", "second"]
    assert [r[0] for r in first.cursor().execute("SELECT v FROM t ORDER BY v")] == [
        1,
        2,
    ]
    first.close()


def test_a_writer_gives_up_after_the_timeout(tmp_path):
    path = tmp_path / "site.sqlite3"
    holder, waiter = wrapper(path), wrapper(path, timeout=0.1)
    holder.cursor().execute("CREATE TABLE t (v integer)")
    holder._start_transaction_under_autocommit()
    waiter.ensure_connection()
    started = time.monotonic()
    with pytest.raises(OperationalError, match="database is locked"):
        waiter._start_transaction_under_autocommit()
    assert time.monotonic() - started >= 0.1
    holder._rollback()
    # the lock is free again for the one that gave up
    waiter._start_transaction_under_autocommit()
    waiter._rollback()
    holder.close()
    waiter.close()
