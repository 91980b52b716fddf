"""Registering signs the person in and mails a link that confirms the address (issue 19); a
gentle banner asks for it until then, and the address can be corrected while signed in."""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from journal.extensions import db
from journal.models import User
from tests.conftest import FROZEN_NOW, PASSWORD, Accounts
from tests.web.recovery import NEW_PASSWORD, html_of, link_path, mails, text_of

NEW = "anouk@example.org"
VERIFY = "/email/verify/"
BANNER_NL = "Bevestig je e-mailadres, zodat je altijd weer bij je dagboek kunt."


def register(client: FlaskClient, email: str = NEW, **kwargs: Any) -> Any:
    return client.post(
        "/register", data={"email": email, "password": NEW_PASSWORD, "timezone": "Europe/Amsterdam"}, **kwargs
    )


def user_of(app: Flask, email: str = NEW) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None
        db.session.expunge(user)
        return user


def test_registering_signs_the_person_in(app: Flask, client: FlaskClient) -> None:
    answer = register(client)
    assert answer.status_code == 302 and answer.location == "/welcome"  # first the welcome (issue 19)
    assert client.get("/history").status_code == 200  # no second trip through the login page
    assert user_of(app).email_verified_at is None


def test_registering_mails_a_link_that_confirms_the_address(app: Flask, client: FlaskClient) -> None:
    home = register(client, follow_redirects=True).get_data(as_text=True)
    assert BANNER_NL in home
    assert "We hebben een link gestuurd naar anouk@example.org" in home
    [message] = mails(app)
    assert message["To"] == NEW
    assert message["Subject"] == "Bevestig je e-mailadres voor je Hersteldagboek"
    path = link_path(message, VERIFY)
    assert f'href="http://127.0.0.1:5000{path}"' in html_of(message)
    assert "7 dagen" in text_of(message)

    confirmed = client.get(path, follow_redirects=True).get_data(as_text=True)
    assert "Je e-mailadres is bevestigd" in confirmed
    assert BANNER_NL not in confirmed
    assert user_of(app).email_verified_at == FROZEN_NOW
    assert BANNER_NL not in client.get("/history").get_data(as_text=True)


def test_the_banner_shows_on_every_page_until_confirmed(app: Flask, client: FlaskClient) -> None:
    register(client)
    for path in ("/", "/history", "/checkin", "/account"):
        page = client.get(path).get_data(as_text=True)
        assert BANNER_NL in page, path
        assert 'action="/email/resend"' in page and "Stuur opnieuw" in page


def test_a_confirmed_account_sees_no_banner(client: FlaskClient, logged_in: int) -> None:
    for path in ("/", "/history", "/account"):
        assert BANNER_NL not in client.get(path).get_data(as_text=True)


def test_the_link_works_without_signing_in_and_twice(app: Flask, client: FlaskClient) -> None:
    register(client, follow_redirects=True)
    path = link_path(mails(app)[0], VERIFY)
    elsewhere = app.test_client()  # the mail opened on another device, or by a mail scanner
    first = elsewhere.get(path)
    assert first.status_code == 302 and first.location == "/login"
    assert user_of(app).email_verified_at is not None
    again = elsewhere.get(path, follow_redirects=True)  # and then by the person
    assert again.status_code == 200
    assert "Je e-mailadres is bevestigd" in again.get_data(as_text=True)
    assert elsewhere.get("/history").status_code == 302  # the link signs nobody in


def test_a_link_works_for_seven_days(app: Flask, client: FlaskClient) -> None:
    register(client, follow_redirects=True)
    path = link_path(mails(app)[0], VERIFY)
    app.config["FIXED_NOW"] = FROZEN_NOW + timedelta(days=7, minutes=1)
    gone = client.get(path)
    assert gone.status_code == 404
    page = gone.get_data(as_text=True)
    assert "Deze link werkt niet meer" in page and 'action="/email/resend"' in page
    assert user_of(app).email_verified_at is None


def test_a_password_link_does_not_confirm_and_the_reverse(app: Flask, client: FlaskClient) -> None:
    register(client, follow_redirects=True)
    token = link_path(mails(app)[0], VERIFY).removeprefix(VERIFY)
    assert client.get(f"/password/reset/{token}").status_code == 404
    client.post("/logout")
    client.post("/password/forgot", data={"email": NEW}, follow_redirects=True)
    reset = link_path(mails(app)[-1], "/password/reset/").removeprefix("/password/reset/")
    assert client.get(f"{VERIFY}{reset}").status_code == 404
    assert user_of(app).email_verified_at is None


def test_send_again(app: Flask, client: FlaskClient) -> None:
    register(client, follow_redirects=True)
    answer = client.post("/email/resend", data={"next": "/history"}, follow_redirects=True)
    assert answer.request.path == "/history"
    assert "We hebben een nieuwe link gestuurd naar anouk@example.org" in answer.get_data(as_text=True)
    first, second = mails(app)
    assert link_path(first, VERIFY) != link_path(second, VERIFY)
    assert client.get(link_path(first, VERIFY)).status_code == 302  # the first still works
    assert user_of(app).email_verified_at is not None


def test_send_again_is_for_the_signed_in_only(client: FlaskClient, app: Flask) -> None:
    answer = client.post("/email/resend")
    assert answer.status_code == 302 and "/login" in answer.location
    assert mails(app) == []


def test_a_taken_address_is_sent_to_the_login_page(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    accounts.create("taken@example.org")
    answer = register(client, "taken@example.org")
    assert answer.status_code == 302
    assert answer.location == "/login?email=taken@example.org"
    page = client.get(answer.location).get_data(as_text=True)
    assert "Met dit adres is er al een account." in page
    assert 'href="/password/forgot?email=taken@example.org"' in page
    assert client.get("/history").status_code == 302  # not signed in
    assert mails(app) == []
    assert accounts.login("taken@example.org", PASSWORD).status_code == 302  # untouched


def test_the_address_can_be_corrected(app: Flask, client: FlaskClient) -> None:
    register(client, "anouk@exmaple.org", follow_redirects=True)  # a typo
    old_link = link_path(mails(app)[0], VERIFY)
    form = client.get("/email/change")
    assert form.status_code == 200
    refused = client.post("/email/change", data={"email": NEW, "current_password": "wrong password"})
    assert refused.status_code == 422
    assert 'id="err-current_password"' in refused.get_data(as_text=True)
    done = client.post("/email/change", data={"email": NEW, "current_password": NEW_PASSWORD})
    assert done.status_code == 302
    done.close()  # the mail leaves once the answer is closed
    user = user_of(app, NEW)
    assert user.email_verified_at is None
    assert mails(app)[-1]["To"] == NEW
    assert client.get(old_link).status_code == 404  # the old address's link confirms nothing
    assert client.get(link_path(mails(app)[-1], VERIFY)).status_code == 302
    assert user_of(app, NEW).email_verified_at is not None


def test_an_address_in_use_cannot_be_taken_over(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    accounts.create("taken@example.org")
    register(client)
    answer = client.post("/email/change", data={"email": "taken@example.org", "current_password": NEW_PASSWORD})
    assert answer.status_code == 422
    assert 'id="err-email"' in answer.get_data(as_text=True)
    assert user_of(app).email == NEW


def test_the_data_download_holds_the_confirmation(client: FlaskClient, app: Flask) -> None:
    register(client, follow_redirects=True)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data.zip").data))
    settings = json.loads(archive.read("settings.json"))
    assert settings["email_verified_at"] is None
    assert [link["purpose"] for link in settings["account_links"]] == ["email_verify"]
    client.get(link_path(mails(app)[0], VERIFY))
    settings = json.loads(zipfile.ZipFile(io.BytesIO(client.get("/account/data.zip").data)).read("settings.json"))
    assert settings["email_verified_at"] == FROZEN_NOW.isoformat()
    assert settings["account_links"][0]["used_at"] == FROZEN_NOW.isoformat()


@pytest.mark.parametrize(
    ("language", "subject"),
    [("nl", "Bevestig je e-mailadres voor je Hersteldagboek"), ("en", "Confirm your e-mail address for your Recovery journal")],
)
def test_the_mail_is_in_the_language_of_the_registration(
    app: Flask, client: FlaskClient, language: str, subject: str
) -> None:
    register(client, headers={"Accept-Language": language}, follow_redirects=True)
    [message] = mails(app)
    assert message["Subject"] == subject
    assert message["Content-Language"] == language


def test_the_demo_account_counts_as_confirmed(app: Flask, client: FlaskClient) -> None:
    """`flask demo` is run by whoever runs the app, for an address that gets no mail: no banner."""
    result = app.test_cli_runner().invoke(args=["demo", "--password", "demo-wachtwoord"])
    assert result.exit_code == 0, result.output
    assert user_of(app, "demo@example.org").email_verified_at is not None
    client.post("/login", data={"email": "demo@example.org", "password": "demo-wachtwoord"})
    assert BANNER_NL not in client.get("/history").get_data(as_text=True)


def test_the_mail_leaves_even_when_the_server_never_closes_the_response(
    app: Flask, accounts: Accounts
) -> None:
    """Outside TESTING the mail goes from a thread of its own: werkzeug's development server
    skips a response's close() when the browser resets the connection, and a mail hung on
    close() then silently never left."""
    accounts.create()
    app.testing = False
    environ = EnvironBuilder(
        path="/password/forgot", method="POST", data={"email": "sanne@example.org"}
    ).get_environ()
    body = app.wsgi_app(environ, lambda status, headers, exc_info=None: lambda data: None)
    assert body is not None  # answered, and never closed: as after a reset connection
    deadline = time.monotonic() + 10
    while not mails(app) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [m["To"] for m in mails(app)] == ["sanne@example.org"]
