"""Connections between a person and a coach in the database (issue 20): inviting, accepting,
ending, the view log, and the records a coach may read through one.

The person owns a connection: they invite, choose the scope, and end it. A coach reads a client
only through :func:`open_for_coach`, which answers None for anything but an accepted, not ended
connection of this very coach whose client still exists; every coach route asks it first, on
every request, so a disconnect or a deletion closes the door on the next request.

Privacy choices:

- Finding a coach by address or code answers the same to the person whatever it finds (the
  web layer says one sentence for both), and an invitation is not shown to the person before
  the coach accepts it: a list of pending invitations would tell which addresses are coaches.
- The coach never sees the person's e-mail address, only the name the person chose to show.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import Case

from journal.clock import local_today, now_utc
from journal.domain.coach import PERIOD_WEEKS, CoachSummary, coach_summary
from journal.domain.coach import window as summary_window
from journal.domain.coach.caseload import Period, scope_start
from journal.extensions import db
from journal.models import (
    CheckinRow,
    CoachConnection,
    CoachProfile,
    ConnectionNote,
    ConnectionPeriod,
    ConnectionView,
    User,
)
from journal.store.flag_states import load_dismissals, records_with_anchor
from journal.store.share_links import ViewKind

VIEW_LOG_SHOWN: Final = 50  # views listed per connection on the person's page
SUMMARY_WEEKS: Final = max(PERIOD_WEEKS)  # the longest period the coach summary supports


def code_key(text: str) -> str:
    """A coach code as typed ("k7m 4qx", "K7M-4QX") reduced to what is compared."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


# --- The person's side --------------------------------------------------------------------------


def find_coach(typed: str) -> int | None:
    """The coach whose e-mail address or code this is; None when it is neither."""
    text = typed.strip()
    if not text:
        return None
    if "@" in text:
        found = db.session.scalar(
            select(CoachProfile.user_id)
            .join(User, User.id == CoachProfile.user_id)
            .where(User.email == text.lower())
        )
    else:
        key = code_key(text)
        stored = func.upper(func.replace(CoachProfile.code, "-", ""))
        found = (
            db.session.scalar(select(CoachProfile.user_id).where(stored == key)) if key else None
        )
    return None if found is None else int(found)


def _open_between(person_id: int, coach_id: int) -> CoachConnection | None:
    found: CoachConnection | None = db.session.scalar(
        select(CoachConnection)
        .where(
            CoachConnection.person_id == person_id,
            CoachConnection.coach_id == coach_id,
            CoachConnection.ended_at.is_(None),
        )
        .order_by(CoachConnection.id.desc())
        .limit(1)
    )
    return found


def invite(
    person_id: int,
    coach_id: int,
    today: date,
    *,
    client_name: str,
    period: ConnectionPeriod,
    include_notes: bool,
    picked_notes: Iterable[int],
    include_people: bool,
    include_phase: bool,
) -> None:
    """Invite the coach with this scope. A pending invitation to the same coach takes the new
    scope; a connection the coach already accepted stays as it is (the person ends it and
    invites again to change it, so the coach is never shown more than they accepted)."""
    if coach_id == person_id:
        return
    connection = _open_between(person_id, coach_id)
    if connection is not None and connection.accepted_at is not None:
        return
    if connection is None:
        connection = CoachConnection(person_id=person_id, coach_id=coach_id, created_at=now_utc())
        db.session.add(connection)
    connection.client_name = client_name
    connection.period = period.value
    connection.starts_on = today
    connection.include_people = include_people
    connection.include_phase = include_phase
    db.session.flush()
    note_ids = _own_notes(person_id, picked_notes, today) if include_notes else []
    db.session.execute(
        ConnectionNote.__table__.delete().where(ConnectionNote.connection_id == connection.id)
    )
    db.session.add_all(
        ConnectionNote(connection_id=connection.id, checkin_id=i) for i in sorted(note_ids)
    )
    connection.include_notes = bool(note_ids)
    db.session.commit()


def _own_notes(person_id: int, picked: Iterable[int], today: date) -> list[int]:
    """Of the picked check-ins, the person's own with a note in the pickable weeks."""
    ids = set(picked)
    if not ids:
        return []
    since = today - timedelta(weeks=SUMMARY_WEEKS)
    return list(
        db.session.scalars(
            select(CheckinRow.id).where(
                CheckinRow.user_id == person_id,
                CheckinRow.id.in_(ids),
                CheckinRow.date > since,
                CheckinRow.note.is_not(None),
            )
        )
    )


@dataclass(frozen=True)
class Shown:
    """A connection on the person's page, with the coach as the coach presents themself."""

    connection: CoachConnection
    coach_name: str
    practice: str
    notes: int


def connections_of(person_id: int) -> list[Shown]:
    """The person's accepted connections (open first, newest first). Pending invitations are
    left out (see the module doc), and so are declined ones."""
    notes = (
        select(func.count(ConnectionNote.id))
        .where(ConnectionNote.connection_id == CoachConnection.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(CoachConnection, CoachProfile.display_name, CoachProfile.practice, notes)
        .join(CoachProfile, CoachProfile.user_id == CoachConnection.coach_id)
        .where(CoachConnection.person_id == person_id, CoachConnection.accepted_at.is_not(None))
        .order_by(CoachConnection.ended_at.is_not(None), CoachConnection.accepted_at.desc())
    )
    return [Shown(c, name, practice, int(n or 0)) for c, name, practice, n in rows]


def view_logs(connection_ids: Sequence[int]) -> dict[int, list[ConnectionView]]:
    """The latest VIEW_LOG_SHOWN views of each connection, newest first, in one query."""
    logs: dict[int, list[ConnectionView]] = {i: [] for i in connection_ids}
    if not logs:
        return logs
    newest_first = (ConnectionView.viewed_at.desc(), ConnectionView.id.desc())
    rank = func.row_number().over(partition_by=ConnectionView.connection_id, order_by=newest_first)
    ranked = (
        select(ConnectionView, rank.label("rank"))
        .where(ConnectionView.connection_id.in_(list(logs)))
        .subquery()
    )
    view = aliased(ConnectionView, ranked)
    for row in db.session.scalars(
        select(view).where(ranked.c.rank <= VIEW_LOG_SHOWN).order_by(ranked.c.rank)
    ):
        logs[row.connection_id].append(row)
    return logs


def end(person_id: int, connection_id: int) -> CoachConnection | None:
    """The person ends their connection (once; ending again keeps the first moment)."""
    connection = db.session.get(CoachConnection, connection_id)
    if connection is None or connection.person_id != person_id:
        return None
    if connection.ended_at is None:
        connection.ended_at = now_utc()
        db.session.commit()
    return connection


def withdraw_pending(person_id: int) -> None:
    """End every invitation of the person that no coach has accepted yet."""
    db.session.execute(
        update(CoachConnection)
        .where(
            CoachConnection.person_id == person_id,
            CoachConnection.accepted_at.is_(None),
            CoachConnection.ended_at.is_(None),
        )
        .values(ended_at=now_utc())
    )
    db.session.commit()


# --- The coach's side ---------------------------------------------------------------------------


def pending_for(coach_id: int) -> list[CoachConnection]:
    """Invitations waiting for this coach, oldest first; none of a deleted account (cascade)."""
    return list(
        db.session.scalars(
            select(CoachConnection)
            .where(
                CoachConnection.coach_id == coach_id,
                CoachConnection.accepted_at.is_(None),
                CoachConnection.ended_at.is_(None),
            )
            .order_by(CoachConnection.created_at, CoachConnection.id)
        )
    )


def answer(coach_id: int, connection_id: int, accept: bool) -> CoachConnection | None:
    """Accept or decline a pending invitation to this coach; None for anything else."""
    connection = db.session.get(CoachConnection, connection_id)
    if (
        connection is None
        or connection.coach_id != coach_id
        or connection.accepted_at is not None
        or connection.ended_at is not None
    ):
        return None
    if accept:
        connection.accepted_at = now_utc()
    else:
        connection.ended_at = now_utc()
    db.session.commit()
    return connection


def open_for_coach(coach_id: int, connection_id: int) -> CoachConnection | None:
    """The connection, when it is this coach's, accepted and not ended; else None. Deleting
    either account deletes the connection (ON DELETE CASCADE), so this covers that too."""
    connection: CoachConnection | None = db.session.scalar(
        select(CoachConnection).where(
            CoachConnection.id == connection_id,
            CoachConnection.coach_id == coach_id,
            CoachConnection.accepted_at.is_not(None),
            CoachConnection.ended_at.is_(None),
        )
    )
    return connection


def record_view(connection: CoachConnection, kind: ViewKind) -> None:
    db.session.add(
        ConnectionView(connection_id=connection.id, viewed_at=now_utc(), kind=kind.value)
    )
    db.session.commit()


def set_digest(coach_id: int, enabled: bool) -> None:
    db.session.execute(
        update(CoachProfile).where(CoachProfile.user_id == coach_id).values(digest_enabled=enabled)
    )
    db.session.commit()


# --- What a connection shows --------------------------------------------------------------------


def period_of(connection: CoachConnection) -> Period:
    return Period(connection.period)


def shared_note_dates(connection: CoachConnection) -> frozenset[date]:
    if not connection.include_notes:
        return frozenset()
    dates = db.session.scalars(
        select(CheckinRow.date)
        .join(ConnectionNote, ConnectionNote.checkin_id == CheckinRow.id)
        .where(
            ConnectionNote.connection_id == connection.id,
            CheckinRow.user_id == connection.person_id,
        )
    )
    return frozenset(dates)


def client_summary(connection: CoachConnection) -> CoachSummary | None:
    """D.2 for the connection's client within its scope: the 8-week summary, fed only the
    records the scope allows (the domain never sees an earlier day); None if the client is
    gone."""
    zone = db.session.scalar(select(User.timezone).where(User.id == connection.person_id))
    if zone is None:  # pragma: no cover - the connection goes with the account
        return None
    today = local_today(zone)
    start = scope_start(period_of(connection), connection.starts_on, today)
    first_day, last_day = summary_window(today, SUMMARY_WEEKS)
    records = records_with_anchor(connection.person_id, first_day, last_day, not_before=start)
    since = first_day if start is None else max(first_day, start)
    dismissals = [
        d for d in load_dismissals(connection.person_id, since) if start is None or d.day >= start
    ]
    notes = shared_note_dates(connection)
    return coach_summary(records, dismissals, today, SUMMARY_WEEKS, notes)


def first_in_scope() -> Case[date]:
    """The lower bound of a connection's scope in SQL, for the first-check-in subquery (only
    FROM_CONNECTING has a fixed one; LAST_8_WEEKS is cut in the domain)."""
    return case(
        (
            CoachConnection.period == ConnectionPeriod.FROM_CONNECTING.value,
            CoachConnection.starts_on,
        ),
        else_=date(1, 1, 1),
    )
