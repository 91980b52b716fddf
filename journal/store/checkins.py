"""Storing check-ins: the one save path of the form, the API and the CSV import.

Every save locks in the same order on both databases, so saves of one person wait for each other
instead of failing or deadlocking: first the person's `users` row (the stale mark, which on
SQLite also opens the write transaction, so the busy timeout applies), then the check-in rows.
A day already there is never an error: the insert steps aside and the outcome says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, update

from journal.domain.checkin import CheckIn
from journal.extensions import db
from journal.models import CheckinRow, column_values, new_row_values
from journal.store.flag_states import mark_stale
from journal.store.sql import insert_ignore


class Outcome(StrEnum):
    """What a save did with one day; each caller puts it into its own answer."""

    STORED = "stored"  # a new row
    EDITED = "edited"  # the day was there, within its edit window, and now holds these answers
    ALREADY_THERE = "already_there"  # the day was there and stays as it is
    KEY_REUSED = "key_reused"  # a row (anyone's) holds the client_id: nothing was written


_CHECKINS = CheckinRow.__table__


def store_days(
    user_id: int,
    checkins: Sequence[CheckIn],
    *,
    made_at: datetime,
    client_id: str | None = None,
    edit_after: datetime | None = None,
) -> list[Outcome]:
    """Store a person's days in one transaction and commit it; one outcome per day, in order.

    `client_id` is the outbox's key of a single check-in. A day already there is edited when
    its row was made after `edit_after` (the form's edit window), else left as it is. When
    nothing was written, the transaction is rolled back, stale mark included.
    """
    if not checkins:
        return []
    if client_id is not None and len(checkins) != 1:
        raise ValueError("a client_id names one check-in")
    mark_stale(user_id, min(checkin.date for checkin in checkins))
    # No conflict target: it steps aside on either unique key, (user_id, date) or client_id.
    stored = set(
        db.session.scalars(
            insert_ignore(_CHECKINS).returning(_CHECKINS.c.date),
            [new_row_values(user_id, checkin, made_at, client_id) for checkin in checkins],
        )
    )
    outcomes = [
        Outcome.STORED
        if checkin.date in stored
        else _already_there(user_id, checkin, made_at, client_id, edit_after)
        for checkin in checkins
    ]
    if Outcome.STORED in outcomes or Outcome.EDITED in outcomes:
        db.session.commit()
    else:
        db.session.rollback()
    return outcomes


def _already_there(
    user_id: int,
    checkin: CheckIn,
    made_at: datetime,
    client_id: str | None,
    edit_after: datetime | None,
) -> Outcome:
    if client_id is not None and db.session.scalar(
        select(_CHECKINS.c.id).where(_CHECKINS.c.client_id == client_id)
    ):
        return Outcome.KEY_REUSED
    if edit_after is None:
        return Outcome.ALREADY_THERE
    # `backfilled` and `created_at` stay: they describe the day's first save.
    edited = db.session.scalar(
        update(_CHECKINS)
        .where(
            _CHECKINS.c.user_id == user_id,
            _CHECKINS.c.date == checkin.date,
            _CHECKINS.c.created_at > edit_after,
        )
        .values(updated_at=made_at, **column_values(checkin))
        .returning(_CHECKINS.c.id)
    )
    return Outcome.ALREADY_THERE if edited is None else Outcome.EDITED
