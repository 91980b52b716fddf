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
        400: "Deze aanvraag konden we niet lezen",
        405: "Dit werkt hier niet",
        409: "Dit kon niet worden opgeslagen",
        404: "Deze pagina bestaat niet",
        410: "Deze link werkt niet meer",
        429: "Even wachten",
        500: "Er ging bij ons iets mis",
    },
    "en": {
        400: "This request could not be read",
        405: "This does not work here",
        409: "This could not be saved",
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

    def bad() -> str:
        abort(400)

    def conflict() -> str:
        abort(409)

    def database_down() -> str:
        db.session.execute(sa.text("SELECT 1"))
        return "unreachable"

    app.add_url_rule("/test/broken", view_func=broken)
    app.add_url_rule("/test/gone", view_func=gone)
    app.add_url_rule("/test/crowded", view_func=crowded)
    app.add_url_rule("/test/bad", view_func=bad)
    app.add_url_rule("/test/conflict", view_func=conflict)
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


# --- 400, 405, 409 and the expired form (issue 19) ---------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("method", "address", "code"),
    [("GET", "/test/bad", 400), ("GET", "/logout", 405), ("GET", "/test/conflict", 409)],
)
def test_400_405_and_409_are_the_apps_own_pages(
    raising_app: Flask, language: str, method: str, address: str, code: int
) -> None:
    response = raising_app.test_client().open(
        address, method=method, headers={"Accept-Language": language}
    )
    assert response.status_code == code
    assert_error_page(response.get_data(as_text=True), code, language)
    assert "Bad Request" not in response.get_data(as_text=True)
    if code == 405:
        # As HTTP asks of a 405; werkzeug lists the methods from a set, in no fixed order.
        assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}


@pytest.mark.parametrize(("address", "code"), [("/test/bad", 400), ("/test/conflict", 409)])
def test_400_and_409_answer_json_to_scripts(raising_app: Flask, address: str, code: int) -> None:
    response = raising_app.test_client().get(address, headers={"Accept": "application/json"})
    assert response.status_code == code and response.is_json
    assert response.get_json()["error"] == {400: "bad_request", 409: "conflict"}[code]


CHECKIN_POST = {
    "note": "Slecht geslapen, Anna belde laat nog",
    "sleep_quality": "7",
    "lights_out_time": "23:15",
    "tags": "illness",
    "rested": "on",
}


@pytest.fixture
def csrf_on(app: Flask) -> Flask:
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_expired_form_keeps_what_was_typed(
    csrf_on: Flask, client: FlaskClient, accounts: Accounts, language: str
) -> None:
    """The check-in form sent after its token ran out: nothing is saved, and the page gives
    the words back (read-only, to copy) and a way back to the filled form."""
    user_id = accounts.create()
    if language == "en":
        set_english(csrf_on, user_id)
    csrf_on.config["WTF_CSRF_ENABLED"] = False
    assert accounts.login().status_code == 302
    csrf_on.config["WTF_CSRF_ENABLED"] = True
    response = client.post(
        "/checkin",
        data={**CHECKIN_POST, "csrf_token": "expired"},
        headers={"Referer": "http://localhost/checkin?from=home"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    heading = {"nl": "Deze pagina stond te lang open", "en": "This page was open for a long time"}
    assert f'<h1 id="error-title">{heading[language]}</h1>' in page
    assert f'<html lang="{language}">' in page
    back = {"nl": "Ga terug", "en": "Go back"}[language]
    assert f'href="/checkin?from=home" data-history-back>{back}</a>' in page
    assert 'src="/static/go-back.js"' in page
    textarea = page[page.index('<textarea id="typed"') : page.index("</textarea>")]
    assert "readonly" in textarea
    assert "Slecht geslapen, Anna belde laat nog" in textarea
    # Only words: not the chips' ids, numbers, times, ticks or the token.
    for value in ("illness", "23:15", ">7", "expired"):
        assert value not in textarea


def test_an_expired_login_never_shows_the_password(csrf_on: Flask, client: FlaskClient) -> None:
    response = client.post(
        "/login", data={"email": "sanne@example.org", "password": "Mijn Geheim 123!"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Mijn Geheim" not in page
    assert "sanne@example.org" in page
    # A referrer from another site is not a way back.
    other = client.post("/login", data={}, headers={"Referer": "https://evil.example/login"})
    assert "evil.example" not in other.get_data(as_text=True)


def test_an_expired_token_answers_json_to_scripts(csrf_on: Flask, client: FlaskClient) -> None:
    response = client.post("/login", json={"email": "x"})
    assert response.status_code == 400 and response.is_json
    assert response.get_json()["error"] == "csrf"
