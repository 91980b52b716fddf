"""The coach's caseload at /coach (issue 20): invitations to accept or decline, one row per
connected client in the order of who is worth a look, a fixed number of queries whatever the
number of clients, the empty caseload, the digest switch, and the page in Dutch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from journal.demo import demo_diary
from journal.extensions import db
from journal.models import CoachProfile
from tests.web.coach_clients import (
    TODAY,
    Coach,
    calm_diary,
    client_person,
    coach_login,
    connect,
    connections_of,
    make_coach,
)


def names_in_order(page: str) -> list[str]:
    return re.findall(r'<h3><a href="/coach/clients/\d+">([^<]+)</a></h3>', page)


def test_an_empty_caseload_says_how_clients_invite(coach_client: FlaskClient, coach: Coach) -> None:
    page = coach_client.get("/coach").get_data(as_text=True)
    assert "No clients yet." in page
    assert coach.code in page


def test_coach_pages_have_the_coachs_own_navigation(coach_client: FlaskClient) -> None:
    page = coach_client.get("/coach").get_data(as_text=True)
    nav = page[page.index('<nav aria-label="Main">') : page.index("</nav>")]
    assert 'href="/coach" aria-current="page">Clients</a>' in nav
    assert 'href="/coach/security"' in nav
    assert "/checkin" not in nav  # the person's diary is not what a coach came for


def test_invitations_are_accepted_or_declined(
    app: Flask, coach_client: FlaskClient, coach: Coach
) -> None:
    sanne = client_person(app, "sanne@example.org", calm_diary(30, TODAY))
    bram = client_person(app, "bram@example.org", calm_diary(30, TODAY))
    first = connect(app, sanne, coach, "Sanne", period="last_8_weeks", accepted=False)
    second = connect(app, bram, coach, "Bram", accepted=False)
    page = coach_client.get("/coach").get_data(as_text=True)
    assert "Invitations" in page and "Sanne" in page and "Bram" in page
    assert "The last 8 weeks, rolling" in page
    assert "sanne@example.org" not in page  # never the client's address
    assert names_in_order(page) == []  # not in the caseload before accepting

    assert (
        coach_client.post(f"/coach/invitations/{first}", data={"answer": "accept"}).status_code
        == 302
    )
    assert (
        coach_client.post(f"/coach/invitations/{second}", data={"answer": "decline"}).status_code
        == 302
    )
    page = coach_client.get("/coach").get_data(as_text=True)
    assert names_in_order(page) == ["Sanne"]
    assert "<h3>Bram</h3>" not in page and "You declined the invitation of Bram." in page
    (declined,) = connections_of(app, bram)
    assert declined.ended_at is not None and declined.accepted_at is None
    # Answered once: a second answer, or an unknown answer, changes nothing.
    assert (
        coach_client.post(f"/coach/invitations/{second}", data={"answer": "accept"}).status_code
        == 404
    )
    assert (
        coach_client.post(f"/coach/invitations/{first}", data={"answer": "maybe"}).status_code
        == 400
    )


def test_the_caseload_is_sorted_by_who_is_worth_a_look(
    app: Flask, coach_client: FlaskClient, coach: Coach
) -> None:
    calm = client_person(app, "calm@example.org", calm_diary(60, TODAY))
    quiet = client_person(app, "quiet@example.org", calm_diary(60, TODAY - timedelta(days=5)))
    signpost = client_person(app, "signpost@example.org", demo_diary(TODAY))
    new = client_person(app, "new@example.org", [])
    connect(app, calm, coach, "Calm")
    connect(app, quiet, coach, "Quiet")
    connect(app, signpost, coach, "Signpost")
    connect(app, new, coach, "New", period="from_connecting", starts_on=TODAY)
    page = coach_client.get("/coach").get_data(as_text=True)
    assert names_in_order(page) == ["Signpost", "Quiet", "Calm", "New"]
    rows = page.split('<li class="client ')[1:]
    assert "Signpost active" in rows[0] and 'class="signpost"' in rows[0]
    assert "5 days ago" in rows[1] and "3 days or more without a check-in" in rows[1]
    assert "today" in rows[2] and "of 7 days" in rows[2]
    assert "no check-in yet" in rows[3]
    # The trend is an arrow and words against the client's own usual level, never a score.
    assert "Recovery score as usual" in rows[2] and "→" in rows[2]


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def caseload_queries(app: Flask, clients: int) -> int:
    coach = make_coach(app, f"coach{clients}@example.org", code=f"Q{clients:02d}-AAA")
    for n in range(clients):
        person = client_person(app, f"c{clients}-{n}@example.org", calm_diary(60, TODAY))
        connect(app, person, coach, f"Client {n}")
    client = app.test_client()
    coach_login(client, coach)
    client.get("/coach")  # warm: the first request of a client loads what every one does
    with statements(app) as seen:
        response = client.get("/coach")
    assert response.status_code == 200
    assert len(names_in_order(response.get_data(as_text=True))) == clients
    return len(seen)


def test_the_caseload_reads_a_fixed_number_of_queries(app: Flask) -> None:
    assert caseload_queries(app, 3) == caseload_queries(app, 12)


def test_the_digest_switch(app: Flask, coach_client: FlaskClient, coach: Coach) -> None:
    assert "Turn the weekly e-mail off" in coach_client.get("/coach").get_data(as_text=True)
    coach_client.post("/coach/digest", data={"enabled": "0"})
    with app.app_context():
        assert db.session.scalar(select(CoachProfile.digest_enabled)) is False
    page = coach_client.get("/coach").get_data(as_text=True)
    assert "The weekly e-mail is off." in page and "Turn the weekly e-mail on" in page
    coach_client.post("/coach/digest", data={"enabled": "1"})
    with app.app_context():
        assert db.session.scalar(select(CoachProfile.digest_enabled)) is True


def test_the_caseload_in_dutch(app: Flask) -> None:
    coach = make_coach(app, "nl@praktijk.example", language="nl")
    person = client_person(app, "quiet@example.org", calm_diary(60, TODAY - timedelta(days=4)))
    connect(app, person, coach, "Ilse", period="last_8_weeks")
    client = app.test_client()
    coach_login(client, coach)
    page = client.get("/coach").get_data(as_text=True)
    assert "Je cliënten" in page
    assert "4 dagen geleden" in page
    assert "De laatste 8 weken, doorlopend" in page


def test_a_person_gets_404_and_a_coach_without_a_factor_sets_it_up(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    assert client.get("/coach").status_code == 404
    coach = make_coach(app, "nofactor@example.org", code="NOF-AAA")
    with app.app_context():
        from journal.models import SecondFactor

        factor = db.session.get(SecondFactor, coach.id)
        db.session.delete(factor)
        db.session.commit()
    other = app.test_client()
    other.post("/login", data={"email": coach.email, "password": "correct horse battery"})
    response = other.get("/coach")
    assert response.status_code == 302 and response.headers["Location"] == "/coach/security"
