"""Forgot your password (issue 19): a single-use link by e-mail that works for an hour, the same
answer whether or not the address has an account, every session ended by the new password."""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from journal.extensions import db
from journal.models import AccountToken, User
from tests.conftest import FROZEN_NOW, PASSWORD, Accounts
from tests.reminders.smtp_server import Inbox, smtp_server
from tests.web.recovery import NEW_PASSWORD, html_of, link_path, mail_folder, mails, text_of

KNOWN = "sanne@example.org"
RESET = "/password/reset/"


def forgot(client: FlaskClient, email: str, **kwargs: Any) -> Any:
    return client.post("/password/forgot", data={"email": email}, **kwargs)


def reset_link(client: FlaskClient, app: Flask, email: str = KNOWN) -> str:
    """Ask for a link and return the path of the newest one mailed."""
    forgot(client, email, follow_redirects=True)
    return link_path(mails(app)[-1], RESET)


def verified_at(app: Flask, email: str = KNOWN) -> Any:
    with app.app_context():
        return db.session.scalar(select(User.email_verified_at).where(User.email == email))


def test_the_login_page_offers_a_way_back(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot' in page
    assert "Wachtwoord vergeten?" in page
    form = client.get("/password/forgot?email=sanne%40example.org").get_data(as_text=True)
    assert 'value="sanne@example.org"' in form


def test_known_and_unknown_addresses_get_the_same_bytes(
    app: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    accounts.create(KNOWN)
    known, unknown = forgot(client, KNOWN), forgot(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 303
    assert known.headers == unknown.headers
    assert known.get_data() == unknown.get_data()
    known_page = forgot(client, KNOWN, follow_redirects=True)
    unknown_page = forgot(client, "nobody@example.org", follow_redirects=True)
    assert known_page.status_code == unknown_page.status_code == 200
    assert known_page.get_data() == unknown_page.get_data()
    assert "Kijk in je mail" in known_page.get_data(as_text=True)
    # Only the account's owner got a mail (one: the first two answers were never closed).
    assert [m["To"] for m in mails(app)] == [KNOWN]


def test_the_mail_leaves_after_the_answer(
    app: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    """The answer is made before anything is looked up, so its timing tells nothing; the link
    is made and mailed once the answer has gone (WSGI's close, after the last byte)."""
    accounts.create(KNOWN)
    answer = forgot(client, KNOWN)
    with app.app_context():
        assert db.session.scalar(select(AccountToken)) is None
    assert mails(app) == []
    answer.close()
    with app.app_context():
        assert db.session.scalar(select(AccountToken)) is not None
    assert len(mails(app)) == 1


def test_a_new_password_by_the_mailed_link(
    app: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    accounts.create(KNOWN, email_verified_at=None)
    path = reset_link(client, app)
    [message] = mails(app)
    assert message["To"] == KNOWN
    assert message["Subject"] == "Een nieuw wachtwoord voor je Hersteldagboek"
    assert f"http://127.0.0.1:5000{path}" in text_of(message)
    assert f'href="http://127.0.0.1:5000{path}"' in html_of(message)
    assert message["Content-Language"] == "nl"

    form = client.get(path)
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert 'autocomplete="new-password"' in page and f'action="{path}"' in page
    assert form.headers["Cache-Control"] == "no-store"
    # The token goes to no other site; the page's own POST keeps the Referer Flask-WTF needs.
    assert form.headers["Referrer-Policy"] == "same-origin"
    done = client.post(path, data={"password": NEW_PASSWORD})
    assert done.status_code == 302 and done.location == "/"
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Je hebt een nieuw wachtwoord" in home
    assert client.get("/history").status_code == 200  # signed in
    # The link proved the address: it counts as confirmed now.
    assert verified_at(app) is not None

    other = app.test_client()
    assert other.post("/login", data={"email": KNOWN, "password": PASSWORD}).status_code == 401
    assert other.post("/login", data={"email": KNOWN, "password": NEW_PASSWORD}).status_code == 302


def test_a_link_works_once(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    accounts.create(KNOWN)
    path = reset_link(client, app)
    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302
    again = app.test_client()
    for answer in (again.get(path), again.post(path, data={"password": "and yet another one"})):
        assert answer.status_code == 404
        assert "Deze link werkt niet meer" in answer.get_data(as_text=True)
        assert 'href="/password/forgot"' in answer.get_data(as_text=True)
    assert again.post("/login", data={"email": KNOWN, "password": NEW_PASSWORD}).status_code == 302


def test_using_one_link_closes_the_older_ones(
    app: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    accounts.create(KNOWN)
    first, second = reset_link(client, app), reset_link(client, app)
    assert first != second
    assert client.get(first).status_code == 200  # both work until one is used
    assert client.post(second, data={"password": NEW_PASSWORD}).status_code == 302
    assert client.get(first).status_code == 404


@pytest.mark.parametrize(("minutes", "works"), [(59, True), (61, False)])
def test_a_link_works_for_an_hour(
    app: Flask, client: FlaskClient, accounts: Accounts, minutes: int, works: bool
) -> None:
    accounts.create(KNOWN)
    path = reset_link(client, app)
    app.config["FIXED_NOW"] = FROZEN_NOW + timedelta(minutes=minutes)
    assert client.get(path).status_code == (200 if works else 404)
    answer = client.post(path, data={"password": NEW_PASSWORD})
    assert answer.status_code == (302 if works else 404)
    app.config["FIXED_NOW"] = FROZEN_NOW
    expected = NEW_PASSWORD if works else PASSWORD
    assert app.test_client().post("/login", data={"email": KNOWN, "password": expected}).status_code == 302


@pytest.mark.parametrize("token", ["x", "a" * 43, "a" * 44, "%00", "%C2%B2"])
def test_any_other_token_gets_the_same_answer(client: FlaskClient, token: str) -> None:
    for answer in (client.get(RESET + token), client.post(RESET + token, data={"password": NEW_PASSWORD})):
        assert answer.status_code == 404
        assert "Deze link werkt niet meer" in answer.get_data(as_text=True)


def test_a_reset_ends_every_other_session(app: Flask, accounts: Accounts) -> None:
    accounts.create(KNOWN)
    laptop = app.test_client()
    assert laptop.post("/login", data={"email": KNOWN, "password": PASSWORD, "remember": "1"}).status_code == 302
    assert laptop.get("/history").status_code == 200
    phone = app.test_client()
    path = reset_link(phone, app)
    assert phone.post(path, data={"password": NEW_PASSWORD}).status_code == 302
    assert laptop.get("/history").status_code == 302  # session and remember-me cookie ended
    assert phone.get("/history").status_code == 200


def test_a_short_password_is_refused_and_the_link_still_works(
    app: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    accounts.create(KNOWN)
    path = reset_link(client, app)
    short = client.post(path, data={"password": "kort"})
    assert short.status_code == 422
    assert 'id="err-password"' in short.get_data(as_text=True)
    assert client.get("/history").status_code == 302  # not signed in
    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302


@pytest.mark.parametrize("email", ["", "geen-adres", "sanne\x00@example.org", "x" * 300 + "@example.org"])
def test_a_form_without_an_address_says_so(client: FlaskClient, app: Flask, email: str) -> None:
    answer = forgot(client, email)
    assert answer.status_code == 422
    assert 'id="err-email"' in answer.get_data(as_text=True)
    assert mails(app) == []


def test_only_the_hash_of_a_token_is_stored(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    accounts.create(KNOWN)
    token = reset_link(client, app).removeprefix(RESET)
    with app.app_context():
        [row] = db.session.scalars(select(AccountToken))
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert row.purpose == "password_reset"
        assert row.expires_at - row.created_at == timedelta(hours=1)
        for table in db.metadata.sorted_tables:
            for values in db.session.execute(select(table)):
                assert token not in repr(tuple(values))


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("nl", "Een nieuw wachtwoord voor je Hersteldagboek", "Deze link werkt één uur en één keer"),
        ("en", "A new password for your Recovery journal", "This link works for one hour, and once"),
    ],
)
def test_the_mail_is_in_the_persons_language(
    app: Flask, client: FlaskClient, accounts: Accounts, language: str, subject: str, words: str
) -> None:
    accounts.create(KNOWN, language=language)
    # The browser asks for the other language: the mail follows the account, not the request.
    other = "en" if language == "nl" else "nl"
    forgot(client, KNOWN, headers={"Accept-Language": other}, follow_redirects=True)
    [message] = mails(app)
    assert message["Subject"] == subject
    assert words in text_of(message) and words in html_of(message)
    assert message["Auto-Submitted"] == "auto-generated"
    assert f'<html lang="{language}">' in html_of(message)


def test_without_smtp_the_mail_is_a_private_file_and_its_link_is_logged(
    app: Flask, client: FlaskClient, accounts: Accounts, caplog: pytest.LogCaptureFixture
) -> None:
    accounts.create(KNOWN)
    caplog.set_level(logging.INFO, logger="journal.mail")
    path = reset_link(client, app)
    [file] = mail_folder(app).glob("*.eml")
    assert stat.S_IMODE(os.stat(file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(mail_folder(app)).st_mode) == 0o700
    [record] = [r for r in caplog.records if r.name == "journal.mail"]
    assert record.levelno == logging.INFO
    assert f"http://127.0.0.1:5000{path}" in record.getMessage()
    assert file.name in record.getMessage()
    assert KNOWN not in caplog.text and "sanne" not in caplog.text  # the link, not the address


@pytest.fixture
def inbox(app: Flask) -> Iterator[Inbox]:
    with smtp_server() as server:
        app.config["JOURNAL"].update(
            SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_STARTTLS=False,
            SMTP_FROM="Hersteldagboek <herstel@example.org>",
        )  # fmt: skip
        yield server


def test_end_to_end_over_smtp(app: Flask, client: FlaskClient, accounts: Accounts, inbox: Inbox) -> None:
    """A real SMTP conversation (aiosmtpd on 127.0.0.1): the link in the received mail resets
    the password and signs the person in."""
    accounts.create(KNOWN)
    forgot(client, KNOWN, follow_redirects=True)
    forgot(client, "nobody@example.org", follow_redirects=True)
    [message] = inbox.messages
    assert message["To"] == KNOWN
    assert message["From"] == "Hersteldagboek <herstel@example.org>"
    assert mails(app) == []  # nothing written to the folder when SMTP is there
    path = link_path(message, RESET)
    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302
    assert client.get("/history").status_code == 200


def test_a_failing_smtp_server_still_gives_the_same_answer(
    app: Flask, client: FlaskClient, accounts: Accounts, caplog: pytest.LogCaptureFixture
) -> None:
    accounts.create(KNOWN)
    app.config["JOURNAL"].update(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_STARTTLS=False)
    caplog.set_level(logging.INFO)
    answer = forgot(client, KNOWN, follow_redirects=True)
    assert answer.status_code == 200
    assert "journal.mail" in {r.name for r in caplog.records if r.levelno == logging.WARNING}
    assert KNOWN not in caplog.text


def test_deleting_the_account_removes_its_links(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    accounts.create(KNOWN)
    reset_link(client, app)
    accounts.login(KNOWN)
    assert client.post("/account/delete", data={"delete_password": PASSWORD}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AccountToken)) is None

