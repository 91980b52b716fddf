"""Issue 22 for a connected coach: the current phase, a row of the phase per week of the
timeline, and only the "wat speelt er?" answers the person chose to share; nothing of it when
the connection leaves the phase out.

FROZEN_NOW is Tuesday 10 March 2026 (08:30 in Amsterdam).
"""

from __future__ import annotations

import html as entities
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from journal.domain.phase import Dynamic, Phase, PhaseChange
from journal.extensions import db
from journal.models import CoachConnection
from journal.store.phases import coach_phase
from tests.conftest import FROZEN_NOW, Accounts, store_diary
from tests.web.coach_clients import TODAY, Coach, calm_diary, coach_login, connect
from tests.web.sharing import pdftotext


def at(app: Flask, day: date) -> None:
    app.config["FIXED_NOW"] = FROZEN_NOW + timedelta(days=(day - TODAY).days)


@pytest.fixture
def person(app: Flask, client: FlaskClient, accounts: Accounts) -> int:
    """Sanne, with a calm diary; she chose "Tot rust komen" on 16 February and "Weer opbouwen"
    on 3 March, and answered two questions, sharing one."""
    user_id = accounts.create()
    accounts.login()
    store_diary(app, user_id, calm_diary(40, TODAY))
    at(app, date(2026, 2, 16))
    client.post("/phase", data={"phase": "settling"})
    at(app, date(2026, 3, 3))
    client.post("/phase", data={"phase": "rebuilding"})
    at(app, TODAY)
    client.post(
        "/reflect",
        data={
            "text_context": "Veel gedoe op het werk",
            "share_context": "1",
            "text_identity": "Alleen voor mij",
        },
    )
    return user_id


def test_the_store_gives_the_phase_its_weeks_and_the_shared_answers(
    app: Flask, person: int
) -> None:
    mondays = [date(2026, 2, 9) + timedelta(weeks=n) for n in range(5)]
    with app.app_context():
        seen = coach_phase(person, TODAY, mondays)
    assert seen.current is Phase.REBUILDING
    assert [(w.week_start, w.phase, w.changed) for w in seen.weeks] == [
        (date(2026, 2, 9), Phase.UNKNOWN, False),
        (date(2026, 2, 16), Phase.SETTLING, True),
        (date(2026, 2, 23), Phase.SETTLING, False),
        (date(2026, 3, 2), Phase.REBUILDING, True),
        (date(2026, 3, 9), Phase.REBUILDING, False),
    ]
    assert seen.changes == (
        PhaseChange(Phase.REBUILDING, date(2026, 3, 3)),
        PhaseChange(Phase.SETTLING, date(2026, 2, 16)),
    )
    assert seen.shared == ((Dynamic.CONTEXT, "Veel gedoe op het werk"),)


def test_the_store_keeps_the_last_eight_weeks_and_their_changes(app: Flask, person: int) -> None:
    with app.app_context():
        seen = coach_phase(person, TODAY)
        later = coach_phase(person, TODAY, [date(2026, 3, 2), date(2026, 3, 9)])
    assert len(seen.weeks) == 8 and seen.weeks[-1].week_start == date(2026, 3, 9)
    # The change before the timeline is its first cell, not a listed change.
    assert later.weeks[0].phase is Phase.REBUILDING
    assert later.changes == (PhaseChange(Phase.REBUILDING, date(2026, 3, 3)),)


@pytest.fixture(params=[True, False], ids=["with_phase", "without_phase"])
def include_phase(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
def coach_view(
    app: Flask, person: int, coach: Coach, include_phase: bool
) -> tuple[FlaskClient, int]:
    """The coach, logged in, and a connection of the last 8 weeks that includes the phase or
    leaves it out."""
    connection_id = connect(app, person, coach, "Sanne", period="last_8_weeks")
    with app.app_context():
        db.session.execute(
            update(CoachConnection)
            .where(CoachConnection.id == connection_id)
            .values(include_phase=include_phase)
        )
        db.session.commit()
    coach_client = app.test_client()
    coach_login(coach_client, coach)
    return coach_client, connection_id


def test_the_coach_sees_the_phase_only_within_the_scope(
    coach_view: tuple[FlaskClient, int], include_phase: bool
) -> None:
    coach_client, connection_id = coach_view
    response = coach_client.get(f"/coach/clients/{connection_id}")
    assert response.status_code == 200
    page = entities.unescape(response.get_data(as_text=True))
    assert "Alleen voor mij" not in page  # never: it was not shared
    if not include_phase:
        assert "Recovery phase" not in page
        assert "Veel gedoe op het werk" not in page
        return
    assert "Current phase: Building up again." in page
    assert "The app never assigns, advances or suggests a phase." in page
    assert page.count("changed this week") == 2
    assert "Changes: 16 February: Coming to rest and 3 March: Building up again." in page
    assert "<dt>Is it mostly what happens around you?</dt>" in page
    assert "Veel gedoe op het werk" in page


def test_the_pdf_carries_the_phase_only_within_the_scope(
    coach_view: tuple[FlaskClient, int], include_phase: bool
) -> None:
    coach_client, connection_id = coach_view
    response = coach_client.get(f"/coach/clients/{connection_id}.pdf")
    assert response.status_code == 200
    text = " ".join(pdftotext(response.data).split())
    assert "Alleen voor mij" not in text
    assert ("Current phase: Building up again." in text) is include_phase
    assert ("Veel gedoe op het werk" in text) is include_phase
