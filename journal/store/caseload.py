"""The coach's caseload from the database in a fixed number of queries, whatever the number
of clients (issue 20): never a query per row.

1. The coach's connected clients, each with their time zone, their mark of flag states to
   evaluate again, and the dates of their first check-in in scope and their last check-in
   (two correlated MIN/MAX subqueries, each one seek on the (user_id, date) index).
2. The flag states stored for yesterday and today (journal.store.flag_states keeps them: the
   person's own visits and the daily evaluation at noon). Running the rules costs some
   milliseconds per client, so stored states are used wherever they are what the rules would
   give on the records in scope (journal.domain.coach.caseload.stored_flags_hold).
3. The week glances stored with them (journal.store.week_glances: this week's and last
   week's Herstelscore and pattern), used wherever they hold
   (journal.domain.coach.glance.kept_glance).
4. Only for the clients whose stored states or glances do not hold (a save since, a scope
   that cuts into what they read, a new week before the noon evaluation): their records in
   one window, read as plain rows, and the rest computed on the spot. With every client up
   to date this query is not sent: turning thousands of rows into records was most of the
   page's time.

Everything else is the pure journal.domain.coach.caseload.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import cast

from sqlalchemy import func, literal, select

from journal.clock import local_today
from journal.domain.checkin import FIELD_ORDER, CheckIn
from journal.domain.coach.caseload import (
    CaseloadRow,
    Client,
    Period,
    caseload_row,
    ordered,
    reads_from,
)
from journal.domain.rules import Flag, FlagResult, Level, State
from journal.extensions import db
from journal.models import CheckinRow, CoachConnection, FlagState, User
from journal.store import week_glances
from journal.store.connections import first_in_scope

_CHECKINS = CheckinRow.__table__
# What a record needs, and no more: not the note (a row never shows it), not the timestamps.
_RECORD_COLUMNS = [
    _CHECKINS.c.user_id,
    _CHECKINS.c.date,
    _CHECKINS.c.backfilled,
    *(_CHECKINS.c[name] for name in FIELD_ORDER if name != "note"),
    literal(None).label("note"),
]


Connected = tuple[Client, CoachConnection, date | None, date | None, date | None]


def _connected(coach_id: int) -> list[Connected]:
    person = CoachConnection.person_id
    first = (
        select(func.min(CheckinRow.date))
        .where(CheckinRow.user_id == person, CheckinRow.date >= first_in_scope())
        .scalar_subquery()
    )
    last = select(func.max(CheckinRow.date)).where(CheckinRow.user_id == person).scalar_subquery()
    rows = db.session.execute(
        select(CoachConnection, User.timezone, User.flags_stale_from, first, last)
        .join(User, User.id == person)
        .where(
            CoachConnection.coach_id == coach_id,
            CoachConnection.accepted_at.is_not(None),
            CoachConnection.ended_at.is_(None),
        )
    ).all()
    return [
        (
            Client(
                connection_id=c.id,
                name=c.client_name,
                period=Period(c.period),
                starts_on=c.starts_on,
                today=local_today(str(zone)),
            ),
            c,
            first_day,
            last_day,
            stale,
        )
        for c, zone, stale, first_day, last_day in rows
    ]


def _as_record(row: object) -> CheckIn:
    # A Core row has every column CheckinRow.to_domain reads, by the same names; building the
    # ORM object for each of thousands of rows would cost more than the query.
    return CheckinRow.to_domain(cast(CheckinRow, row))


def _stored(
    persons: list[int], first_day: date, last_day: date
) -> dict[int, dict[date, list[FlagResult]]]:
    """The stored active flag results per person and day; a day appears only when it was
    evaluated."""
    found: dict[int, dict[date, list[FlagResult]]] = defaultdict(lambda: defaultdict(list))
    for user_id, day, flag, state, level in db.session.execute(
        select(
            FlagState.user_id, FlagState.date, FlagState.flag, FlagState.state, FlagState.level
        ).where(
            FlagState.user_id.in_(persons),
            FlagState.date >= first_day,
            FlagState.date <= last_day,
        )
    ):
        # The caseload reads which flags are active and their level, nothing more; a day
        # evaluated with none active is there, empty (journal.domain.coach.caseload._kept).
        results = found[user_id][day]
        if state == State.ACTIVE:
            level_of = None if level is None else Level(level)
            results.append(FlagResult(Flag(flag), State.ACTIVE, level_of, (), {}, {}))
    return found


def caseload(coach_id: int) -> list[tuple[CaseloadRow, CoachConnection]]:
    """The coach's connected clients as caseload rows, in the caseload's order, each with its
    connection (for the scope)."""
    clients = _connected(coach_id)
    if not clients:
        return []
    persons = sorted({c.person_id for _, c, *_ in clients})
    earliest_today = min(client.today for client, *_ in clients)
    last_day = max(client.today for client, *_ in clients)
    stored = _stored(persons, earliest_today - timedelta(days=1), last_day)
    glances = week_glances.load(persons)
    # Turning a row into a record is the costly part: only the days each row reads, and none
    # for a client whose stored flags and glances hold.
    needed: dict[int, date] = {}
    for client, c, _first, last, stale in clients:
        since = reads_from(client, last, stored.get(c.person_id), stale, glances.get(c.person_id))
        if since is not None:
            needed[c.person_id] = min(since, needed.get(c.person_id, since))
    by_person: dict[int, list[CheckIn]] = {person: [] for person in persons}
    if needed:
        for row in db.session.execute(
            select(*_RECORD_COLUMNS).where(
                _CHECKINS.c.user_id.in_(sorted(needed)),
                _CHECKINS.c.date >= min(needed.values()),
                _CHECKINS.c.date <= last_day,
            )
        ):
            if row.date >= needed[row.user_id]:
                by_person[row.user_id].append(_as_record(row))
    by_id = {c.id: c for _, c, *_ in clients}
    rows = ordered(
        caseload_row(
            client,
            by_person[c.person_id],
            first,
            last,
            stored.get(c.person_id),
            stale,
            glances.get(c.person_id),
        )
        for client, c, first, last, stale in clients
    )
    return [(row, by_id[row.connection_id]) for row in rows]
