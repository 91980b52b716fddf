"""Keeping a person's flag states up to date, and reading today's cards from them.

The rule module is pure; this module feeds it the records it needs from the database and stores
each day's states, so onset and resolved events stay stable between visits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from threading import Event
from time import monotonic
from typing import Final

from flask import current_app
from sqlalchemy import and_, case, delete, not_, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from journal.clock import zone_of
from journal.domain.checkin import CheckIn
from journal.domain.lifecycle import Card, DayState, Dismissal, cards_for_day
from journal.domain.metrics import ANCHOR_N
from journal.domain.rules import (
    Flag,
    FlagResult,
    Level,
    Reason,
    State,
    evaluate,
    evaluate_range,
)
from journal.extensions import db
from journal.models import CheckinRow, EvaluationRun, FlagState, SignpostDismissal, User
from journal.store import week_glances
from journal.store.sql import insert_ignore

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


def records_with_anchor(
    user_id: int, first_day: date, last_day: date, not_before: date | None = None
) -> list[CheckIn]:
    """The records dated first_day..last_day, the very first record (warm-up, CHECKIN_GAP,
    the first missing day) and the first ANCHOR_N valid records (the anchor baseline, B.3):
    what the weekly figures (G.3) of the week page and the coach page read.

    A connection's scope (`not_before`) hides every earlier day, so then the window, the first
    record and the anchor records are all taken from that day on, as if the diary began there.

    Two queries, each a range or a LIMIT on the (user_id, date) index, so the cost is that of
    the window, not of the diary (one query with an OR across them would scan the diary).
    """
    mine = CheckinRow.user_id == user_id
    if not_before is not None:
        mine = and_(mine, CheckinRow.date >= not_before)
        first_day = max(first_day, not_before)
    in_window = db.session.scalars(
        select(CheckinRow).where(mine, CheckinRow.date >= first_day, CheckinRow.date <= last_day)
    )
    by_date = {row.date: row for row in in_window}
    # Valid = not tagged illness (B.4); no other tag holds that text.
    valid = not_(CheckinRow.context_tags.contains("illness"))
    before = select(CheckinRow).where(mine, CheckinRow.date < first_day)
    for query in (
        before.order_by(CheckinRow.date).limit(1),
        before.where(valid).order_by(CheckinRow.date).limit(ANCHOR_N),
    ):
        for row in db.session.scalars(query):
            by_date.setdefault(row.date, row)
    return [by_date[day].to_domain() for day in sorted(by_date)]


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
    # The coach's caseload reads these instead of the records (issue 20); the same moment
    # keeps them current: a save marks the person stale until the next refresh.
    week_glances.store(user_id, records, today)
    db.session.commit()
    return evaluated


def mark_stale(user_id: int, day: date) -> None:
    """Note, inside the caller's transaction, that flags from `day` on need evaluating again.

    It is the first write of a save, so it also takes the person's row lock (and, on SQLite,
    the write lock) before any check-in row is touched: every save locks in that one order.
    """
    users = User.__table__
    db.session.execute(
        update(users)
        .where(users.c.id == user_id)
        .values(
            flags_stale_from=case(
                (or_(users.c.flags_stale_from.is_(None), users.c.flags_stale_from > day), day),
                else_=users.c.flags_stale_from,
            )
        )
    )


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
            _reasons(row.reasons),
        )
        for row in rows
    ]


def _reasons(stored: str) -> tuple[Reason, ...]:
    return Reason.parse_list(stored)


def load_dismissals(user_id: int, since: date) -> list[Dismissal]:
    """The person's signpost dismissals dated `since` or later."""
    rows = db.session.scalars(
        select(SignpostDismissal).where(
            SignpostDismissal.user_id == user_id, SignpostDismissal.day >= since
        )
    )
    return [
        Dismissal(
            Flag(row.flag),
            row.day,
            _reasons(row.reasons),
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
        since = self.day - DISMISSAL_MEMORY + timedelta(days=1)
        dismissals = load_dismissals(self.user_id, since)
        return cards_for_day(self.day, self.results, history, dismissals)

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


# --- the daily evaluation, run by the reminder scheduler's tick ------------------------------

EVALUATION_TIME: Final = time(12, 0)
EVALUATION_BATCH: Final = 200
EVALUATION_BUDGET: Final = timedelta(seconds=30)  # per tick; the rest waits for the next one
ZONES_TTL: Final = timedelta(minutes=10)  # someone in a new zone waits this long at most


def _zones() -> list[str]:
    """The time zones people are in, read again every ZONES_TTL (a scan of all people, so
    not every minute: a tick's cost must not grow with the number of people)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cached: tuple[float, list[str]] | None = app.extensions.get("journal.reminders.zones")
    clock = monotonic()
    if cached is None or clock - cached[0] > ZONES_TTL.total_seconds():
        zones = list(db.session.scalars(select(User.timezone).distinct()))
        cached = (clock, zones)
        app.extensions["journal.reminders.zones"] = cached
    return cached[1]


def evaluate_daily(now: datetime, stop: Event) -> int:
    """At 12:00 local, store today's flag states for people who have not opened the app.
    Returns how many people it evaluated.

    The rules can raise a flag without a check-in (a gap in check-ins, for one), and its
    onset must be dated today, not on the day the person next opens the app. This calls the
    same catch-up the home page does, for people with check-ins and no states for today yet.
    Done per time zone: once a zone's day is finished it costs one small query per tick.
    """
    started = monotonic()
    budget = EVALUATION_BUDGET.total_seconds()
    evaluated = 0
    pending: list[tuple[str, date]] = []
    for name in _zones():
        local = now.astimezone(zone_of(name))
        if local.time() >= EVALUATION_TIME:
            pending.append((name, local.date()))
    if not pending:
        return evaluated
    done = set(
        db.session.execute(
            select(EvaluationRun.zone, EvaluationRun.local_date).where(
                EvaluationRun.local_date.in_({day for _, day in pending})
            )
        ).all()
    )
    for name, day in pending:
        if (name, day) in done:
            continue
        cursor = 0
        while True:
            if stop.is_set() or monotonic() - started > budget:
                return evaluated  # the next tick goes on where this one stopped
            has_checkins = (
                select(CheckinRow.id).where(CheckinRow.user_id == User.id).limit(1).exists()
            )
            has_states = (
                select(FlagState.id)
                .where(FlagState.user_id == User.id, FlagState.date == day)
                .limit(1)
                .exists()
            )
            ids = list(
                db.session.scalars(
                    select(User.id)
                    .where(User.timezone == name, User.id > cursor, has_checkins, ~has_states)
                    .order_by(User.id)
                    .limit(EVALUATION_BATCH)
                )
            )
            if not ids:
                break
            for user_id in ids:
                cursor = user_id
                try:
                    catch_up(user_id, day)
                    evaluated += 1
                except (IntegrityError, OperationalError):
                    # Another scheduler evaluated this person at the same moment.
                    db.session.rollback()
        db.session.execute(
            insert_ignore(EvaluationRun.__table__),
            [{"zone": name, "local_date": day, "finished_at": now}],
        )
        db.session.commit()
    return evaluated
