"""Gunicorn entry points for benchmarks/checkin_write.py, configured through the environment.

    gunicorn --chdir benchmarks "_apps:real_app()"   # BENCH_DATABASE_URL, BENCH_SECRET_KEY
    gunicorn --chdir benchmarks "_apps:bare_app()"   # BENCH_DATABASE_URL

The bare app is the yardstick: the least a web request that stores one row can cost on this
machine and this database, so the journal's figure can be read as a ratio that does not depend
on how fast the machine happens to be.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from argon2 import PasswordHasher
from flask import Flask, jsonify, redirect, request
from flask.typing import ResponseReturnValue
from sqlalchemy import Column, Integer, MetaData, String, Table

# The production cost (argon2-cffi defaults, about 0.3 s a verify on 2 cores) would spend the
# whole time budget on logging in a thousand people. The measured saves never hash, so a cheap
# Argon2id for the setup logins does not change the figures being measured.
BENCH_TIME_COST, BENCH_MEMORY_KIB, BENCH_PARALLELISM = 1, 1024, 1

# The bare app's table, in the journal's database (SQLite file or PostgreSQL schema).
BARE = Table(
    "bench_entries",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("kind", String(4)),  # "form" or "json"
    Column("user_key", String(20)),
    Column("day", String(10)),
    Column("body", String(20)),
)


def bench_hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=BENCH_TIME_COST, memory_cost=BENCH_MEMORY_KIB, parallelism=BENCH_PARALLELISM
    )


def real_app() -> Flask:
    """The journal as deployed (CSRF on), on the benchmark's own database."""
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


def connect_bare(url: str) -> Any:
    """A driver connection, set up as the journal's engine sets up its own."""
    if url.startswith("sqlite:///"):
        from journal.extensions import SQLITE_PRAGMAS

        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        for pragma in SQLITE_PRAGMAS:
            connection.execute(pragma)
        return connection
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))


def bare_app() -> Flask:
    """One endpoint that reads the same form or JSON body and inserts one row, nothing else."""
    url = os.environ["BENCH_DATABASE_URL"]
    mark = "?" if url.startswith("sqlite") else "%s"
    sql = f"INSERT INTO bench_entries (kind, user_key, day, body) VALUES ({', '.join([mark] * 4)})"
    app = Flask(__name__)
    # Opened lazily: gunicorn forks the workers, and a database handle must not cross a fork.
    connections: list[Any] = []

    @app.post("/insert")
    def insert() -> ResponseReturnValue:
        if not connections:
            connections.append(connect_bare(url))
        db = connections[0]
        body = request.get_json(silent=True) if request.is_json else None
        fields = body if isinstance(body, dict) else request.form
        answers = fields["answers"] if body else fields
        kind = "json" if body else "form"
        db.execute(sql, (kind, fields.get("user", ""), fields.get("date", ""), answers["sol_min"]))
        db.commit()  # one commit per save, like the journal
        return (jsonify(status="created"), 201) if body else redirect("/")

    return app
