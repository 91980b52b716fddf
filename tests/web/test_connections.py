"""The person's side of a connection with a coach (issue 20), on /share: inviting by address
or code with the same answer whatever was typed, the scope in plain words before confirming,
the connection with its view log, ending it, and the data download."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from flask import Flask
from flask.testing import FlaskClient

from journal.models import CoachConnection, ConnectionNote
from tests.web.coach_clients import (
    Coach,
    accept_all,
    coach_login,
    connections_of,
    invite,
)
from tests.web.sharing import count, note_ids

SENT = "If this address or code belongs to a coach, they now see your invitation."


def test_the_share_page_offers_to_connect_a_coach(client: FlaskClient, person: int) -> None:
    page = client.get("/share").get_data(as_text=True)
    assert "Connect your coach" in page
    assert 'name="coach"' in page and 'name="client_name"' in page
    # The later parts are off unless ticked.
    assert 'name="include_people" value="1">' in page
    assert 'name="include_phase" value="1">' in page


@pytest.mark.parametrize(
    "typed", ["anna@praktijk.example", " ANNA@praktijk.example ", "k7m-4qx", "K7M4QX"]
)
def test_invite_by_address_or_code(
    app: Flask, client: FlaskClient, person: int, coach: Coach, typed: str
) -> None:
    response = invite(client, typed)
    assert response.status_code == 302
    assert response.headers["Location"] == "/share#h-coach"
    (connection,) = connections_of(app, person)
    assert connection.coach_id == coach.id
    assert connection.client_name == "Sanne"
    assert connection.accepted_at is None and connection.ended_at is None


def test_the_answer_is_the_same_for_an_address_that_is_no_coach(
    app: Flask, client: FlaskClient, person: int, coach: Coach
) -> None:
    known = invite(client, coach.email)
    known_page = client.get("/share").get_data(as_text=True)
    unknown = invite(client, "nobody@example.org")
    unknown_page = client.get("/share").get_data(as_text=True)
    person_only = invite(client, "sanne@example.org")  # an account, but not a coach's
    assert known.status_code == unknown.status_code == person_only.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert SENT in known_page and SENT in unknown_page
    # The pending invitation is not shown: the page reads alike either way.
    assert "anna@praktijk.example" not in known_page
    assert "Coach Anna" not in known_page
    assert len(connections_of(app, person)) == 1


def test_the_scope_is_shown_in_plain_words_before_anything_is_sent(
    app: Flask, client: FlaskClient, person: int, coach: Coach
) -> None:
    notes = note_ids(app, person)
    data = {
        "coach": coach.email,
        "client_name": "Sanne",
        "period": "last_8_weeks",
        "include_notes": "1",
        "notes": [str(notes[2])],
        "include_phase": "1",
    }
    review = client.post("/share/coach", data=data)
    text = review.get_data(as_text=True)
    assert review.status_code == 200
    assert "Check what your coach will see" in text
    assert "The last 8 weeks, rolling" in text
    assert "1 note you ticked" in text and "Notitie 2 dagen terug" in text
    assert "your recovery phase and what is going on" in text
    assert "not shared" in text  # the support network
    assert connections_of(app, person) == []
    # "Change something" brings the form back as it was typed.
    again = client.post("/share/coach", data={**data, "confirm": "edit"})
    assert again.status_code == 200
    page = again.get_data(as_text=True)
    assert 'value="Sanne"' in page and 'value="last_8_weeks" checked' in page
    assert connections_of(app, person) == []
    client.post("/share/coach", data={**data, "confirm": "1"})
    (connection,) = connections_of(app, person)
    assert (connection.period, connection.include_notes) == ("last_8_weeks", True)
    assert (connection.include_people, connection.include_phase) == (False, True)
    assert count(app, ConnectionNote) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("coach", "", "Please type your coach's e-mail address or coach code."),
        ("client_name", "", "Please type the name your coach will see"),
        ("client_name", "x" * 61, "Please keep the name to 60 characters."),
        ("client_name", "a\nb", "cannot be stored"),
        ("period", "forever", "Please choose one of the options."),
    ],
)
def test_bad_input_is_named_on_the_same_page_and_kept(
    app: Flask, client: FlaskClient, person: int, field: str, value: str, message: str
) -> None:
    data = {"coach": "anna@praktijk.example", "client_name": "Sanne", "period": "everything"}
    response = client.post("/share/coach", data={**data, field: value, "confirm": "1"})
    assert response.status_code == 422
    text = response.get_data(as_text=True).replace("&#39;", "'")
    assert message in text
    if field != "coach":
        assert 'value="anna@praktijk.example"' in text
    assert connections_of(app, person) == []


def test_someone_elses_notes_are_never_attached(
    app: Flask, client: FlaskClient, person: int, coach: Coach, accounts: object
) -> None:
    invite(client, coach.email, include_notes="1", notes=["999999", "abc"])
    (connection,) = connections_of(app, person)
    assert connection.include_notes is False
    assert count(app, ConnectionNote) == 0


def test_a_pending_invitation_takes_the_new_scope_an_accepted_one_stays(
    app: Flask, client: FlaskClient, person: int, coach: Coach, coach_client: FlaskClient
) -> None:
    invite(client, coach.email, period="everything")
    invite(client, coach.code, period="last_8_weeks", client_name="S.")
    (pending,) = connections_of(app, person)
    assert (pending.period, pending.client_name) == ("last_8_weeks", "S.")
    accept_all(coach_client, app, coach)
    invite(client, coach.email, period="everything")
    (accepted,) = connections_of(app, person)
    assert accepted.period == "last_8_weeks"


def test_the_connection_its_scope_and_its_view_log(
    app: Flask, client: FlaskClient, person: int, coach: Coach, coach_client: FlaskClient
) -> None:
    invite(client, coach.email, period="from_connecting", include_people="1")
    accept_all(coach_client, app, coach)
    (connection,) = connections_of(app, person)
    page = client.get("/share").get_data(as_text=True)
    assert "Coach Anna" in page and "Praktijk Rust" in page and "connected" in page
    assert "From 10 March 2026 on: only what was filled in after connecting" in page
    assert "The counts of the support network" in page
    assert "Not opened yet." in page
    assert coach_client.get(f"/coach/clients/{connection.id}").status_code == 200
    assert coach_client.get(f"/coach/clients/{connection.id}.pdf").status_code == 200
    page = client.get("/share").get_data(as_text=True)
    assert "Opened 2 times" in page
    assert "10 Mar 2026, 08:30 · page" in page and "10 Mar 2026, 08:30 · PDF" in page


def test_ending_a_connection(
    app: Flask, client: FlaskClient, person: int, coach: Coach, coach_client: FlaskClient
) -> None:
    invite(client, coach.email)
    accept_all(coach_client, app, coach)
    (connection,) = connections_of(app, person)
    response = client.post(f"/share/coach/{connection.id}/end")
    assert response.status_code == 302
    (ended,) = connections_of(app, person)
    assert ended.ended_at is not None
    page = client.get("/share").get_data(as_text=True)
    assert "Your coach sees nothing of your diary any more." in page
    assert "ended" in page and f"/share/coach/{connection.id}/end" not in page
    # Someone else's connection, or none: 404.
    assert client.post("/share/coach/999/end").status_code == 404


def test_withdrawing_invitations_not_accepted(
    app: Flask, client: FlaskClient, person: int, coach: Coach
) -> None:
    invite(client, coach.email)
    assert client.post("/share/coach/withdraw").status_code == 302
    (connection,) = connections_of(app, person)
    assert connection.ended_at is not None and connection.accepted_at is None


def test_a_coach_cannot_invite_themself(app: Flask, coach: Coach) -> None:
    client = app.test_client()
    coach_login(client, coach)
    invite(client, coach.email)
    assert connections_of(app, coach.id) == []


def test_the_data_download_holds_the_connections_and_their_views(
    app: Flask, client: FlaskClient, person: int, coach: Coach, coach_client: FlaskClient
) -> None:
    invite(client, coach.email, period="last_8_weeks")
    accept_all(coach_client, app, coach)
    (connection,) = connections_of(app, person)
    coach_client.get(f"/coach/clients/{connection.id}")
    invite(client, "other.coach@example.org")  # no coach: nothing stored, nothing listed
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data.zip").data))
    (shown,) = json.loads(archive.read("coach_connections.json"))
    assert shown["coach"] == "Coach Anna" and shown["period"] == "last_8_weeks"
    assert shown["your_name_for_the_coach"] == "Sanne"
    assert [v["kind"] for v in shown["views"]] == ["page"]
    assert shown["views"][0]["viewed_at"].startswith("2026-03-10T07:30")


def test_the_share_link_still_works_beside_connections(
    app: Flask, client: FlaskClient, person: int, coach: Coach
) -> None:
    from tests.web.sharing import make_link

    invite(client, coach.email)
    url, _token = make_link(client)
    assert app.test_client().get(url).status_code == 200
    assert count(app, CoachConnection) == 1
