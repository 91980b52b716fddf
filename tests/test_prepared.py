"""Prepared statements send and read exactly what SQLAlchemy's own execute would."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import bindparam, select

from journal.evaluation import mark_stale
from journal.extensions import db
from journal.models import User
from journal.prepared import Prepared

MOMENT = datetime(2026, 3, 10, 6, 15, 30, 123456, tzinfo=timezone(timedelta(hours=1)))


def _user() -> int:
    user = User(email="a@example.org", password_hash="x", created_at=MOMENT)
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
        got = find.execute(db.session.connection(), {"value": value}).scalar()
        assert got == (user_id if found else None)


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
        assert twice.execute(db.session.connection(), {"n": user_id}).scalar() == user_id


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
