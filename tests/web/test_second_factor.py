"""The second factor (issue 20): set-up, the sign-in's code step, replayed and wrong codes,
recovery codes, a person turning it on and off, and the code step's rate limit."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from journal.extensions import db
from journal.models import RecoveryCode, SecondFactor, User
from journal.web.coach_auth import PENDING
from tests.conftest import FROZEN_NOW, PASSWORD, Accounts
from tests.web.coach_clients import (
    STEP,
    code_at,
    log_in,
    recovery_codes_on,
    secret_on,
    set_up_factor,
    text_of,
)
from tests.web.recovery import NEW_PASSWORD, link_path, mails

EMAIL = "sanne@example.org"
EN = {"Accept-Language": "en"}


@pytest.fixture
def person(app: Flask, accounts: Accounts) -> int:
    """Sanne, English, logged in, without a second factor yet."""
    user_id = accounts.create(EMAIL, language="en")
    assert accounts.login(EMAIL).status_code == 302
    return user_id


@pytest.fixture
def with_factor(client: FlaskClient, person: int) -> tuple[str, list[str]]:
    """Sanne with the factor on (confirmed at the frozen now's step), logged out again."""
    secret, codes = set_up_factor(client, "/account/security")
    client.post("/logout")
    return secret, codes


def test_the_set_up_page_shows_a_qr_code_and_the_key_in_groups(
    client: FlaskClient, person: int
) -> None:
    response = client.get("/account/security", headers=EN)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert '<svg role="img" aria-label="QR code to scan with your authenticator app"' in page
    shown = page.split("data-secret>")[1].split("<")[0]
    assert all(len(group) == 4 for group in shown.split(" ")[:-1])
    assert len(secret_on(page)) == 32
    # A reload shows the same key: the app may have scanned it already.
    assert secret_on(client.get("/account/security").get_data(as_text=True)) == secret_on(page)
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page


def test_a_wrong_first_code_turns_nothing_on(app: Flask, client: FlaskClient, person: int) -> None:
    secret = secret_on(client.get("/account/security").get_data(as_text=True))
    wrong = str((int(code_at(secret)) + 1) % 1_000_000).zfill(6)
    response = client.post("/account/security/confirm", data={"code": wrong}, headers=EN)
    assert response.status_code == 422
    assert "That code does not work" in text_of(response)
    assert secret_on(response.get_data(as_text=True)) == secret  # same key, try again
    with app.app_context():
        assert db.session.scalar(select(SecondFactor.user_id)) is None


def test_the_first_code_turns_it_on_and_shows_ten_recovery_codes_once(
    app: Flask, client: FlaskClient, person: int
) -> None:
    secret, codes = set_up_factor(client, "/account/security")
    assert len(set(codes)) == 10
    with app.app_context():
        factor = db.session.get(SecondFactor, person)
        assert factor is not None and factor.secret == secret and factor.confirmed_at == FROZEN_NOW
        stored = set(db.session.scalars(select(RecoveryCode.code_hash)))
    # Only hashes: no code is in the database as typed.
    assert stored == {hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in codes}
    again = client.get("/account/security", headers=EN).get_data(as_text=True)
    assert recovery_codes_on(again) == []
    assert "Two-step verification is on." in again and "You have 10 unused recovery codes." in again


def test_the_codes_download_as_a_text_file(client: FlaskClient, person: int) -> None:
    _secret, codes = set_up_factor(client, "/account/security")
    response = client.post(
        "/account/security/recovery-codes.txt", data={"code": [*codes, "<script>"]}, headers=EN
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert all(code in text for code in codes) and "<script>" not in text
    assert (
        client.post("/account/security/recovery-codes.txt", data={"code": "junk"}).status_code
        == 400
    )


def test_logging_in_with_a_factor_needs_the_code(
    client: FlaskClient, with_factor: tuple[str, list[str]]
) -> None:
    secret, _codes = with_factor
    response = log_in(client, EMAIL, remember="1")
    assert response.status_code == 302 and response.headers["Location"] == "/login/code"
    # Not signed in yet, and no remember-me cookie until the code is right.
    assert client.get("/account").headers["Location"].startswith("/login")
    assert client.get_cookie("remember_token") is None
    page = client.get("/login/code", headers=EN)
    assert "Code from your authenticator app" in text_of(page)
    wrong = client.post("/login/code", data={"code": "000000"}, headers=EN)
    assert wrong.status_code == 401
    assert "That code does not work" in text_of(wrong)
    done = client.post("/login/code", data={"code": code_at(secret, 1)})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get("/account").status_code == 200
    assert client.get_cookie("remember_token") is not None


def test_a_code_used_once_does_not_work_again(
    client: FlaskClient, with_factor: tuple[str, list[str]]
) -> None:
    secret, _codes = with_factor
    log_in(client, EMAIL)
    # The code that confirmed the set-up is spent already.
    assert client.post("/login/code", data={"code": code_at(secret)}).status_code == 401
    assert client.post("/login/code", data={"code": code_at(secret, 1)}).status_code == 302
    client.post("/logout")
    log_in(client, EMAIL)
    assert client.post("/login/code", data={"code": code_at(secret, 1)}).status_code == 401
    assert (
        client.post("/login/code", data={"code": code_at(secret, -1)}).status_code == 401
    )  # older
    assert (
        client.post("/login/code", data={"code": code_at(secret, 2)}).status_code == 401
    )  # too far ahead


def test_a_recovery_code_works_once(
    client: FlaskClient, with_factor: tuple[str, list[str]]
) -> None:
    _secret, codes = with_factor
    log_in(client, EMAIL)
    typed = " " + codes[3].lower().replace("-", " ") + " "  # as a person might type it
    done = client.post("/login/code", data={"code": typed, "use": "recovery"})
    assert done.status_code == 302
    assert "9 left" in text_of(client.get("/", headers=EN))
    client.post("/logout")
    log_in(client, EMAIL)
    again = client.post("/login/code", data={"code": codes[3], "use": "recovery"}, headers=EN)
    assert again.status_code == 401
    assert "That recovery code is not right, or it was used already." in text_of(again)
    assert client.post("/login/code", data={"code": codes[4]}).status_code == 302


def test_new_recovery_codes_need_a_current_code_and_replace_the_old(
    client: FlaskClient, with_factor: tuple[str, list[str]]
) -> None:
    secret, old = with_factor
    log_in(client, EMAIL)
    client.post("/login/code", data={"code": code_at(secret, 1)})
    # The code that signed in is spent: new codes need the next one.
    refused = client.post("/account/security/codes", data={"code": code_at(secret, 1)}, headers=EN)
    assert refused.status_code == 422 and 'id="err-regen_code"' in refused.get_data(as_text=True)
    client.application.config["FIXED_NOW"] = FROZEN_NOW + STEP  # half a minute on
    made = client.post("/account/security/codes", data={"code": code_at(secret, 2)})
    assert made.status_code == 200
    new = recovery_codes_on(made.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/logout")
    log_in(client, EMAIL)
    assert client.post("/login/code", data={"code": old[0]}).status_code == 401
    assert client.post("/login/code", data={"code": new[0]}).status_code == 302


def test_a_person_turns_the_factor_off_with_the_password(
    app: Flask, client: FlaskClient, with_factor: tuple[str, list[str]]
) -> None:
    secret, _codes = with_factor
    log_in(client, EMAIL)
    client.post("/login/code", data={"code": code_at(secret, 1)})
    account = client.get("/account", headers=EN).get_data(as_text=True)
    assert 'href="/account/security"' in account
    wrong = client.post("/account/security/off", data={"password": "not it"}, headers=EN)
    assert wrong.status_code == 422 and "That is not your current password." in text_of(wrong)
    off = client.post("/account/security/off", data={"password": PASSWORD})
    assert off.status_code == 302 and off.headers["Location"] == "/account"
    with app.app_context():
        assert db.session.scalar(select(SecondFactor.user_id)) is None
        assert db.session.scalar(select(RecoveryCode.id)) is None
    client.post("/logout")
    assert log_in(client, EMAIL).headers["Location"] == "/"  # the password alone again


def test_a_pending_sign_in_goes_stale(
    app: Flask, client: FlaskClient, with_factor: tuple[str, list[str]]
) -> None:
    secret, _codes = with_factor
    log_in(client, EMAIL)
    with client.session_transaction() as session:
        session[PENDING] = {**session[PENDING], "until": 0}
    response = client.post("/login/code", data={"code": code_at(secret, 1)}, headers=EN)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "the sign-in waited too long" in text_of(client.get("/login", headers=EN))
    assert client.get("/account").headers["Location"].startswith("/login")


def test_logging_out_everywhere_ends_a_pending_sign_in(
    app: Flask, client: FlaskClient, with_factor: tuple[str, list[str]]
) -> None:
    secret, _codes = with_factor
    log_in(client, EMAIL)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == EMAIL))
        assert user is not None
        user.rotate_session_token()
        db.session.commit()
    assert (
        client.post("/login/code", data={"code": code_at(secret, 1)}).headers["Location"]
        == "/login"
    )


class TestTheCodeStepIsRateLimited:
    @pytest.fixture
    def app_overrides(self) -> dict[str, Any]:
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}

    def test_the_11th_wrong_code_waits_even_with_the_right_one(
        self, client: FlaskClient, with_factor: tuple[str, list[str]]
    ) -> None:
        secret, _codes = with_factor
        log_in(client, EMAIL)
        for _ in range(10):
            assert client.post("/login/code", data={"code": "000000"}).status_code == 401
        limited = client.post("/login/code", data={"code": code_at(secret, 1)})
        assert limited.status_code == 429
        assert limited.headers["Retry-After"].isdigit()

    def test_guesses_from_many_addresses_at_one_account_add_up(
        self, client: FlaskClient, with_factor: tuple[str, list[str]]
    ) -> None:
        secret, _codes = with_factor
        log_in(client, EMAIL)
        for n in range(10):
            wrong = client.post(
                "/login/code",
                data={"code": "000000"},
                environ_base={"REMOTE_ADDR": f"203.0.113.{n}"},
            )
            assert wrong.status_code == 401
        limited = client.post(
            "/login/code",
            data={"code": code_at(secret, 1)},
            environ_base={"REMOTE_ADDR": "203.0.113.99"},
        )
        assert limited.status_code == 429


def test_a_mailed_password_reset_still_asks_the_code(
    app: Flask, client: FlaskClient, with_factor: tuple[str, list[str]]
) -> None:
    """Whoever reads the mailbox cannot get past the second factor by resetting the password."""
    secret, _codes = with_factor
    client.post("/password/forgot", data={"email": EMAIL}, follow_redirects=True)
    reset = link_path(mails(app)[-1], "/password/reset/")
    done = client.post(reset, data={"password": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/login/code"
    assert client.get("/account").headers["Location"].startswith("/login")  # not signed in
    assert client.post("/login/code", data={"code": code_at(secret, 1)}).headers["Location"] == "/"
    assert client.get("/account").status_code == 200


def test_deleting_the_account_deletes_the_factor_and_codes(
    app: Flask, client: FlaskClient, person: int
) -> None:
    set_up_factor(client, "/account/security")
    assert client.post("/account/delete", data={"delete_password": PASSWORD}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(SecondFactor.user_id)) is None
        assert db.session.scalar(select(RecoveryCode.id)) is None
