"""SQLite writers take turns on the writer lock file, and never wait for themselves."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from journal import create_app, writer_lock
from journal.extensions import db
from journal.writer_lock import WriterLockConnection, lock_path


@pytest.fixture
def database(tmp_path: Path) -> str:
    path = str(tmp_path / "journal.sqlite3")
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE days (n INTEGER)")
    setup.close()
    return path


@pytest.fixture
def connect(database: str) -> Iterator[Callable[..., WriterLockConnection]]:
    """Opens lock-aware connections that fail at once on SQLite's own lock (busy timeout 0),
    so a test sees whether the writer lock made a writer wait."""
    opened: list[WriterLockConnection] = []

    def open_one(*, autocommit: bool = False) -> WriterLockConnection:
        connection = sqlite3.connect(
            database, timeout=0, check_same_thread=False, factory=WriterLockConnection
        )
        if autocommit:
            connection.isolation_level = None  # each statement its own transaction
        opened.append(connection)
        return connection

    yield open_one
    for connection in opened:
        connection.close()


def is_locked(database: str) -> bool:
    """Whether some connection holds the writer lock, asked as another process would."""
    fd = os.open(database + writer_lock.LOCK_SUFFIX, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also lets go of the lock this check may have taken
    return False


@pytest.mark.parametrize(
    ("database", "expected"),
    [
        ("instance/journal.sqlite3", "instance/journal.sqlite3-writer.lock"),
        (Path("/srv/data/j.db"), "/srv/data/j.db-writer.lock"),
        (":memory:", None),
        ("", None),  # SQLite's private temporary database
        ("file:journal?mode=memory&cache=shared", None),
        (3, None),
    ],
)
def test_lock_path(database: object, expected: str | None) -> None:
    assert lock_path(database) == expected


@pytest.mark.parametrize(
    ("statement", "takes_lock"),
    [
        ("INSERT INTO days (n) VALUES (1)", True),
        ("  update days SET n = 2", True),
        ("\n\tDELETE FROM days", True),
        ("REPLACE INTO days (n) VALUES (3)", True),
        ("SELECT n FROM days", False),
        ("PRAGMA user_version", False),
        ("WITH last AS (SELECT max(n) AS n FROM days) SELECT n FROM last", False),
    ],
)
def test_a_transaction_holds_the_lock_from_its_first_write_to_its_commit(
    connect: Callable[..., WriterLockConnection], database: str, statement: str, takes_lock: bool
) -> None:
    connection = connect()
    connection.execute(statement)
    assert is_locked(database) is takes_lock
    connection.commit()
    assert not is_locked(database)


def _with_block(connection: WriterLockConnection, fail: bool) -> None:
    with contextlib.suppress(ValueError), connection:
        if fail:
            raise ValueError  # the with block rolls back


@pytest.mark.parametrize(
    "end",
    [
        lambda c: c.commit(),
        lambda c: c.rollback(),
        lambda c: c.close(),
        lambda c: _with_block(c, fail=False),
        lambda c: _with_block(c, fail=True),
        lambda c: c.execute("COMMIT"),
        lambda c: c.executescript("SELECT 1;"),
        lambda c: c.cursor().executescript("SELECT 1;"),
        lambda c: setattr(c, "isolation_level", None),
        lambda c: (
            c.cursor().executemany("INSERT INTO days (n) VALUES (?)", [(1,), (2,)]) and c.commit()
        ),
    ],
    ids=[
        "commit",
        "rollback",
        "close",
        "with block",
        "with block that raises",
        "COMMIT as SQL",
        "executescript",
        "cursor executescript",
        "isolation level None",
        "executemany then commit",
    ],
)
def test_every_end_of_a_transaction_lets_go(
    connect: Callable[..., WriterLockConnection],
    database: str,
    end: Callable[[WriterLockConnection], object],
) -> None:
    connection = connect()
    connection.execute("INSERT INTO days (n) VALUES (1)")
    assert is_locked(database)
    end(connection)
    assert not is_locked(database)


def test_begin_immediate_takes_the_lock(
    connect: Callable[..., WriterLockConnection], database: str
) -> None:
    connection = connect()
    connection.execute("BEGIN IMMEDIATE")
    assert is_locked(database)
    connection.rollback()
    assert not is_locked(database)


def test_a_write_outside_a_transaction_lets_go_at_once(
    connect: Callable[..., WriterLockConnection], database: str
) -> None:
    connection = connect(autocommit=True)
    connection.execute("INSERT INTO days (n) VALUES (1)")
    assert not is_locked(database)


def test_a_second_writer_waits_for_the_first_instead_of_failing(
    connect: Callable[..., WriterLockConnection], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_lock, "WAIT_LIMIT_S", 5.0)  # room for a slow test machine
    first, second = connect(), connect()
    first.execute("INSERT INTO days (n) VALUES (1)")
    done = threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        try:
            second.execute("INSERT INTO days (n) VALUES (2)")  # busy timeout 0: no SQLite wait
            second.commit()
        except BaseException as error:
            failures.append(error)
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    assert not done.wait(0.2)  # queued on the lock file while the first writes
    first.commit()
    thread.join(timeout=5)
    assert done.is_set() and not failures
    assert [n for (n,) in first.execute("SELECT n FROM days ORDER BY n")] == [1, 2]


def test_a_thread_never_waits_for_its_own_other_connection(
    connect: Callable[..., WriterLockConnection], database: str
) -> None:
    # Waiting would never end: the same thread would have to commit the first one. SQLite
    # answers instead, as it would without the lock (here at once: busy timeout 0).
    first, second = connect(), connect()
    first.execute("INSERT INTO days (n) VALUES (1)")
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        second.execute("INSERT INTO days (n) VALUES (2)")
    assert time.monotonic() - started < writer_lock.WAIT_LIMIT_S
    second.rollback()
    first.commit()
    assert not is_locked(database)


def test_a_lock_held_too_long_is_left_to_sqlite(
    connect: Callable[..., WriterLockConnection],
    database: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(writer_lock, "WAIT_LIMIT_S", 0.05)
    stuck = os.open(database + writer_lock.LOCK_SUFFIX, os.O_RDWR | os.O_CREAT)
    fcntl.flock(stuck, fcntl.LOCK_EX)  # a process that never lets go (SQLite is free)
    connection = connect()

    def write() -> None:
        connection.execute("INSERT INTO days (n) VALUES (1)")
        connection.commit()

    writer = threading.Thread(target=write)
    started = time.monotonic()
    try:
        writer.start()
        writer.join(timeout=5)
    finally:
        os.close(stuck)
    assert not writer.is_alive()  # it gave up waiting, rather than waiting for ever
    assert time.monotonic() - started >= 0.05  # but it did wait for the lock first
    assert connection.execute("SELECT count(*) FROM days").fetchone() == (1,)


def test_executemany_takes_the_lock_too(
    connect: Callable[..., WriterLockConnection], database: str
) -> None:
    connection = connect()
    connection.executemany("INSERT INTO days (n) VALUES (?)", [(1,), (2,)])
    assert is_locked(database)
    connection.commit()
    assert not is_locked(database)


def test_a_closed_connection_never_locks_again(
    connect: Callable[..., WriterLockConnection], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its lock file's descriptor is closed, and the number may already name another file.
    connection = connect()
    cursor = connection.cursor()  # made before the close, so it still reaches the lock
    connection.close()
    calls: list[int] = []
    monkeypatch.setattr(fcntl, "flock", lambda fd, _operation: calls.append(fd))
    with pytest.raises(sqlite3.ProgrammingError):
        cursor.execute("INSERT INTO days (n) VALUES (1)")
    assert calls == []


def test_a_connection_that_is_never_closed_lets_go_when_it_is_collected(database: str) -> None:
    connection = sqlite3.connect(database, factory=WriterLockConnection)
    connection.execute("INSERT INTO days (n) VALUES (1)")
    assert is_locked(database)
    del connection
    gc.collect()
    assert not is_locked(database)
    # And the thread is not taken to hold it still: its next write takes the lock again.
    again = sqlite3.connect(database, factory=WriterLockConnection)
    again.execute("INSERT INTO days (n) VALUES (2)")
    assert is_locked(database)
    again.close()


def test_without_a_lock_file_sqlite_alone_orders_the_writers(
    connect: Callable[..., WriterLockConnection], database: str
) -> None:
    os.mkdir(database + writer_lock.LOCK_SUFFIX)  # cannot be opened as a file
    connection = connect()
    connection.execute("INSERT INTO days (n) VALUES (1)")
    connection.commit()
    assert connection.execute("SELECT count(*) FROM days").fetchone() == (1,)


def test_the_app_s_sqlite_connections_take_turns(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'j.sqlite3'}", "SECRET_KEY": "x"})
    with app.app_context():
        connection = db.session.connection().connection.dbapi_connection
        assert isinstance(connection, WriterLockConnection)
        # The pragmas still apply to it.
        assert connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_file_system_without_flock_leaves_the_writers_to_sqlite(
    connect: Callable[..., WriterLockConnection], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_locks(_fd: int, _operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    connection = connect()
    connection.execute("INSERT INTO days (n) VALUES (1)")
    connection.commit()
    assert connection.execute("SELECT count(*) FROM days").fetchone() == (1,)
