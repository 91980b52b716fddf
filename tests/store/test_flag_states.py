"""The stale mark a save leaves, and the dismissals the cards read."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask

from journal.domain.rules import Flag
from journal.extensions import db
from journal.models import SignpostDismissal, User
from journal.store.flag_states import load_dismissals, mark_stale

MADE = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)


def _user(email: str = "a@example.org") -> int:
    user = User(email=email, password_hash="x", created_at=MADE)
    db.session.add(user)
    db.session.commit()
    return int(user.id)


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
        assert db.session.get(User, user_id).flags_stale_from == expected  # type: ignore[union-attr]


def test_mark_stale_runs_in_the_callers_transaction(app: Flask) -> None:
    with app.app_context():
        user_id = _user()
        mark_stale(user_id, date(2026, 3, 9))
        db.session.rollback()  # takes the mark along
        assert db.session.get(User, user_id).flags_stale_from is None  # type: ignore[union-attr]


def test_load_dismissals_from_a_day_on_for_one_person(app: Flask) -> None:
    with app.app_context():
        me, other = _user(), _user("b@example.org")
        for user_id, day in (
            (me, date(2026, 2, 10)),
            (me, date(2026, 2, 11)),
            (other, date(2026, 3, 1)),
        ):
            db.session.add(
                SignpostDismissal(
                    user_id=user_id,
                    flag=Flag.SIGNPOST_DOCTOR.value,
                    day=day,
                    reasons="sleepiness;medical",
                    created_at=MADE,
                )
            )
        db.session.commit()
        [dismissal] = load_dismissals(me, since=date(2026, 2, 11))
        assert (dismissal.flag, dismissal.day, dismissal.reasons) == (
            Flag.SIGNPOST_DOCTOR,
            date(2026, 2, 11),
            ("sleepiness", "medical"),
        )
        assert len(load_dismissals(me, since=date(2026, 2, 10))) == 2
