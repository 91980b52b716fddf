"""Gunicorn entry points for benchmarks/checkin_write.py, configured through the environment.

    gunicorn --chdir benchmarks "_apps:real_app()"   # BENCH_DATABASE_URL, BENCH_SECRET_KEY
    gunicorn --chdir benchmarks "_apps:bare_app()"   # BENCH_BARE_DB

The bare app is the yardstick: the least a web request that stores one row in SQLite (WAL) can
cost on this machine, so the real app's figure can be read as a ratio that does not depend on
how fast the machine happens to be.
"""

from __future__ import annotations

import os
import sqlite3

from argon2 import PasswordHasher
from flask import Flask, redirect, request
from flask.typing import ResponseReturnValue

# The production cost (argon2-cffi defaults, about 0.3 s a verify on 2 cores) would spend the
# whole time budget on logging in a thousand people. The measured POST /checkin never hashes,
# so a cheap Argon2id for the setup logins does not change the figure being measured.
BENCH_TIME_COST, BENCH_MEMORY_KIB, BENCH_PARALLELISM = 1, 1024, 1

BARE_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    user_key TEXT NOT NULL,
    day TEXT NOT NULL,
    body TEXT NOT NULL
)
"""


def bench_hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=BENCH_TIME_COST, memory_cost=BENCH_MEMORY_KIB, parallelism=BENCH_PARALLELISM
    )


def real_app() -> Flask:
    """The journal as deployed (CSRF on), on the benchmark's own SQLite file."""
    from journal import create_app
    from journal.web import auth

    # See BENCH_TIME_COST; with the same parameters, login's rehash check stays a no-op.
    auth.hasher = bench_hasher()
    return create_app(
        {
            "DATABASE_URL": os.environ["BENCH_DATABASE_URL"],
            "SECRET_KEY": os.environ["BENCH_SECRET_KEY"],
            "COOKIE_SECURE": False,  # plain http on 127.0.0.1
        }
    )


def open_bare_db(path: str) -> sqlite3.Connection:
    """A connection with the pragmas journal/extensions.py sets, so both apps pay the same.

    A plain sqlite3 connection, without the journal's writer lock (journal/writer_lock.py): the
    yardstick is the bare insert. (Given the lock, the bare app stored 11 to 24 % more rows a
    second on the same machine; the journal's figure includes what the lock saves it.)"""
    from journal.extensions import SQLITE_PRAGMAS

    connection = sqlite3.connect(path)
    for pragma in SQLITE_PRAGMAS:
        connection.execute(pragma)
    return connection


def bare_app() -> Flask:
    """One endpoint that reads the same form and inserts one row, and nothing else."""
    path = os.environ["BENCH_BARE_DB"]
    app = Flask(__name__)
    # Opened lazily: gunicorn forks the workers, and an SQLite handle must not cross a fork.
    connections: list[sqlite3.Connection] = []

    def connection() -> sqlite3.Connection:
        if not connections:
            connections.append(open_bare_db(path))
        return connections[0]

    @app.get("/")
    def index() -> str:
        return "ok"

    @app.post("/insert")
    def insert() -> ResponseReturnValue:
        form = request.form
        db = connection()
        with db:  # commits, like the real app's one commit per check-in
            db.execute(
                "INSERT INTO entries (user_key, day, body) VALUES (?, ?, ?)",
                (form.get("user", ""), form.get("day", ""), form.get("morning_energy", "")),
            )
        return redirect("/")

    return app
