"""Shared fixtures: an app per database backend, a client, and a helper to log in.

Every test that asks for `app` runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is
set (each test run gets its own schema, emptied between tests).
"""

from __future__ import annotations

import os
import socket
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import FileSystemBytecodeCache

from journal import create_app
from journal.clock import now_utc
from journal.domain.checkin import CheckIn
from journal.extensions import db
from journal.models import CheckinRow, User
from journal.reminders import push
from journal.web import auth
from journal.web.auth import hasher

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
FROZEN_NOW = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)  # 08:30 in Amsterdam
PASSWORD = "correct horse battery"


def pytest_addoption(parser: pytest.Parser) -> None:
    # pytest-playwright owns --output; this one lets a developer skip browser tests locally.
    parser.addoption("--no-browser", action="store_true", help="skip Playwright tests")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--no-browser"):
        skip = pytest.mark.skip(reason="--no-browser")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A private schema for this test run, so parallel or crashed runs never collide."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    # Test data need not survive a crash: commits (thousands of create_all/drop_all per run)
    # do not wait for the disk.
    yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def database_url(backend: str, tmp_path: Any, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'journal.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Argon2 at its lowest cost: thousands of tests make and check passwords, and at the
    app's real cost (argon2-cffi's defaults) hashing alone took most of the suite's time.
    The stored form is the same Argon2id; only the cost parameters differ. The unknown
    account's stand-in hash is made again at the same cost, so both answers stay as slow."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(auth, "hasher", cheap)
    monkeypatch.setattr(sys.modules[__name__], "hasher", cheap)
    auth._dummy_hash.cache_clear()
    yield
    auth._dummy_hash.cache_clear()


@pytest.fixture(scope="session")
def compiled_templates(tmp_path_factory: pytest.TempPathFactory) -> FileSystemBytecodeCache:
    """Jinja's compiled templates, shared by the apps of one run (of one xdist worker): every
    test makes its own app, and compiling every template again for each was a third of a web
    test's time. Jinja checks each template's source against the cache, so an edit is seen."""
    return FileSystemBytecodeCache(str(tmp_path_factory.mktemp("jinja")))


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Extra test configuration; a test module overrides this fixture to change it."""
    return {}


@pytest.fixture(params=BACKENDS)
def app(
    request: pytest.FixtureRequest,
    tmp_path: Any,
    app_overrides: dict[str, Any],
    compiled_templates: FileSystemBytecodeCache,
) -> Iterator[Flask]:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False,
        "FIXED_NOW": FROZEN_NOW,
        # Account mails (no SMTP in tests) go here, never into the repository's instance/.
        "MAIL_DIR": str(tmp_path / "mail"),
        # Tests log in and fail logins by the dozen; tests/web/test_rate_limits.py turns
        # the limits on through app_overrides.
        "RATELIMIT_ENABLED": False,
        **app_overrides,
    }
    with database_app(request, tmp_path, compiled_templates, config) as app:
        yield app


@contextmanager
def database_app(
    request: pytest.FixtureRequest,
    tmp_path: Any,
    compiled_templates: FileSystemBytecodeCache,
    config: dict[str, Any],
) -> Iterator[Flask]:
    """An app on the test's database (`request.param`: a backend of BACKENDS) with its tables,
    emptied again afterwards: the `app` fixture and the browser tests' `backend_server`."""
    app = create_app({"DATABASE_URL": database_url(request.param, tmp_path, request), **config})
    app.jinja_env.bytecode_cache = compiled_templates
    with app.app_context():
        if request.param == "postgresql":
            ensure_tables()
        else:
            db.create_all()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            if request.param == "postgresql":
                empty_tables()
            db.engine.dispose()


def ensure_tables() -> None:
    """The run's PostgreSQL schema keeps its tables from test to test (emptied after each):
    creating and dropping some thirty tables was most of a PostgreSQL test's time. Created
    again when a test took them down (the migration and browser tests do)."""
    present = set(
        db.session.scalars(
            sa.text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        )
    )
    db.session.commit()
    if not set(db.metadata.tables) <= present:
        db.create_all()


def empty_tables() -> None:
    """Every row gone and every id counting from 1 again, as in a new schema. DELETE, not
    TRUNCATE: a test leaves a handful of rows, and TRUNCATE makes every table anew."""
    deletes = [f'DELETE FROM "{t.name}"' for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        sequences = connection.exec_driver_sql(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
        ).scalars()
        restarts = [f'ALTER SEQUENCE "{name}" RESTART' for name in sequences]
        connection.exec_driver_sql("; ".join(deletes + restarts))


def store_diary(app: Flask, user_id: int, records: Iterable[CheckIn]) -> None:
    """Days before a test starts, written straight to the database, each made on its morning."""
    with app.app_context():
        db.session.add_all(
            CheckinRow.new(user_id, r, datetime.combine(r.date, time(7), tzinfo=UTC))
            for r in records
        )
        db.session.commit()


def checkin_rows(app: Flask) -> list[CheckinRow]:
    """Every stored check-in, oldest date first."""
    with app.app_context():
        return list(db.session.scalars(sa.select(CheckinRow).order_by(CheckinRow.date)))


def checkin_count(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(sa.select(sa.func.count(CheckinRow.id))) or 0)


def set_english(app: Flask, user_id: int) -> None:
    """Assertions read the English msgids; the catalogs' Dutch is tested elsewhere."""
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        user.language = "en"
        db.session.commit()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Accounts:
    """Makes people and logs them in, the way flaskr's `auth` fixture does."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app = app
        self.client = client

    def create(self, email: str = "sanne@example.org", **fields: Any) -> int:
        """A person with a confirmed address who has seen the first-run welcome, unless
        `email_verified_at=None` or `welcomed_at=None` says otherwise."""
        with self.app.app_context():
            fields.setdefault("email_verified_at", now_utc())
            fields.setdefault("welcomed_at", now_utc())
            user = User(
                email=email,
                password_hash=hasher.hash(fields.pop("password", PASSWORD)),
                created_at=now_utc(),
                **fields,
            )
            db.session.add(user)
            db.session.commit()
            return int(user.id)

    def login(self, email: str = "sanne@example.org", password: str = PASSWORD) -> Any:
        return self.client.post("/login", data={"email": email, "password": password})

    def logout(self) -> Any:
        return self.client.post("/logout")


@pytest.fixture
def accounts(app: Flask, client: FlaskClient) -> Accounts:
    return Accounts(app, client)


@pytest.fixture
def logged_in(accounts: Accounts) -> int:
    user_id = accounts.create()
    response = accounts.login()
    assert response.status_code == 302
    return user_id


# No test looks a host name up in the real name service (the network is closed, and a look-up
# would be traffic off this machine): names resolve from this table, any other is not found.
# The public address is one no test connects to: every test that sends for real sends to
# 127.0.0.1.
PUBLIC_ADDRESS = "93.184.215.14"
NAMES: dict[str, list[str]] = {
    "push.example": [PUBLIC_ADDRESS],
    "fcm.googleapis.com": [PUBLIC_ADDRESS],
    "localhost": ["127.0.0.1", "::1"],
}


@pytest.fixture(autouse=True)
def names(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Host names resolve from NAMES (a test may add some), never through the network; IP
    literals in any notation resolve as the system would (numeric only, no lookup)."""
    table = {name: list(found) for name, found in NAMES.items()}

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host in table:
            return [
                (
                    socket.AF_INET6 if ":" in ip else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (ip, port or 0),
                )
                for ip in table[host]
            ]
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)

    monkeypatch.setattr(push, "getaddrinfo", getaddrinfo)
    return table
