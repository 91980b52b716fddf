"""Keeping a person's flag states up to date, and reading today's cards from them.

The rule module is pure; this module feeds it the records it needs from the database and stores
each day's states, so onset and resolved events stay stable between visits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from sqlalchemy import Date, bindparam, case, delete, or_, select, update
from sqlalchemy.engine import Connection

from journal.domain.checkin import CheckIn
from journal.domain.lifecycle import Card, DayState, Dismissal, cards_for_day
from journal.domain.rules import Flag, FlagResult, Level, State, evaluate, evaluate_range
from journal.extensions import db
from journal.models import CheckinRow, FlagState, SignpostDismissal, User
from journal.prepared import Prepared

# The rules look back at most about 55 days (a baseline 34 days before a record 21 days back);
# 70 leaves room without growing with a person's history.
RECORDS_LOOKBACK = timedelta(days=70)
# Stored states kept within reach of the lifecycle: onset needs only the last evaluable day,
# resolved the last three; four weeks covers a long absence.
STATE_HISTORY = timedelta(days=28)
DISMISSAL_MEMORY = timedelta(days=28)


def records_for(user_id: int, start: date, end: date) -> list[CheckIn]:
    """The records the rules need for dates start..end, plus the very first (for warm-up)."""
    return records_with_first(user_id, start - RECORDS_LOOKBACK, end)


def records_with_first(user_id: int, first_day: date, last_day: date) -> list[CheckIn]:
    """The person's records dated first_day..last_day, plus their very first record.

    Both conditions are ranges on the (user_id, date) unique index, so the cost is the size of
    the window, not of the diary.
    """
    first = (
        select(CheckinRow.date)
        .where(CheckinRow.user_id == user_id)
        .order_by(CheckinRow.date)
        .limit(1)
        .scalar_subquery()
    )
    rows = db.session.scalars(
        select(CheckinRow).where(
            CheckinRow.user_id == user_id,
            CheckinRow.date <= last_day,
            or_(CheckinRow.date >= first_day, CheckinRow.date == first),
        )
    )
    return [row.to_domain() for row in rows]


def refresh(user_id: int, start: date, today: date) -> Mapping[date, Sequence[FlagResult]]:
    """Evaluate every date from `start` to `today` again and store the states (after a save or
    an edit dated `start`, or to fill the days since the last visit). Returns the results it
    stored, by date (none without records)."""
    start = max(start, today - STATE_HISTORY)
    if start > today:
        return {}
    records = records_for(user_id, start, today)
    db.session.execute(
        delete(FlagState).where(
            FlagState.user_id == user_id, FlagState.date >= start, FlagState.date <= today
        )
    )
    evaluated = evaluate_range(records, start, today) if records else {}
    rows = [
        {
            "user_id": user_id,
            "date": day,
            "flag": r.flag.value,
            "state": r.state.value,
            "level": None if r.level is None else int(r.level),
            "reasons": ";".join(r.reasons),
        }
        for day, results in evaluated.items()
        for r in results
    ]
    if rows:
        # One executemany: the ORM would send an INSERT ... RETURNING per row on SQLite.
        db.session.execute(FlagState.__table__.insert(), rows)
    db.session.commit()
    return evaluated


# Saving a check-in runs this (see journal/prepared.py).
_USERS = User.__table__
_DAY = bindparam("day", type_=Date)
_MARK_STALE = Prepared(
    update(_USERS)
    .where(_USERS.c.id == bindparam("user_id"))
    .values(
        flags_stale_from=case(
            (or_(_USERS.c.flags_stale_from.is_(None), _USERS.c.flags_stale_from > _DAY), _DAY),
            else_=_USERS.c.flags_stale_from,
        )
    )
)


def mark_stale(user_id: int, day: date, connection: Connection | None = None) -> None:
    """Note, inside the caller's transaction, that flags from `day` on need evaluating again.
    A caller that already holds the session's connection passes it."""
    connection = db.session.connection() if connection is None else connection
    _MARK_STALE.execute(connection, {"user_id": user_id, "day": day})


def catch_up(user_id: int, today: date) -> Sequence[FlagResult] | None:
    """Store the states of every day not evaluated since the last visit or changed since.
    Returns today's results when it evaluated today, else None."""
    stored: Mapping[date, Sequence[FlagResult]] = {}
    stale = db.session.scalar(select(User.flags_stale_from).where(User.id == user_id))
    if stale is not None:
        # Cleared in the same transaction as the refresh: a save that lands meanwhile marks
        # the user stale again, so nothing it changed is missed.
        db.session.execute(
            update(User)
            .where(User.id == user_id, User.flags_stale_from == stale)
            .values(flags_stale_from=None)
            .execution_options(synchronize_session=False)
        )
        stored = refresh(user_id, min(stale, today), today)
    latest = db.session.scalar(
        select(FlagState.date)
        .where(FlagState.user_id == user_id)
        .order_by(FlagState.date.desc())
        .limit(1)
    )
    if latest is None or latest < today:
        since = (latest + timedelta(days=1)) if latest else today - STATE_HISTORY
        stored = refresh(user_id, since, today)
    return stored.get(today)


def _history(user_id: int, today: date) -> list[DayState]:
    rows = db.session.scalars(
        select(FlagState).where(
            FlagState.user_id == user_id,
            FlagState.date >= today - STATE_HISTORY,
            FlagState.date < today,
        )
    )
    return [
        DayState(
            row.date,
            Flag(row.flag),
            State(row.state),
            None if row.level is None else Level(row.level),
            tuple(r for r in row.reasons.split(";") if r),
        )
        for row in rows
    ]


def _dismissals(user_id: int, today: date) -> list[Dismissal]:
    rows = db.session.scalars(
        select(SignpostDismissal).where(
            SignpostDismissal.user_id == user_id,
            SignpostDismissal.day > today - DISMISSAL_MEMORY,
        )
    )
    return [
        Dismissal(
            Flag(row.flag),
            row.day,
            tuple(r for r in row.reasons.split(";") if r),
            row.dismiss_reason,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Today:
    user_id: int
    day: date
    results: Sequence[FlagResult]

    @cached_property
    def cards(self) -> Sequence[Card]:
        """Read only by the pages that show cards: they need the stored history (two queries)."""
        history = _history(self.user_id, self.day)
        return cards_for_day(self.day, self.results, history, _dismissals(self.user_id, self.day))

    @property
    def active(self) -> list[FlagResult]:
        return [r for r in self.results if r.state is State.ACTIVE]

    def result(self, flag: Flag) -> FlagResult:
        return next(r for r in self.results if r.flag is flag)


def today_for(user_id: int, today: date) -> Today:
    """Today's flag results (and cards), storing any days not evaluated since the last visit."""
    results = catch_up(user_id, today)
    if results is None:
        results = evaluate(records_for(user_id, today, today), today)
    return Today(user_id, today, results)
