"""Step 2 of a tick (see tick.py): take due deliveries for this process, under locks that let
several scheduler processes share the work, and give them back when stopping."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy import select, text, update

from journal.extensions import db
from journal.models import ReminderDelivery
from journal.store.sql import dialect

log = logging.getLogger("journal.reminders")

CLAIM_TIMEOUT: Final = timedelta(minutes=10)
CLAIM_BATCH: Final = 500
MAX_ATTEMPTS: Final = 2  # claims of one delivery; a second abandoned claim closes it
MAX_BATCHES: Final = 1000  # a bound on each of a tick's loops, far above any real need


@contextmanager
def locked() -> Iterator[bool]:
    """A write transaction that holds its locks from the start.

    SQLite: `BEGIN IMMEDIATE` takes the database's write lock before the first read, so two
    processes cannot both read the same due rows and then both write them. PostgreSQL: yields
    True, and the caller's SELECTs use `FOR UPDATE SKIP LOCKED`, so processes share the work.
    """
    db.session.commit()  # no half-open transaction may precede an explicit BEGIN
    name = dialect()
    if name == "sqlite":
        db.session.execute(text("BEGIN IMMEDIATE"))
    try:
        yield name == "postgresql"
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    user_id: int
    channel: str
    local_date: date
    due_at: datetime


def claim(now: datetime, worker: str, limit: int = CLAIM_BATCH) -> list[Claimed]:
    """Take due rows for this process (and deal with claims left by a dead one)."""
    with locked() as skip_locked:
        _recover_abandoned(now, limit, skip_locked)
        due = (
            select(
                ReminderDelivery.id,
                ReminderDelivery.user_id,
                ReminderDelivery.channel,
                ReminderDelivery.local_date,
                ReminderDelivery.due_at,
            )
            .where(ReminderDelivery.status == "planned", ReminderDelivery.due_at <= now)
            .order_by(ReminderDelivery.due_at, ReminderDelivery.id)
            .limit(limit)
        )
        if skip_locked:
            due = due.with_for_update(skip_locked=True)
        claimed = [Claimed(r[0], r[1], r[2], r[3], r[4]) for r in db.session.execute(due)]
        if claimed:
            db.session.execute(
                update(ReminderDelivery)
                .where(ReminderDelivery.id.in_([c.id for c in claimed]))
                .values(
                    status="claimed",
                    claimed_at=now,
                    claimed_by=worker,
                    attempts=ReminderDelivery.attempts + 1,
                )
            )
    return claimed


def _recover_abandoned(now: datetime, limit: int, skip_locked: bool) -> None:
    """Claims older than CLAIM_TIMEOUT: planned again if sending had not started, else closed
    (whether the message left is unknown, and a reminder twice is worse than one missed)."""
    stale = (
        select(ReminderDelivery.id, ReminderDelivery.sending_at, ReminderDelivery.attempts)
        .where(
            ReminderDelivery.status == "claimed",
            ReminderDelivery.claimed_at < now - CLAIM_TIMEOUT,
        )
        .limit(limit)
    )
    if skip_locked:
        stale = stale.with_for_update(skip_locked=True)
    closed: list[int] = []
    retried: list[int] = []
    for row_id, sending_at, attempts in db.session.execute(stale):
        if sending_at is not None and sending_at >= now - CLAIM_TIMEOUT:
            continue  # a long batch whose chunk is being sent right now: still alive
        (closed if sending_at is not None or attempts >= MAX_ATTEMPTS else retried).append(row_id)
    if closed:
        db.session.execute(
            update(ReminderDelivery)
            .where(ReminderDelivery.id.in_(closed))
            .values(status="failed", detail="interrupted")
        )
    if retried:
        db.session.execute(
            update(ReminderDelivery)
            .where(ReminderDelivery.id.in_(retried))
            .values(status="planned", claimed_by=None, claimed_at=None)
        )
    if closed or retried:
        log.warning("abandoned claims: %d closed, %d picked up again", len(closed), len(retried))


def release(ids: Sequence[int], worker: str) -> None:
    """Give claimed rows back unsent (the process is stopping)."""
    if not ids:
        return
    db.session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.id.in_(ids),
            ReminderDelivery.claimed_by == worker,
            ReminderDelivery.status == "claimed",
            ReminderDelivery.sending_at.is_(None),
        )
        .values(
            status="planned",
            claimed_by=None,
            claimed_at=None,
            attempts=ReminderDelivery.attempts - 1,
        )
    )
    db.session.commit()
