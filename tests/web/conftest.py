"""Fixtures of the web tests: the person who shares, logged in, and `anon`, the coach of a
share link, who has no account (test_share, test_share_pdf, test_log_redaction); `coach` and
`coach_client`, a coach with an account and that coach signed in (the coach workspace tests);
and `served`, the app behind werkzeug's real request handler (test_log_redaction,
test_people_links)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from tests.conftest import Accounts, set_english, store_diary
from tests.web.coach_clients import Coach, coach_login, make_coach
from tests.web.sharing import EMAIL, diary


@pytest.fixture
def person(app: Flask, accounts: Accounts) -> int:
    """Sanne, logged in (English, to read the msgids), with 8 weeks of diary."""
    user_id = accounts.create(EMAIL)
    set_english(app, user_id)
    store_diary(app, user_id, diary())
    assert accounts.login(EMAIL).status_code == 302
    return user_id


@pytest.fixture
def anon(app: Flask) -> FlaskClient:
    """The coach: a client without any cookie."""
    return app.test_client()


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app behind werkzeug's real request handler, whose log line carries the path."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def coach(app: Flask) -> Coach:
    """Anna, a coach with her second factor set up (tests/web/coach_clients.py)."""
    return make_coach(app, "anna@praktijk.example")


@pytest.fixture
def coach_client(app: Flask, coach: Coach) -> FlaskClient:
    """Anna, signed in with both steps."""
    client = app.test_client()
    coach_login(client, coach)
    return client
