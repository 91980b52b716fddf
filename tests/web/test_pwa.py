"""The account mark that tells the service worker whose pages it may keep."""

from __future__ import annotations

from flask.testing import FlaskClient

from journal.web.pwa import ACCOUNT_HEADER
from tests.payloads import day


def test_pages_carry_the_account_mark(client: FlaskClient, logged_in: int) -> None:
    mark = client.get("/").headers.get(ACCOUNT_HEADER)
    assert mark and len(mark) == 20
    assert client.get("/history").headers.get(ACCOUNT_HEADER) == mark


def test_no_mark_without_an_account(client: FlaskClient) -> None:
    assert ACCOUNT_HEADER not in client.get("/login").headers


def test_no_mark_on_static_files_or_redirects(client: FlaskClient, logged_in: int) -> None:
    assert ACCOUNT_HEADER not in client.get("/static/style.css").headers
    # A redirect's headers never reach the service worker.
    saved = client.post("/checkin", data=day())
    assert saved.status_code == 302
    assert ACCOUNT_HEADER not in saved.headers
