"""The week glances kept for the coach's caseload (issue 20, performance): stored with the flag
states, read back exactly, used only where they hold, and the same caseload either way. Runs on
SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, event

from journal.demo import demo_diary
from journal.domain.coach.glance import glance
from journal.domain.summary import monday_of
from journal.extensions import db
from journal.models import CheckinRow, CoachConnection, WeekGlance
from journal.store import week_glances
from journal.store.caseload import caseload
from journal.store.flag_states import mark_stale, records_for, refresh
from tests.web.coach_clients import TODAY, Coach, client_person, connect, make_coach

MONDAY = monday_of(TODAY)
LAST_MONDAY = MONDAY - timedelta(days=7)
MADE = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)


@pytest.fixture
def coach(app: Flask) -> Coach:
    return make_coach(app, "anna@praktijk.example")


@pytest.fixture
def clients(app: Flask, coach: Coach) -> list[int]:
    """Three clients with the demo diary (signposts and all), each evaluated as on a visit
    today, in three scopes: everything, the last 8 weeks, from connecting a week ago."""
    people = []
    for n, (period, starts_on) in enumerate(
        [
            ("everything", TODAY - timedelta(days=30)),
            ("last_8_weeks", TODAY - timedelta(days=30)),
            ("from_connecting", TODAY - timedelta(days=7)),
        ]
    ):
        records = demo_diary(TODAY, seed=n + 3)
        person = client_person(app, f"c{n}@example.org", records)
        connect(app, person, coach, f"Client {n}", period=period, starts_on=starts_on)
        people.append(person)
    with app.app_context():
        for person in people:
            refresh(person, TODAY - timedelta(days=28), TODAY)
    return people


@contextmanager
def check_in_reads(app: Flask) -> Iterator[list[str]]:
    """The statements that read check-in rows themselves (not the connections' MIN/MAX)."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM checkins" in statement and "coach_connections" not in statement:
            seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_this_and_last_weeks_glance_are_stored_exactly(app: Flask, clients: list[int]) -> None:
    with app.app_context():
        stored = week_glances.load(clients)
        for person in clients:
            records = records_for(person, TODAY - timedelta(days=28), TODAY)
            assert sorted(stored[person]) == [LAST_MONDAY, MONDAY]
            for monday in (LAST_MONDAY, MONDAY):
                kept = stored[person][monday]
                assert kept.glance == glance(records, monday, TODAY)  # Fractions, not floats
                assert kept.through == min(TODAY, monday + timedelta(days=6))


def test_the_caseload_is_the_same_with_or_without_stored_glances(
    app: Flask, coach: Coach, clients: list[int]
) -> None:
    with app.app_context():
        with_stored = caseload(coach.id)
        db.session.execute(delete(WeekGlance))
        db.session.commit()
        computed = caseload(coach.id)
    assert [row for row, _ in with_stored] == [row for row, _ in computed]
    assert any(row.recovery is not None and row.pattern is not None for row, _ in computed)


def test_up_to_date_clients_cost_no_check_in_read(
    app: Flask, coach: Coach, clients: list[int]
) -> None:
    """The page's time went into reading and converting every client's seven weeks of
    check-ins; with the flags and glances stored (and a scope that does not cut into them)
    there is nothing left to read."""
    with app.app_context():
        db.session.execute(
            delete(CoachConnection).where(CoachConnection.period == "from_connecting")
        )
        db.session.commit()
        with check_in_reads(app) as seen:
            rows = caseload(coach.id)
    assert len(rows) == 2
    assert seen == []


def test_a_scope_that_cuts_into_the_weeks_computes_from_the_records(
    app: Flask, coach: Coach, clients: list[int]
) -> None:
    with app.app_context(), check_in_reads(app) as seen:
        rows = {row.name: row for row, _ in caseload(coach.id)}
    assert len(seen) == 1  # one query, for whoever needs records: here the newest connection
    # From connecting a week ago: this week's baseline lies mostly before the scope, so there
    # is a mean but no usual level to hold it against, and no arrow.
    recovery = rows["Client 2"].recovery
    assert recovery is not None and recovery.baseline is None and recovery.arrow is None
    assert rows["Client 0"].recovery is not None and rows["Client 0"].recovery.arrow is not None


def test_a_save_since_the_evaluation_counts_at_once(app: Flask, coach: Coach) -> None:
    """A check-in saved after the last evaluation marks the client stale: the row counts it
    at once, without waiting for the next evaluation."""
    records = [r for r in demo_diary(TODAY) if r.date < TODAY]
    person = client_person(app, "late@example.org", records)
    connect(app, person, coach, "Late")
    with app.app_context():
        refresh(person, TODAY - timedelta(days=28), TODAY)
        ((before, _),) = caseload(coach.id)
        db.session.add(CheckinRow.new(person, replace(records[-1], date=TODAY), MADE))
        mark_stale(person, TODAY)  # as every save does, in its own transaction
        db.session.commit()
        ((after, _),) = caseload(coach.id)
    assert after.week_checkins == before.week_checkins + 1
    assert (before.last_checkin, after.last_checkin) == (TODAY - timedelta(days=1), TODAY)
