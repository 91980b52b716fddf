"""Coach accounts (issue 20): registering as a coach, the coach's profile, and the guard on
every coach page (`coach_required`): signed out, a person, no factor, factor not passed in
this session, passed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from journal.extensions import db
from journal.models import CoachProfile, SecondFactor, User
from journal.store.second_factors import ALPHABET
from journal.web import coach_account
from journal.web.coach_auth import FACTOR_PASSED, coach_required, current_coach_profile
from tests.conftest import PASSWORD, Accounts, set_english
from tests.web.coach_clients import (
    COACH_EMAIL,
    code_at,
    log_in,
    register_coach,
    secret_on,
    set_up_factor,
    text_of,
)

GUARDED = "/coach/test-only"


@pytest.fixture
def guarded_client(app: Flask) -> FlaskClient:
    """A coach page made for the test alone, added before the app serves any request."""

    @coach_required
    def only_coaches() -> str:
        return f"coach page for {current_coach_profile().display_name}"

    app.add_url_rule(GUARDED, "test_only_coach_page", only_coaches)
    return app.test_client()


def _profile(app: Flask, email: str = COACH_EMAIL) -> CoachProfile:
    with app.app_context():
        profile = db.session.scalar(
            select(CoachProfile)
            .join(User, User.id == CoachProfile.user_id)
            .where(User.email == email)
        )
        assert profile is not None
        db.session.expunge(profile)
        return profile


def test_a_coach_registers_signs_in_and_is_sent_to_set_up_the_factor(
    app: Flask, client: FlaskClient
) -> None:
    response = register_coach(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/coach/security"
    profile = _profile(app)
    assert profile.display_name == "Marieke de Vries"
    assert profile.practice == "Praktijk Herstel"
    assert re.fullmatch(f"[{ALPHABET}]{{3}}-[{ALPHABET}]{{3}}", profile.code)
    with app.app_context():
        user = db.session.get(User, profile.user_id)
        assert user is not None and user.welcomed_at is not None  # no diary welcome for coaches
    page = client.get("/coach/security", headers={"Accept-Language": "en"})
    assert page.status_code == 200  # signed in
    text = text_of(page)
    assert "Welcome! One more thing before you can see clients" in text
    assert profile.code in text
    assert 'class="factor-secret"' in text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"display_name": ""}, "display_name", "Please give the name your clients know you by"),
        ({"display_name": "x" * 81}, "display_name", "at most 80 characters"),
        ({"practice": "a\nb"}, "practice", "one line of at most 120 characters"),
        ({"email": "not an address"}, "email", "Please enter a valid e-mail address."),
        ({"password": "short"}, "password", "at least 10 characters"),
    ],
)
def test_a_wrong_field_is_named_and_what_was_typed_stays(
    app: Flask, client: FlaskClient, fields: dict[str, str], field: str, message: str
) -> None:
    response = register_coach(client, **fields)
    assert response.status_code == 422
    text = text_of(response)
    assert message in text
    assert f'id="err-{field}"' in text
    if field != "email":
        assert 'value="coach@example.org"' in text
    if field != "display_name":
        assert 'value="Marieke de Vries"' in text
    with app.app_context():
        assert db.session.scalar(select(User.id)) is None


def test_a_taken_address_is_sent_to_log_in(
    app: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    accounts.create(COACH_EMAIL)
    response = register_coach(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?email=coach@example.org"
    with app.app_context():
        assert db.session.scalar(select(CoachProfile.user_id)) is None


def test_a_signed_in_person_is_told_to_log_out_first(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    set_english(app, logged_in)
    response = client.get("/coach/register", headers={"Accept-Language": "en"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Log out first to make a coach account" in text_of(
        client.get("/", headers={"Accept-Language": "en"})
    )


def test_a_new_code_skips_one_that_is_taken(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    register_coach(client)
    taken = _profile(app).code.replace("-", "")
    signs: Iterator[str] = iter(taken + "ABCDEF")
    monkeypatch.setattr(coach_account.secrets, "choice", lambda _alphabet: next(signs))
    with app.test_request_context():
        assert coach_account.new_coach_code() == "ABC-DEF"


# --- The guard ----------------------------------------------------------------------------


def test_signed_out_goes_to_log_in_and_comes_back(guarded_client: FlaskClient) -> None:
    response = guarded_client.get(GUARDED)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fcoach%2Ftest-only"


def test_a_person_is_not_told_coach_pages_exist(
    guarded_client: FlaskClient, accounts: Accounts
) -> None:
    accounts.create()
    assert log_in(guarded_client, "sanne@example.org").status_code == 302
    assert guarded_client.get(GUARDED).status_code == 404
    assert guarded_client.get("/coach/security").status_code == 404


def test_a_coach_without_a_factor_is_sent_to_set_it_up(guarded_client: FlaskClient) -> None:
    register_coach(guarded_client)
    response = guarded_client.get(GUARDED, headers={"Accept-Language": "en"})
    assert response.status_code == 302 and response.headers["Location"] == "/coach/security"
    page = text_of(guarded_client.get("/coach/security", headers={"Accept-Language": "en"}))
    assert "Set up two-step verification first" in page


def test_a_session_that_did_not_pass_the_factor_goes_to_the_code_step(
    guarded_client: FlaskClient,
) -> None:
    register_coach(guarded_client)
    secret, _codes = set_up_factor(guarded_client)
    assert guarded_client.get(GUARDED).status_code == 200  # typing the first code passed it
    with guarded_client.session_transaction() as session:
        session.pop(FACTOR_PASSED)  # as a session restored by a remember-me cookie
    response = guarded_client.get(GUARDED)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login/code?next=/coach/test-only"
    # The security page, where the factor could be replaced, waits for the code too.
    assert guarded_client.get("/coach/security").headers["Location"].startswith("/login/code")
    passed = guarded_client.post("/login/code", data={"code": code_at(secret, 1), "next": GUARDED})
    assert passed.status_code == 302 and passed.headers["Location"] == GUARDED
    page = guarded_client.get(GUARDED)
    assert page.status_code == 200
    assert page.get_data(as_text=True) == "coach page for Marieke de Vries"


def test_a_coach_logging_in_needs_the_code_and_then_is_in(guarded_client: FlaskClient) -> None:
    register_coach(guarded_client)
    secret, _codes = set_up_factor(guarded_client)
    guarded_client.post("/logout")
    response = log_in(guarded_client, next=GUARDED)
    assert response.headers["Location"] == "/login/code"
    assert guarded_client.get(GUARDED).headers["Location"].startswith("/login?next=")
    done = guarded_client.post("/login/code", data={"code": code_at(secret, 1)})
    assert done.headers["Location"] == GUARDED
    assert guarded_client.get(GUARDED).status_code == 200


def test_a_coach_without_a_page_to_return_to_starts_at_the_caseload(client: FlaskClient) -> None:
    register_coach(client)
    secret, _codes = set_up_factor(client)
    client.post("/logout")
    assert log_in(client).headers["Location"] == "/login/code"
    assert (
        client.post("/login/code", data={"code": code_at(secret, 1)}).headers["Location"]
        == "/coach"
    )


# --- The profile and the factor's rules for coaches ------------------------------------------


@pytest.fixture
def coach(app: Flask, client: FlaskClient) -> str:
    """A registered coach with the factor set up and passed; the secret."""
    register_coach(client)
    secret, _codes = set_up_factor(client)
    return secret


def test_the_coach_edits_name_and_practice(app: Flask, client: FlaskClient, coach: str) -> None:
    saved = client.post("/coach/profile", data={"display_name": "Marieke", "practice": ""})
    assert saved.status_code == 302 and saved.headers["Location"] == "/coach/security#profile"
    profile = _profile(app)
    assert (profile.display_name, profile.practice) == ("Marieke", "")
    refused = client.post("/coach/profile", data={"display_name": " ", "practice": "Elders"})
    assert refused.status_code == 422
    assert 'value="Elders"' in refused.get_data(as_text=True)
    assert _profile(app).display_name == "Marieke"


def test_a_coach_cannot_turn_the_factor_off(app: Flask, client: FlaskClient, coach: str) -> None:
    page = client.get("/coach/security", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "/account/security/off" not in page
    response = client.post("/account/security/off", data={"password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/coach/security"
    assert client.get("/account/security").headers["Location"] == "/coach/security"
    with app.app_context():
        assert db.session.scalar(select(SecondFactor.confirmed_at)) is not None


def test_a_coach_replaces_the_app_and_the_old_one_stops_working(
    app: Flask, client: FlaskClient, coach: str
) -> None:
    started = client.post("/coach/security/replace")
    assert started.headers["Location"] == "/coach/security#setup"
    page = client.get("/coach/security", headers={"Accept-Language": "en"}).get_data(as_text=True)
    new = secret_on(page)
    assert new != coach
    assert (
        client.post("/coach/security/confirm", data={"code": code_at(coach, 1)}).status_code == 422
    )
    assert client.post("/coach/security/confirm", data={"code": code_at(new, 1)}).status_code == 302
    assert "Your recovery codes stay the same" in text_of(
        client.get("/coach/security", headers={"Accept-Language": "en"})
    )
    client.post("/logout")
    log_in(client)
    assert client.post("/login/code", data={"code": code_at(coach, -1)}).status_code == 401
    assert (
        client.post("/login/code", data={"code": code_at(new, -1)}).status_code == 401
    )  # older than the confirm
    with app.app_context():
        profile_id = _profile(app).user_id
        factor = db.session.get(SecondFactor, profile_id)
        assert factor is not None and factor.secret == new
