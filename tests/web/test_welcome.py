"""The first-run welcome (issue 19): shown after registering and on sign-ins until the person
finishes or skips it, three screens that work without JavaScript, reachable again from the
account page."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from journal.extensions import db
from journal.models import User
from tests.conftest import FROZEN_NOW, Accounts, set_english
from tests.web.recovery import NEW_PASSWORD, link_path, mails

SCREENS = {
    1: "A short check-in each morning",
    2: "Your Recovery score and your normal",
    3: "Private, and shared on your terms",
}
DUTCH = {1: "Elke ochtend een korte check-in", 3: "Privé, en delen als jij dat wilt"}


def welcomed_at(app: Flask, user_id: int) -> datetime | None:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        return user.welcomed_at


@pytest.fixture
def newcomer(app: Flask, accounts: Accounts) -> int:
    """An account that has not seen the welcome yet, in English."""
    user_id = accounts.create(welcomed_at=None)
    set_english(app, user_id)
    return user_id


def test_registering_leads_to_the_welcome(client: FlaskClient) -> None:
    answer = client.post(
        "/register", data={"email": "nieuw@example.org", "password": "tien tekens!"}
    )
    assert answer.status_code == 302 and answer.location == "/welcome"
    page = client.get("/welcome").get_data(as_text=True)
    assert DUTCH[1] in page and "Stap 1 van 3" in page


def test_the_welcome_comes_on_sign_in_until_it_is_skipped(
    app: Flask, client: FlaskClient, accounts: Accounts, newcomer: int
) -> None:
    assert accounts.login().location == "/welcome"
    accounts.logout()
    # Not seen to its end yet: the next sign-in shows it again.
    assert accounts.login().location == "/welcome"
    assert welcomed_at(app, newcomer) is None
    skipped = client.post("/welcome/done", data={"leave": "skip"})
    assert skipped.status_code == 303 and skipped.location == "/"
    assert welcomed_at(app, newcomer) == FROZEN_NOW
    accounts.logout()
    assert accounts.login().location == "/"  # once is enough


def test_a_sign_in_on_its_way_somewhere_goes_there_after_skipping(
    client: FlaskClient, newcomer: int
) -> None:
    answer = client.post(
        "/login",
        data={"email": "sanne@example.org", "password": "correct horse battery", "next": "/week"},
    )
    assert answer.location == "/welcome?next=/week"
    page = client.get(answer.location).get_data(as_text=True)
    assert 'href="/welcome/2?next=/week"' in page and 'name="next" value="/week"' in page
    assert client.post("/welcome/done", data={"leave": "skip", "next": "/week"}).location == "/week"


def test_a_new_password_by_the_mailed_link_also_leads_to_the_welcome(
    app: Flask, client: FlaskClient, newcomer: int
) -> None:
    """The reset signs in, as the login does: the same way there (journal.web.auth)."""
    client.post("/password/forgot", data={"email": "sanne@example.org"}, follow_redirects=True)
    path = link_path(mails(app)[-1], "/password/reset/")
    assert client.post(path, data={"password": NEW_PASSWORD}).location == "/welcome"


def test_a_welcomed_account_signs_in_to_home(accounts: Accounts) -> None:
    accounts.create()
    assert accounts.login().location == "/"


def test_three_screens_then_the_check_in(
    app: Flask, client: FlaskClient, accounts: Accounts, newcomer: int
) -> None:
    accounts.login()
    for number, heading in SCREENS.items():
        # /welcome/1 is /welcome (Flask redirects the one to the other).
        page = client.get(f"/welcome/{number}", follow_redirects=True).get_data(as_text=True)
        assert f'<h1 id="welcome-title">{heading}</h1>' in page
        assert f"Step {number} of 3" in page
        # Plain links and a form: no JavaScript needed to go on or to leave.
        assert (f'href="/welcome/{number + 1}"' in page) == (number < 3)
        assert ('value="skip">Skip</button>' in page) == (number < 3)
        assert ('value="finish">To the check-in</button>' in page) == (number == 3)
        assert 'name="csrf_token"' in page
    last = client.get("/welcome/3").get_data(as_text=True)
    assert "113" in last and "112" in last
    assert "Put Recovery journal on your home screen" in last  # the install line
    finished = client.post("/welcome/done", data={"leave": "finish"})
    assert finished.status_code == 303 and finished.location == "/checkin"
    assert welcomed_at(app, newcomer) == FROZEN_NOW


@pytest.mark.parametrize("number", [0, 4])
def test_no_screen_beyond_the_three(client: FlaskClient, logged_in: int, number: int) -> None:
    assert client.get(f"/welcome/{number}").status_code == 404


def test_the_welcome_is_for_signed_in_people(client: FlaskClient) -> None:
    assert client.get("/welcome").location.startswith("/login")
    assert client.post("/welcome/done").location.startswith("/login")


def test_reachable_again_from_the_account_page_without_changing_anything(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    before = welcomed_at(app, logged_in)
    account = client.get("/account").get_data(as_text=True)
    assert 'href="/welcome">Uitleg opnieuw bekijken</a>' in account
    assert client.get("/welcome").status_code == 200
    client.post("/welcome/done", data={"leave": "skip"})
    assert welcomed_at(app, logged_in) == before


def test_leaving_needs_the_csrf_token(
    app: Flask, client: FlaskClient, accounts: Accounts, newcomer: int
) -> None:
    accounts.login()
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/welcome/done", data={"leave": "skip"}).status_code == 400
    assert welcomed_at(app, newcomer) is None
