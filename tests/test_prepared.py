"""Prepared statements send and read exactly what SQLAlchemy's own execute would."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import bindparam, delete, func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from journal.clock import now_utc
from journal.domain.checkin import CheckIn, parse_checkin
from journal.evaluation import mark_stale
from journal.extensions import db
from journal.models import CheckinRow, User
from journal.prepared import Prepared
from journal.web import checkins
from tests.payloads import day as answers
from tests.strategies import checkins as checkins_strategy


def _a_day(on: date, **changes: str) -> CheckIn:
    parsed = parse_checkin(answers(**changes), on=on, backfilled=False, strict=False)
    assert parsed.checkin is not None
    return parsed.checkin


MOMENT = datetime(2026, 3, 10, 6, 15, 30, 123456, tzinfo=timezone(timedelta(hours=1)))


def _user(email: str = "a@example.org") -> int:
    user = User(email=email, password_hash="x", created_at=MOMENT)
    db.session.add(user)
    db.session.commit()
    return int(user.id)


@pytest.mark.parametrize(
    ("column", "value", "found"),
    [
        # Each value goes through the column type's own conversion, as execute() does: the
        # date as SQLite's ISO text, the moment through UTCDateTime into UTC.
        ("flags_stale_from", date(2026, 3, 9), True),
        ("flags_stale_from", date(2026, 3, 8), False),
        ("created_at", MOMENT, True),
        ("created_at", MOMENT.astimezone(UTC), True),
        ("created_at", MOMENT + timedelta(microseconds=1), False),
        ("email", "a@example.org", True),
    ],
)
def test_values_are_converted_by_the_column_type(
    app: Flask, column: str, value: Any, found: bool
) -> None:
    users = User.__table__
    find = Prepared(
        select(users.c.id).where(users.c[column] == bindparam("value", type_=users.c[column].type))
    )
    with app.app_context():
        user_id = _user()
        mark_stale(user_id, date(2026, 3, 9))
        db.session.commit()
        got = find.first(db.session.connection(), {"value": value})
        assert got == ((user_id,) if found else None)


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ([date(2026, 3, 9)], date(2026, 3, 9)),
        ([date(2026, 3, 9), date(2026, 3, 5)], date(2026, 3, 5)),  # an earlier day wins
        ([date(2026, 3, 5), date(2026, 3, 9)], date(2026, 3, 5)),  # a later one does not
    ],
)
def test_mark_stale_keeps_the_earliest_day(app: Flask, marks: list[date], expected: date) -> None:
    with app.app_context():
        user_id = _user()
        for marked in marks:
            mark_stale(user_id, marked)
        db.session.commit()
        assert db.session.get(User, user_id).flags_stale_from == expected


def test_a_name_used_twice_gets_its_value_twice(app: Flask) -> None:
    users = User.__table__
    twice = Prepared(
        select(users.c.id).where(users.c.id == bindparam("n"), users.c.id < bindparam("n") + 1)
    )
    with app.app_context():
        user_id = _user()
        assert twice.first(db.session.connection(), {"n": user_id}) == (user_id,)


@pytest.mark.parametrize(
    "values",
    [{}, {"user_id": 1, "extra": 2}, {"other": 1}],
)
def test_values_must_name_every_parameter_and_no_other(app: Flask, values: dict[str, Any]) -> None:
    users = User.__table__
    statement = Prepared(select(users.c.email).where(users.c.id == bindparam("user_id")))
    with app.app_context(), pytest.raises(KeyError):
        statement.execute(db.session.connection(), values)


def test_a_result_that_needs_converting_is_refused(app: Flask) -> None:
    # UTCDateTime turns what the driver returns into an aware datetime: returning the raw
    # value instead would be a silent change of type.
    users = User.__table__
    statement = Prepared(select(users.c.created_at).where(users.c.id == bindparam("user_id")))
    with app.app_context(), pytest.raises(TypeError, match="created_at"):
        statement.execute(db.session.connection(), {"user_id": 1})


def test_it_runs_in_the_sessions_transaction(app: Flask) -> None:
    with app.app_context():
        user_id = _user()
        mark_stale(user_id, date(2026, 3, 9))
        db.session.rollback()  # takes the prepared UPDATE along
        assert db.session.get(User, user_id).flags_stale_from is None


def test_a_driver_error_comes_out_as_sqlalchemys(app: Flask) -> None:
    # No such person: the foreign key refuses the row, as it would through execute().
    with app.app_context():
        _user()
        with pytest.raises(IntegrityError) as raised:
            checkins._insert_new_day(10_000, _a_day(date(2026, 3, 9)))
        assert isinstance(raised.value.orig, db.engine.dialect.loaded_dbapi.Error)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(CheckinRow)) == 0


def test_the_new_days_insert_steps_aside_for_a_day_already_there(app: Flask) -> None:
    day = date(2026, 3, 9)
    with app.app_context():
        user_id = _user()
        assert checkins._insert_new_day(user_id, _a_day(day)) is True
        assert checkins._insert_new_day(user_id, _a_day(day, morning_energy="2")) is False
        [row] = db.session.scalars(select(CheckinRow)).all()
        assert row.morning_energy == 7


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(checkin=checkins_strategy(dates=st.just(date(2026, 3, 9))))
def test_the_new_days_insert_stores_what_the_orm_stores(app: Flask, checkin: CheckIn) -> None:
    """The prepared INSERT (bind processors of the columns' own types) against the ORM's row
    for the same answers, compared as the database holds them."""
    with app.app_context():
        db.session.execute(delete(CheckinRow))
        db.session.execute(delete(User))
        db.session.commit()
        by_form, by_orm = _user("form@example.org"), _user("orm@example.org")
        assert checkins._insert_new_day(by_form, checkin)
        db.session.add(CheckinRow.new(by_orm, checkin, now_utc()))
        db.session.commit()
        stored = {
            user_id: {k: v for k, v in row.items() if k not in ("id", "user_id")}
            for user_id, row in (
                (row["user_id"], dict(row))
                for row in db.session.execute(text("SELECT * FROM checkins")).mappings()
            )
        }
        assert stored[by_form] == stored[by_orm]
        assert (
            CheckinRow.to_domain(
                db.session.scalars(select(CheckinRow).where(CheckinRow.user_id == by_form)).one()
            )
            == checkin
        )


def test_a_lost_connection_is_invalidated_and_the_session_goes_on(app: Flask) -> None:
    with app.app_context():
        user_id = _user()
        db.session.connection().connection.dbapi_connection.close()
        with pytest.raises(DBAPIError) as raised:
            mark_stale(user_id, date(2026, 3, 9))
        assert raised.value.connection_invalidated
        db.session.rollback()
        assert db.session.get(User, user_id) is not None  # on a new connection from the pool
        mark_stale(user_id, date(2026, 3, 9))
        db.session.commit()
