"""Who may open a client's summary (issue 20): only the coach of an accepted, not ended
connection, only within its scope, and never after a disconnect or an account deletion, from
the very next request. Every opening is logged for the client."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from journal.domain.checkin import CheckIn
from journal.models import CoachConnection, ConnectionNote, ConnectionView
from journal.store import connections
from tests.conftest import PASSWORD, store_diary
from tests.web.coach_clients import (
    TODAY,
    Coach,
    accept_all,
    calm_diary,
    coach_login,
    connect,
    connections_of,
    invite,
    make_coach,
)
from tests.web.sharing import count, note_ids, note_text


@pytest.fixture
def connected(
    app: Flask, client: FlaskClient, person: int, coach: Coach, coach_client: FlaskClient
) -> int:
    """Sanne (8 weeks of diary, logged in on `client`) connected to Anna; the connection id."""
    invite(client, coach.email)
    accept_all(coach_client, app, coach)
    (connection,) = connections_of(app, person)
    return connection.id


def pages(connection_id: int) -> list[str]:
    return [f"/coach/clients/{connection_id}", f"/coach/clients/{connection_id}.pdf"]


def test_the_coach_opens_the_summary_and_each_opening_is_logged(
    app: Flask, coach_client: FlaskClient, connected: int
) -> None:
    page = coach_client.get(f"/coach/clients/{connected}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Coach summary" in text and "Sanne" in text
    assert "{# issue 21/22 parts #}" not in text  # a template comment, never sent
    assert page.headers["Cache-Control"] == "no-store"
    pdf = coach_client.get(f"/coach/clients/{connected}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    coach_client.head(f"/coach/clients/{connected}")  # shows nothing, logs nothing
    assert count(app, ConnectionView) == 2


def test_coach_b_cannot_open_coach_as_client(app: Flask, connected: int) -> None:
    other = make_coach(app, "bert@elders.example", name="Bert", code="BRT-777")
    client = app.test_client()
    coach_login(client, other)
    for path in pages(connected):
        assert client.get(path).status_code == 404
    assert (
        client.post(f"/coach/invitations/{connected}", data={"answer": "decline"}).status_code
        == 404
    )
    assert count(app, ConnectionView) == 0


def test_an_invitation_not_accepted_opens_nothing(
    app: Flask, client: FlaskClient, person: int, coach: Coach, coach_client: FlaskClient
) -> None:
    invite(client, coach.email)
    (pending,) = connections_of(app, person)
    for path in pages(pending.id):
        assert coach_client.get(path).status_code == 404
    coach_client.post(f"/coach/invitations/{pending.id}", data={"answer": "decline"})
    for path in pages(pending.id):
        assert coach_client.get(path).status_code == 404


def test_a_disconnect_closes_page_and_pdf_at_once(
    app: Flask, client: FlaskClient, coach_client: FlaskClient, connected: int
) -> None:
    assert coach_client.get(f"/coach/clients/{connected}").status_code == 200
    client.post(f"/share/coach/{connected}/end")
    for path in pages(connected):
        assert coach_client.get(path).status_code == 404
    assert "Sanne" not in coach_client.get("/coach").get_data(as_text=True)


def test_an_account_deletion_closes_everything_and_leaves_no_row(
    app: Flask, client: FlaskClient, coach_client: FlaskClient, connected: int
) -> None:
    coach_client.get(f"/coach/clients/{connected}")
    assert count(app, ConnectionView) == 1
    deleted = client.post("/account/delete", data={"delete_password": PASSWORD})
    assert deleted.status_code == 302
    for path in pages(connected):
        assert coach_client.get(path).status_code == 404
    assert count(app, CoachConnection) == count(app, ConnectionView) == 0
    assert count(app, ConnectionNote) == 0


def test_a_deleted_coach_takes_the_connections_along(
    app: Flask, coach_client: FlaskClient, connected: int
) -> None:
    coach_client.post("/account/delete", data={"delete_password": PASSWORD})
    assert count(app, CoachConnection) == 0


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[Sequence[CheckIn]]:
    """The records the summary's domain function is handed, per call."""
    calls: list[Sequence[CheckIn]] = []
    real = connections.coach_summary

    def spy(records: Sequence[CheckIn], *args: Any, **kwargs: Any) -> Any:
        calls.append(records)
        return real(records, *args, **kwargs)

    monkeypatch.setattr(connections, "coach_summary", spy)
    return calls


@pytest.mark.parametrize(
    ("period", "starts_on", "earliest"),
    [
        ("last_8_weeks", TODAY - timedelta(days=300), TODAY - timedelta(days=55)),
        ("from_connecting", TODAY - timedelta(days=20), TODAY - timedelta(days=20)),
        ("everything", TODAY, None),
    ],
)
def test_the_domain_never_sees_a_day_outside_the_scope(
    app: Flask,
    person: int,
    coach: Coach,
    coach_client: FlaskClient,
    seen: list[Sequence[CheckIn]],
    period: str,
    starts_on: date,
    earliest: date | None,
) -> None:
    store_diary(app, person, calm_diary(30, TODAY - timedelta(days=56)))  # older than 8 weeks
    connection_id = connect(app, person, coach, "Sanne", period=period, starts_on=starts_on)
    assert coach_client.get(f"/coach/clients/{connection_id}").status_code == 200
    (records,) = seen
    first = min(r.date for r in records)
    if earliest is None:
        assert first == TODAY - timedelta(days=85)  # the whole diary's first day
    else:
        assert first >= earliest


def test_notes_only_those_shared_and_inside_the_scope(
    app: Flask, client: FlaskClient, person: int, coach: Coach, coach_client: FlaskClient
) -> None:
    notes = note_ids(app, person)
    invite(client, coach.email, include_notes="1", notes=[str(notes[2]), str(notes[9])])
    accept_all(coach_client, app, coach)
    (connection,) = connections_of(app, person)
    text = coach_client.get(f"/coach/clients/{connection.id}").get_data(as_text=True)
    assert note_text(2) in text and note_text(9) in text and note_text(20) not in text
    # The same notes, but connected from 5 days ago on: the 9-day-old note is outside.
    with app.app_context():
        from journal.extensions import db

        row = db.session.get(CoachConnection, connection.id)
        assert row is not None
        row.period, row.starts_on = "from_connecting", TODAY - timedelta(days=5)
        db.session.commit()
    text = coach_client.get(f"/coach/clients/{connection.id}").get_data(as_text=True)
    assert note_text(2) in text and note_text(9) not in text
