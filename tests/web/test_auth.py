"""Register, log in, log out, remember me, sessions ending, cookies, CSRF."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask import Flask, session
from flask.testing import FlaskClient
from flask_login import current_user
from sqlalchemy import select

from journal import create_app
from journal.extensions import db
from journal.models import SignedIn, User
from tests.conftest import FROZEN_NOW, PASSWORD, Accounts
from tests.payloads import day


def test_register_signs_in_then_login(client: FlaskClient, app: Flask) -> None:
    response = client.post(
        "/register",
        data={"email": " Anouk@Example.org ", "password": "tien tekens!", "timezone": "Europe/Lisbon"},
    )
    assert response.status_code == 302
    assert response.location == "/welcome"  # signed in at once, to the first-run welcome (issue 19)
    assert client.get("/history").status_code == 200
    assert client.post("/logout").status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "anouk@example.org"))
        assert user is not None
        assert user.password_hash.startswith("$argon2id$")
        assert user.timezone == "Europe/Lisbon"
        assert user.language == "nl"
    response = client.post("/login", data={"email": "anouk@example.org", "password": "tien tekens!"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert b"Check-in" in client.get("/").data


def test_register_unknown_time_zone_falls_back(client: FlaskClient, app: Flask) -> None:
    client.post("/register", data={"email": "a@example.org", "password": "x" * 10, "timezone": "Mars/Base"})
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user is not None and user.timezone == "Europe/Amsterdam"


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [("not-an-address", "long enough pw", "email"), ("b@example.org", "short", "password")],
)
def test_register_refused_keeps_input(client: FlaskClient, app: Flask, email: str, password: str, field: str) -> None:
    response = client.post("/register", data={"email": email, "password": password})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="err-{field}"' in page
    assert f'value="{email}"' in page
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_register_taken_address_signs_nobody_in(client: FlaskClient, accounts: Accounts) -> None:
    """Registering signs a new person in (issue 19), so a taken address is told apart: it is
    sent to the login page, under the registration's rate limit (tests/web/test_rate_limits.py)."""
    accounts.create("taken@example.org")
    taken = client.post("/register", data={"email": "taken@example.org", "password": "another password"})
    assert taken.status_code == 302 and taken.location.startswith("/login?email=")
    assert client.get("/history").status_code == 302
    # The existing account's password is untouched.
    assert accounts.login("taken@example.org", PASSWORD).status_code == 302



def test_login_answers_the_same_for_unknown_and_wrong(client: FlaskClient, accounts: Accounts) -> None:
    accounts.create()
    wrong = client.post("/login", data={"email": "sanne@example.org", "password": "wrong password"})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": "wrong password"})
    assert wrong.status_code == unknown.status_code == 401
    assert _normalised(wrong.get_data(as_text=True)) == _normalised(unknown.get_data(as_text=True))


def _normalised(page: str) -> str:
    """The page without what must differ: the address typed and the time-stamped CSRF token."""
    page = re.sub(r"(sanne|nobody)@example\.org", "EMAIL", page)
    return re.sub(r'(name="csrf_token" value|name="csrf-token" content)="[^"]+"', "TOKEN", page)


def test_pages_need_login(client: FlaskClient) -> None:
    for url in ("/checkin", "/history", "/account", "/checkin/2026-03-10"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.location


def test_logout(client: FlaskClient, logged_in: int) -> None:
    assert client.get("/history").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/history").status_code == 302


def test_session_cookie_flags(client: FlaskClient, accounts: Accounts) -> None:
    accounts.create()
    response = client.post("/login", data={"email": "sanne@example.org", "password": PASSWORD, "remember": "1"})
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session, remember):
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
    # Remember me lasts 30 days (Flask-Login sets Expires from the real clock).
    expires = re.search(r"Expires=([^;]+)", remember)
    assert expires is not None
    lasts = parsedate_to_datetime(expires.group(1)) - datetime.now(UTC)
    assert timedelta(days=30) - timedelta(minutes=5) < lasts <= timedelta(days=30)


def test_cookies_are_secure_outside_debug(tmp_path: object) -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_DURATION"].days == 30


def test_password_change_ends_other_sessions(app: Flask, accounts: Accounts) -> None:
    accounts.create()
    phone, laptop = app.test_client(), app.test_client()
    for device in (phone, laptop):
        device.post("/login", data={"email": "sanne@example.org", "password": PASSWORD, "remember": "1"})
    response = phone.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "a brand new password"}
    )
    assert response.status_code == 302
    assert phone.get("/history").status_code == 200
    assert laptop.get("/history").status_code == 302  # session and remember cookie both ended
    assert phone.post("/logout").status_code == 302
    assert phone.post("/login", data={"email": "sanne@example.org", "password": "a brand new password"}).status_code == 302


def test_password_change_refused(client: FlaskClient, logged_in: int) -> None:
    response = client.post("/account/password", data={"current_password": "nope", "new_password": "short"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="err-current_password"' in page and 'id="err-new_password"' in page


def test_csrf_is_enforced(tmp_path: object) -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x", "COOKIE_SECURE": False})
    client = app.test_client()
    assert client.post("/login", data={"email": "a@b.c", "password": "x"}).status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None


def test_language_switch(client: FlaskClient, logged_in: int, app: Flask) -> None:
    client.post("/language", data={"language": "en", "next": "/history"})
    assert "History" in client.get("/history").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, logged_in).language == "en"  # type: ignore[union-attr]
    client.post("/language", data={"language": "nl", "next": "/history"})
    assert "Geschiedenis" in client.get("/history").get_data(as_text=True)


def test_open_redirect_refused(client: FlaskClient, accounts: Accounts) -> None:
    accounts.create()
    response = client.post(
        "/login", data={"email": "sanne@example.org", "password": PASSWORD, "next": "//evil.example/"}
    )
    assert response.location == "/"


def test_logout_clears_the_browser_cache(client: FlaskClient, logged_in: int) -> None:
    response = client.post("/logout")
    assert response.headers["Clear-Site-Data"] == '"cache"'


# --- The session cookie: Flask's own, signed; what the app relies on -------------------------


def test_flash_survives_the_redirect(client: FlaskClient, logged_in: int) -> None:
    client.post("/checkin", data=day())
    response = client.post(f"/checkin/{FROZEN_NOW.date()}/delete", follow_redirects=True)
    assert '<p class="flash" role="status">De check-in is verwijderd.</p>' in response.get_data(as_text=True)


def test_signed_in_request_reads_a_snapshot(app: Flask, client: FlaskClient, logged_in: int) -> None:
    with client:
        client.get("/history")
        assert isinstance(current_user._get_current_object(), SignedIn)
        assert current_user.id == logged_in
        assert current_user.email == "sanne@example.org"
        assert current_user.language == "nl"
        assert current_user.timezone == "Europe/Amsterdam"
        assert current_user.get_id() == session["_user_id"]


def test_a_tampered_session_cookie_signs_nobody_in(client: FlaskClient, logged_in: int) -> None:
    cookie = client.get_cookie("session")
    assert cookie is not None
    at = len(cookie.value) // 3  # inside the payload
    forged = cookie.value[:at] + ("B" if cookie.value[at] == "A" else "A") + cookie.value[at + 1 :]
    client.set_cookie("session", forged)
    assert client.get("/history").status_code == 302
    client.set_cookie("session", cookie.value)
    assert client.get("/history").status_code == 200


def test_a_new_secret_key_ends_sessions_unless_the_old_one_is_a_fallback(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    assert client.get("/history").status_code == 200
    app.secret_key = "a new secret"
    assert client.get("/history").status_code == 302  # signed with the old secret: not trusted
    app.config["SECRET_KEY_FALLBACKS"] = ["test-secret"]
    assert client.get("/history").status_code == 200  # rotated keys still read


# --- Logout ends the session on the server (issue 17, finding 3) ------------------------------


def _signed_in_with_remember_me(accounts: Accounts) -> tuple[str, str]:
    """Log in with "keep me logged in" and return copies of the two cookies."""
    accounts.create()
    response = accounts.client.post(
        "/login", data={"email": "sanne@example.org", "password": PASSWORD, "remember": "1"}
    )
    assert response.status_code == 302
    session_cookie = accounts.client.get_cookie("session")
    remember_cookie = accounts.client.get_cookie("remember_token")
    assert session_cookie is not None and remember_cookie is not None
    return session_cookie.value, remember_cookie.value


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_cookie_copied_before_logout_opens_nothing_after(
    app: Flask, accounts: Accounts, cookie: str
) -> None:
    copies = dict(zip(("session", "remember_token"), _signed_in_with_remember_me(accounts), strict=True))
    # Each copy on its own works before the logout: the test would prove nothing otherwise.
    before = app.test_client()
    before.set_cookie(cookie, copies[cookie])
    assert before.get("/account").status_code == 200
    assert accounts.client.post("/logout").status_code == 302

    replay = app.test_client()
    replay.set_cookie(cookie, copies[cookie])
    page = replay.get("/account")
    assert page.status_code == 302 and page.location.startswith("/login")
    api = replay.get("/api/session")
    assert api.status_code == 401
    assert api.get_json()["error"] == "unauthenticated"


def test_logout_ends_the_other_devices_too_and_says_so(app: Flask, accounts: Accounts) -> None:
    accounts.create()
    laptop = app.test_client()
    for device in (accounts.client, laptop):
        device.post("/login", data={"email": "sanne@example.org", "password": PASSWORD})
    response = accounts.client.post("/logout", follow_redirects=True)
    assert "Je bent uitgelogd op al je apparaten." in response.get_data(as_text=True)
    assert laptop.get("/history").status_code == 302
    # Logging in again afterwards works as ever.
    assert accounts.login().status_code == 302
    assert accounts.client.get("/history").status_code == 200


# --- Hostile input (issue 17) ------------------------------------------------------------------


@pytest.mark.parametrize("email", ["sanne\x00@example.org", "\x00", "sanne@example.org\x00"])
def test_login_with_a_nul_in_the_address_is_a_form_error(
    client: FlaskClient, accounts: Accounts, email: str
) -> None:
    """A NUL reached the query: 500 on PostgreSQL. Now a message on the same page."""
    accounts.create()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="err-email"' in page
    assert "Vul een geldig e-mailadres in." in page
    assert client.get("/account").status_code == 302  # nobody logged in


@pytest.mark.parametrize("email", ["anouk\x00@example.org", "anouk@exam\x00ple.org", "anouk@example.org\x1b"])
def test_register_with_a_control_character_in_the_address_is_a_form_error(
    client: FlaskClient, app: Flask, email: str
) -> None:
    """A NUL was stored as it was on SQLite (and answered 500 on PostgreSQL)."""
    response = client.post("/register", data={"email": email, "password": "tien tekens!"})
    assert response.status_code == 422
    assert 'id="err-email"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User)) is None


# Control characters would make a Location header that Werkzeug refuses (500); a backslash or a
# tab reads as "//" to browsers, which makes the address another site's.
HOSTILE_NEXT = ["/history\r\nSet-Cookie: x=1", "/history\n", "/\t/evil.example", "/\\evil.example", "/\x00"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_ignores_a_next_with_control_characters(
    client: FlaskClient, accounts: Accounts, target: str
) -> None:
    accounts.create()
    response = client.post("/login", data={"email": "sanne@example.org", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_language_switch_ignores_a_next_with_control_characters(
    client: FlaskClient, logged_in: int, target: str
) -> None:
    response = client.post("/language", data={"language": "en", "next": target})
    assert response.status_code == 302
    assert response.location == "/"
    assert client.post("/language", data={"language": "nl", "next": "/history?until=2026-03-01"}).location == (
        "/history?until=2026-03-01"
    )
