"""One SQLite writer at a time, queued on a file lock rather than by SQLite's busy handler.

SQLite lets one connection write at a time. Another connection that wants to write meanwhile
gets SQLITE_BUSY, and the busy handler sleeps 1, 2, 5, 10 ms and more between tries. A check-in
holds the write lock for well under a millisecond (most of it the WAL's fsync), so with two
gunicorn workers, or the web app next to the reminder process, a save that arrives during
another one often sleeps longer than the other save takes: a third of the saves in
benchmarks/checkin_write.py slept at least 1 ms, and the workers sat idle meanwhile.

`WriterLockConnection` takes an exclusive `flock` on a file next to the database just before
the first write of a transaction (the statements that make the sqlite3 module open one, and
an explicit `BEGIN IMMEDIATE`), and lets go once the transaction has ended. A writer that
finds it taken checks again every POLL_S, so it goes on within a fraction of a millisecond of
the other's commit.

The lock only orders writers; SQLite's own locking still keeps the data safe. So whenever the
lock cannot help, a connection goes on without it and SQLite's busy handler decides, as it
would without this module: a database without a file (`:memory:`, URI names), a lock file that
cannot be opened, a file system without flock, a thread that already holds the lock through
another connection (waiting for itself would never end), and a wait longer than WAIT_LIMIT_S.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from typing import Any, Literal, Self, TypeVar

# A save holds the lock for well under a millisecond. A writer that has waited this long is
# behind something bigger (an import, a migration, a lock that was never let go) and is left
# to SQLite's busy handler, which waits up to its own timeout, as without this module.
WAIT_LIMIT_S = 0.1
# Polling finer than a save's hold only costs wake-ups. (A blocking flock has no time limit.)
POLL_S = 0.0001
LOCK_SUFFIX = "-writer.lock"

# The statements after which a connection holds (or is about to take) SQLite's write lock: the
# sqlite3 module opens a transaction before INSERT, UPDATE, DELETE and REPLACE.
_WRITES = re.compile(r"\s*(?:insert|update|delete|replace|begin\s+(?:immediate|exclusive))\b", re.I)

# Per thread (by ident), the connection through which it last took the lock. Weak, and it
# counts only while that connection holds the lock, so a collected connection or an ended
# thread whose ident comes back leaves nothing behind.
_last_taken: dict[int, weakref.ref[WriterLockConnection]] = {}

# The sqlite3 module's own attribute, which the subclass wraps to see its implicit COMMIT.
_ISOLATION_LEVEL = sqlite3.Connection.__dict__["isolation_level"]

_P = TypeVar("_P")
_R = TypeVar("_R")


def lock_path(database: object) -> str | None:
    """The lock file for a database argument of `sqlite3.connect`, None when it has no file."""
    if not isinstance(database, str | os.PathLike):
        return None
    name = os.fsdecode(database)
    if name in ("", ":memory:") or name.startswith("file:"):
        return None
    return name + LOCK_SUFFIX


def _held_by_this_thread() -> bool:
    """Whether this thread holds the lock through some connection: waiting for it would never
    end, as the thread would have to commit that connection first."""
    taken = _last_taken.get(threading.get_ident())
    connection = taken() if taken is not None else None
    return connection is not None and connection._holding


class WriterLockConnection(sqlite3.Connection):
    """A sqlite3 connection whose write transactions queue on the database's writer lock.
    Pass it as `factory` to `sqlite3.connect` (extensions.py does, for every SQLite engine)."""

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self._lock_fd: int | None = None
        self._holding = False
        self._ref = weakref.ref(self)
        path = None if kwargs.get("uri") else lock_path(database)
        if path is not None:
            try:
                self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError:
                return  # a read-only folder, say: SQLite alone orders the writers
            # Closing the file lets go of the lock, also for a connection that is never closed.
            self._close_lock_file = weakref.finalize(self, os.close, self._lock_fd)

    def cursor(self, factory: Any = None) -> sqlite3.Cursor:  # type: ignore[override]
        return super().cursor(factory or _WriterLockCursor)

    # sqlite3's own shortcuts make a plain cursor without calling `cursor()`.
    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> sqlite3.Cursor:
        return self.cursor().executemany(sql, seq_of_parameters)

    def take_writer_lock(self) -> None:
        if self._lock_fd is None or self._holding:
            return
        deadline = None
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                now = time.monotonic()
                if deadline is None:
                    if _held_by_this_thread():  # asked only when the lock is taken
                        return
                    deadline = now + WAIT_LIMIT_S
                elif now > deadline:
                    return
                time.sleep(POLL_S)
            except OSError:
                return  # a file system without flock: SQLite alone orders the writers
        self._holding = True
        _last_taken[threading.get_ident()] = self._ref

    def run_write_aware(self, sql: str, run: Callable[[str, _P], _R], params: _P) -> _R:
        """Run a statement on one of this connection's cursors, holding the lock when it writes."""
        if _WRITES.match(sql):
            self.take_writer_lock()
        try:
            return run(sql, params)
        finally:
            # A write outside a transaction, a COMMIT sent as SQL, or an error that made SQLite
            # roll back has already ended it.
            self.release_if_done()

    def release_if_done(self) -> None:
        if self._holding and not self.in_transaction:
            self.release_writer_lock()

    def release_writer_lock(self) -> None:
        if self._holding:
            assert self._lock_fd is not None  # only a connection with a lock file holds it
            self._holding = False
            # It runs after a commit: failing here would report a stored save as failed. A
            # lock that stays held only sends the next writers to SQLite after WAIT_LIMIT_S.
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    # Every other way the sqlite3 module ends a transaction; a lock kept past it would make
    # the next writer wait out WAIT_LIMIT_S.
    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.release_if_done()  # a failed commit leaves the transaction to a rollback

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.release_if_done()

    def __exit__(self, *exc_info: Any) -> Literal[False]:
        try:
            return super().__exit__(*exc_info)
        finally:
            self.release_if_done()

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        return self.cursor().executescript(sql_script)

    @property  # type: ignore[override]
    def isolation_level(self) -> str | None:
        level: str | None = _ISOLATION_LEVEL.__get__(self)
        return level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        try:
            _ISOLATION_LEVEL.__set__(self, value)  # None commits first
        finally:
            self.release_if_done()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.release_writer_lock()
            if self._lock_fd is not None:
                # Forgotten too: its number may be reused for another file of this process.
                self._lock_fd = None
                self._close_lock_file()


class _WriterLockCursor(sqlite3.Cursor):
    connection: WriterLockConnection

    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        return self.connection.run_write_aware(sql, super().execute, parameters)

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> Self:
        return self.connection.run_write_aware(sql, super().executemany, seq_of_parameters)

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        # It commits a pending transaction first; the script itself is not looked into.
        try:
            return super().executescript(sql_script)
        finally:
            self.connection.release_if_done()
