"""The app's own error pages (issue 19): 404, 410, 429 and 500 in the person's language, inside
the app's layout, each with a way home; JSON routes keep answering JSON.

Werkzeug's pages said "Not Found" in English, without the layout or a way back. The 500 page is
rendered as nobody and without a query, since it may follow a failing database.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, abort
from flask.testing import FlaskClient

from journal.extensions import db
from tests.conftest import Accounts, set_english

# A word of each page, per language: the heading, and the button that leads home.
HEADINGS = {
    "nl": {
        404: "Deze pagina bestaat niet",
        410: "Deze link werkt niet meer",
        429: "Even wachten",
        500: "Er ging bij ons iets mis",
    },
    "en": {
        404: "This page does not exist",
        410: "This link no longer works",
        429: "Please wait a moment",
        500: "Something went wrong on our side",
    },
}
HOME_BUTTON = {"nl": "Terug naar het begin", "en": "Back to the start"}
LAYOUT = ('<main id="main">', 'class="skip"', 'class="safety-link"', 'class="card error-page"')


def assert_error_page(page: str, code: int, language: str) -> None:
    """In the layout, in the language, with a button home (and Werkzeug's words nowhere)."""
    assert f'<html lang="{language}">' in page
    for part in LAYOUT:
        assert part in page, part
    assert HEADINGS[language][code] in page
    assert f'<a class="button primary" href="/">{HOME_BUTTON[language]}</a>' in page
    assert "The requested URL" not in page and "Internal Server Error" not in page


@pytest.fixture
def raising_app(app: Flask) -> Flask:
    """The app with routes that fail the ways a view can, added before its first request."""

    def broken() -> str:
        raise RuntimeError("a bug in a view")

    def gone() -> str:
        abort(410)

    def crowded() -> str:
        abort(429)

    def database_down() -> str:
        db.session.execute(sa.text("SELECT 1"))
        return "unreachable"

    app.add_url_rule("/test/broken", view_func=broken)
    app.add_url_rule("/test/gone", view_func=gone)
    app.add_url_rule("/test/crowded", view_func=crowded)
    app.add_url_rule("/test/database-down", view_func=database_down)
    # TESTING turns propagation on; off, as in production, the 500 handler answers.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("address", ["/checkin/2026-12-09", "/checkin/not-a-date"])
def test_a_future_or_malformed_day_is_a_404_in_the_persons_language(
    app: Flask, client: FlaskClient, accounts: Accounts, language: str, address: str
) -> None:
    user_id = accounts.create()
    if language == "en":
        set_english(app, user_id)
    assert accounts.login().status_code == 302
    response = client.get(address)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert_error_page(page, 404, language)
    assert 'aria-label="Hoofdmenu"' in page or 'aria-label="Main"' in page  # signed in: the nav


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_unknown_address_is_a_404_in_the_browsers_language(
    client: FlaskClient, language: str
) -> None:
    response = client.get("/no-such-page", headers={"Accept-Language": language})
    assert response.status_code == 404
    assert_error_page(response.get_data(as_text=True), 404, language)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_gone_link_is_a_410_page(raising_app: Flask, language: str) -> None:
    response = raising_app.test_client().get("/test/gone", headers={"Accept-Language": language})
    assert response.status_code == 410
    assert_error_page(response.get_data(as_text=True), 410, language)


def test_the_429_page_shares_the_layout(raising_app: Flask) -> None:
    response = raising_app.test_client().get("/test/crowded", headers={"Accept-Language": "en"})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "60"
    assert_error_page(response.get_data(as_text=True), 429, "en")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_bug_is_a_500_page(
    raising_app: Flask, language: str, caplog: pytest.LogCaptureFixture
) -> None:
    response = raising_app.test_client().get("/test/broken", headers={"Accept-Language": language})
    assert response.status_code == 500
    assert response.headers["Cache-Control"] == "no-store"
    assert_error_page(response.get_data(as_text=True), 500, language)
    # Flask logs the bug itself; the page adds no second error.
    assert [r.exc_info[0] for r in caplog.records if r.exc_info] == [RuntimeError]


def test_the_500_page_needs_neither_the_database_nor_the_signed_in_person(
    raising_app: Flask, accounts: Accounts, caplog: pytest.LogCaptureFixture
) -> None:
    """The database goes down while Sanne is signed in: her next request fails in the view,
    and the page that says so asks the database nothing (not even who she is)."""
    accounts.create()
    client = accounts.client
    assert accounts.login().status_code == 302
    statements: list[str] = []

    def refuse(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)
        raise sa.exc.OperationalError(statement, {}, Exception("the database is down"))

    with raising_app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", refuse)
    try:
        response = client.get("/test/database-down", headers={"Accept-Language": "nl"})
    finally:
        sa.event.remove(engine, "before_cursor_execute", refuse)
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert_error_page(page, 500, "nl")
    assert statements == ["SELECT 1"]  # the view's own, and nothing after it
    assert 'aria-label="Hoofdmenu"' not in page  # rendered as nobody: no personal menu
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1  # Flask's log of the failure; rendering the page added none


def test_json_routes_keep_answering_json(raising_app: Flask, client: FlaskClient) -> None:
    missing = client.get("/api/no-such-route")
    assert missing.status_code == 404
    assert missing.is_json and missing.get_json()["error"] == "not_found"
    asked = raising_app.test_client().get("/test/broken", headers={"Accept": "application/json"})
    assert asked.status_code == 500
    assert asked.is_json and asked.get_json()["error"] == "server"
    assert asked.headers["Cache-Control"] == "no-store"
    # A script's JSON body asks for JSON too (the push subscription routes of settings).
    posted = client.post("/settings/push/no-such-route", json={"endpoint": "x"})
    assert posted.status_code == 404 and posted.is_json


def test_the_api_blueprint_keeps_its_own_json_errors(client: FlaskClient) -> None:
    response = client.post("/api/checkins", data="not json", content_type="text/plain")
    assert response.is_json
    assert response.status_code in (400, 401)
