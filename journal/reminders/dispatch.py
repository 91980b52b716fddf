"""One scheduler tick: plan due reminders, claim them, check again, send, record.

The database is the source of truth, so any number of scheduler processes may run ticks at
once (a second one is harmless, and one that crashes loses at most what it was sending):

1. **Plan.** People whose `ReminderSettings.next_due_at` has come (an indexed column, so a tick
   reads only those) get a `ReminderDelivery` row, inserted if absent under the unique key
   (user, channel, local date), and a new `next_due_at`. The rows are locked while planning
   (PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite `BEGIN IMMEDIATE`), so two processes never plan
   the same person at once.
2. **Claim.** Due `planned` rows become `claimed` by this process, under the same locks. A claim
   older than CLAIM_TIMEOUT was left by a process that died: it is picked up once more if
   sending had not started, and closed as failed ("interrupted") if it had, because we cannot
   know whether the message left, and a reminder twice is worse than one missed.
3. **Check again and send.** Whether the reminder is still wanted is decided just before
   sending (journal.domain.schedule.decide): the account may be gone, the person may have
   checked in, paused, turned the channel off or already been reminded today. `sending_at` is
   committed for a small chunk right before it is sent.
4. **Record** sent / failed / skipped / expired, the unanswered streak (and the auto-pause),
   and remove push subscriptions the push service calls gone (404/410). When no device could
   be reached, e-mail takes over if the person chose it too: one reminder a day, in all.

The same tick also runs the daily 12:00 evaluation (see `evaluate_daily`).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time as monotonic_clock
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from typing import Any, Final

from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy import Table, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.sql.dml import Insert

from journal.clock import now_utc
from journal.domain.schedule import (
    CHANNEL_ORDER,
    Action,
    Channel,
    Plan,
    decide,
    plan_step,
    text_id,
    unanswered_streak,
)
from journal.evaluation import catch_up
from journal.extensions import db
from journal.models import (
    CheckinRow,
    EvaluationRun,
    FlagState,
    PushSubscription,
    ReminderDelivery,
    ReminderSettings,
    User,
)
from journal.reminders import plan_of, zone_of
from journal.reminders.mail import MailSender, SmtpSender, build_message, unsubscribe_token
from journal.reminders.mail import configured as mail_configured
from journal.reminders.push import (
    PushOutcome,
    PushTarget,
    WebPushSender,
    payload,
    vapid_key,
)
from journal.reminders.texts import title_and_body

log = logging.getLogger("journal.reminders")

CLAIM_TIMEOUT: Final = timedelta(minutes=10)
# Reminders marked as being sent together. A crash loses at most this many (closed as
# "interrupted", never sent twice); a chunk normally takes seconds, and only one whose sends
# all hit their 10 s timeout comes near CLAIM_TIMEOUT (then its record may say failed).
SEND_CHUNK: Final = 50
PLAN_BATCH: Final = 1000
CLAIM_BATCH: Final = 500
MAX_BATCHES: Final = 1000  # a bound on one tick's loops, far above any real need
MAX_ATTEMPTS: Final = 2  # claims of one delivery; a second abandoned claim closes it
EVALUATION_TIME: Final = time(12, 0)
EVALUATION_BATCH: Final = 200
EVALUATION_BUDGET: Final = timedelta(seconds=30)  # per tick; the rest waits for the next one
ZONES_TTL: Final = timedelta(minutes=10)  # someone in a new zone waits this long at most

PushSender = Callable[[PushTarget, str, str], PushOutcome]


@dataclass
class Senders:
    """How messages leave; the tests and the benchmark pass stand-ins."""

    push: PushSender
    mail: MailSender | None  # None: SMTP is not configured, e-mail reminders are skipped
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for close in self.closers:
            close()


def default_senders(app: Flask) -> Senders:
    options = app.config["JOURNAL"]
    push = WebPushSender(lambda: vapid_key(app), str(options["VAPID_SUBJECT"]))
    mail = SmtpSender(app) if mail_configured(app) else None
    closers = [push.close] + ([mail.close] if mail else [])
    return Senders(push=push, mail=mail, closers=closers)


@dataclass
class TickReport:
    planned: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    evaluated: int = 0

    def __str__(self) -> str:
        counts = " ".join(f"{k}={v}" for k, v in sorted(self.outcomes.items()))
        return f"planned={self.planned} {counts} evaluated={self.evaluated}".strip()


def worker_id() -> str:
    """Names this process in `claimed_by` (host, pid and a nonce against pid reuse)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


def run_tick(
    *,
    worker: str,
    senders: Senders | None = None,
    stop: threading.Event | None = None,
) -> TickReport:
    """One tick, inside the caller's app context. Safe to run in several processes at once."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    now = now_utc()
    report = TickReport()
    own = senders is None
    active = senders or default_senders(app)
    stopping = stop or threading.Event()
    try:
        plan_due(now, report, stopping)
        deliver_due(app, now, worker, active, report, stopping)
        evaluate_daily(now, report, stopping)
    finally:
        if own:
            active.close()
        db.session.remove()
    return report


# --- transactions ----------------------------------------------------------------------------


def _dialect() -> str:
    return str(db.session.get_bind().dialect.name)


@contextmanager
def _locked() -> Iterator[bool]:
    """A write transaction that holds its locks from the start.

    SQLite: `BEGIN IMMEDIATE` takes the database's write lock before the first read, so two
    processes cannot both read the same due rows and then both write them. PostgreSQL: yields
    True, and the caller's SELECTs use `FOR UPDATE SKIP LOCKED`, so processes share the work.
    """
    db.session.commit()  # no half-open transaction may precede an explicit BEGIN
    dialect = _dialect()
    if dialect == "sqlite":
        db.session.execute(text("BEGIN IMMEDIATE"))
    try:
        yield dialect == "postgresql"
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def _insert_ignore(table: Table) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING in this database's dialect."""
    if _dialect() == "postgresql":
        return pg_insert(table).on_conflict_do_nothing()
    return sqlite_insert(table).on_conflict_do_nothing()


_DELIVERIES: Table = ReminderDelivery.__table__
_SETTINGS: Table = ReminderSettings.__table__

_SET_WAKE = (
    update(_SETTINGS)
    .where(_SETTINGS.c.user_id == bindparam("b_user"))
    .values(next_due_at=bindparam("b_wake"))
)
# --- 1. plan ---------------------------------------------------------------------------------


def _primary_channel(plan: Plan, has_device: bool) -> Channel | None:
    """Push when the person chose it and has a device for it, else e-mail if chosen."""
    for channel in CHANNEL_ORDER:
        if channel in plan.channels and (channel is not Channel.PUSH or has_device):
            return channel
    return None


def plan_due(now: datetime, report: TickReport, stop: threading.Event) -> None:
    for _ in range(MAX_BATCHES):
        if stop.is_set():
            return
        with _locked() as skip_locked:
            query = (
                select(_SETTINGS, User.timezone)
                .join(User, User.id == _SETTINGS.c.user_id)
                .where(_SETTINGS.c.next_due_at <= now)
                .order_by(_SETTINGS.c.next_due_at)
                .limit(PLAN_BATCH)
            )
            if skip_locked:
                query = query.with_for_update(skip_locked=True, of=_SETTINGS)
            rows = db.session.execute(query).all()
            if not rows:
                return
            user_ids = [row.user_id for row in rows]
            with_device = set(
                db.session.scalars(
                    select(PushSubscription.user_id)
                    .where(PushSubscription.user_id.in_(user_ids))
                    .distinct()
                )
            )
            deliveries, wakes = [], []
            for row in rows:
                plan = plan_of(row)
                wake = row.next_due_at or now
                step = plan_step(plan, zone_of(row.timezone), wake, now)
                wakes.append({"b_user": row.user_id, "b_wake": step.wake})
                if step.day is None or step.due is None:
                    continue
                channel = _primary_channel(plan, row.user_id in with_device)
                if channel is None:
                    continue  # push only, and no device subscribed: nothing could arrive
                deliveries.append(
                    {
                        "user_id": row.user_id,
                        "channel": channel.value,
                        "local_date": step.day,
                        "due_at": step.due,
                        "status": "planned",
                        "attempts": 0,
                        "detail": "",
                    }
                )
            if deliveries:
                db.session.execute(_insert_ignore(_DELIVERIES), deliveries)
            db.session.execute(_SET_WAKE, wakes)
            report.planned += len(deliveries)
            # Caught up, unless someone is due again already (a day missed while no scheduler
            # ran is followed by today's reminder, planned in this same tick).
            behind = any(w["b_wake"] is not None and w["b_wake"] <= now for w in wakes)
        if len(rows) < PLAN_BATCH and not behind:
            return


# --- 2. claim --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    user_id: int
    channel: str
    local_date: date
    due_at: datetime


def claim(now: datetime, worker: str, limit: int = CLAIM_BATCH) -> list[Claimed]:
    """Take due rows for this process (and deal with claims left by a dead one)."""
    with _locked() as skip_locked:
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
            (closed if sending_at is not None or attempts >= MAX_ATTEMPTS else retried).append(
                row_id
            )
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
            log.warning(
                "abandoned claims: %d closed, %d picked up again", len(closed), len(retried)
            )

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


# --- 3 and 4. check again, send, record ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Person:
    timezone: str
    language: str
    email: str
    created_at: datetime


@dataclass
class _Outgoing:
    claimed: Claimed
    person: _Person
    plan: Plan
    streak: int
    targets: list[PushTarget]


@dataclass
class _Batch:
    """What a claimed batch writes back, collected and grouped: a chunk of reminders is
    recorded in a few statements whatever its size (a statement per row would make the
    database's round trips, not the reminders, the cost of a tick)."""

    worker: str
    # (status, detail, sent) → delivery ids
    records: dict[tuple[str, str, bool], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # (unanswered, day of the reminder) → people who were just sent one
    sent: dict[tuple[int, date], list[int]] = field(default_factory=lambda: defaultdict(list))
    paused: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    gone: list[int] = field(default_factory=list)
    fallbacks: list[dict[str, Any]] = field(default_factory=list)

    def record(self, row_id: int, status: str, detail: str = "") -> None:
        self.records[(status, detail, status == "sent")].append(row_id)

    def write(self, report: TickReport) -> None:
        """Add the collected changes to the session's transaction (the caller commits)."""
        at = now_utc()
        for (status, detail, sent), ids in self.records.items():
            # Only while the claim is still ours: a row another process took over is its own.
            db.session.execute(
                update(_DELIVERIES)
                .where(
                    _DELIVERIES.c.id.in_(ids),
                    _DELIVERIES.c.claimed_by == self.worker,
                    _DELIVERIES.c.status == "claimed",
                )
                .values(status=status, detail=detail, sent_at=at if sent else None)
            )
            report.outcomes[status] += len(ids)
        for (unanswered, day), users in self.sent.items():
            db.session.execute(
                update(_SETTINGS)
                .where(_SETTINGS.c.user_id.in_(users))
                .values(unanswered=unanswered, last_sent_on=day)
            )
        for unanswered, users in self.paused.items():
            db.session.execute(
                update(_SETTINGS)
                .where(_SETTINGS.c.user_id.in_(users))
                .values(auto_paused=True, unanswered=unanswered, next_due_at=None)
            )
        if self.gone:
            subscriptions = PushSubscription.__table__
            db.session.execute(subscriptions.delete().where(subscriptions.c.id.in_(self.gone)))
        if self.fallbacks:
            db.session.execute(_insert_ignore(_DELIVERIES), self.fallbacks)
        self.records.clear()
        self.sent.clear()
        self.paused.clear()
        self.gone, self.fallbacks = [], []

    def fall_back(self, claimed: Claimed, plan: Plan) -> None:
        """No device could be reached: e-mail takes over today, if the person chose it."""
        if Channel.EMAIL in plan.channels and claimed.channel == Channel.PUSH.value:
            self.fallbacks.append(
                {
                    "user_id": claimed.user_id,
                    "channel": Channel.EMAIL.value,
                    "local_date": claimed.local_date,
                    "due_at": claimed.due_at,
                    "status": "planned",
                    "attempts": 0,
                    "detail": "",
                }
            )


def deliver_due(
    app: Flask,
    now: datetime,
    worker: str,
    senders: Senders,
    report: TickReport,
    stop: threading.Event,
) -> None:
    for _ in range(MAX_BATCHES):
        if stop.is_set():
            return
        claimed = claim(now, worker)
        if not claimed:
            return
        _process(app, claimed, now, worker, senders, report, stop)


def _process(
    app: Flask,
    claimed: list[Claimed],
    now: datetime,
    worker: str,
    senders: Senders,
    report: TickReport,
    stop: threading.Event,
) -> None:
    user_ids = sorted({c.user_id for c in claimed})
    days = sorted({c.local_date for c in claimed})
    settings = {
        row.user_id: row
        for row in db.session.execute(select(_SETTINGS).where(_SETTINGS.c.user_id.in_(user_ids)))
    }
    people = {
        row.id: _Person(row.timezone, row.language, row.email, row.created_at)
        for row in db.session.execute(
            select(User.id, User.timezone, User.language, User.email, User.created_at).where(
                User.id.in_(user_ids)
            )
        )
    }
    latest: dict[int, date] = {
        uid: day
        for uid, day in db.session.execute(
            select(CheckinRow.user_id, func.max(CheckinRow.date))
            .where(CheckinRow.user_id.in_(user_ids))
            .group_by(CheckinRow.user_id)
        )
    }
    reminded = {
        (uid, day)
        for uid, day in db.session.execute(
            select(ReminderDelivery.user_id, ReminderDelivery.local_date).where(
                ReminderDelivery.user_id.in_(user_ids),
                ReminderDelivery.local_date.in_(days),
                ReminderDelivery.status == "sent",
            )
        )
    }
    targets: dict[int, list[PushTarget]] = defaultdict(list)
    push_users = [c.user_id for c in claimed if c.channel == Channel.PUSH.value]
    if push_users:
        subs = PushSubscription.__table__
        for sub in db.session.execute(select(subs).where(subs.c.user_id.in_(push_users))):
            targets[sub.user_id].append(PushTarget(sub.id, sub.endpoint, sub.p256dh, sub.auth))

    batch = _Batch(worker)
    outgoing: list[_Outgoing] = []
    streaks: dict[int, int] = {}
    for item in sorted(claimed, key=lambda c: (c.due_at, c.id)):
        row, person = settings.get(item.user_id), people.get(item.user_id)
        if row is None or person is None:
            batch.record(item.id, "skipped", "gone")
            continue
        plan = plan_of(row)
        if Channel(item.channel) not in plan.channels:
            batch.record(item.id, "skipped", "channel_off")
            continue
        streak = streaks.get(item.user_id)
        if streak is None:
            streak = unanswered_streak(row.unanswered, row.last_sent_on, latest.get(item.user_id))
        checkin = latest.get(item.user_id)
        decision = decide(
            plan,
            zone_of(person.timezone),
            day=item.local_date,
            due=item.due_at,
            now=now,
            checked_in=checkin is not None and checkin >= item.local_date,
            already_reminded=(item.user_id, item.local_date) in reminded,
            streak=streak,
        )
        if decision.action is Action.SEND:
            if item.channel == Channel.PUSH.value and not targets.get(item.user_id):
                batch.record(item.id, "skipped", "no_device")
                batch.fall_back(item, plan)
                continue
            if item.channel == Channel.EMAIL.value and senders.mail is None:
                batch.record(item.id, "skipped", "smtp_off")
                continue
            reminded.add((item.user_id, item.local_date))  # one a day, also within a batch
            streaks[item.user_id] = streak + 1
            outgoing.append(_Outgoing(item, person, plan, streak, targets.get(item.user_id, [])))
        elif decision.action is Action.PAUSE:
            batch.record(item.id, "skipped", "auto_paused")
            batch.paused[streak].append(item.user_id)
            log.info("reminders auto-paused for user %d", item.user_id)
        elif decision.action is Action.EXPIRE:
            batch.record(item.id, "expired", decision.reason)
        else:
            batch.record(item.id, "skipped", decision.reason)
    batch.write(report)

    # Each chunk: mark it as being sent and commit that together with the previous chunk's
    # results, send it, and so on; the last results are committed at the end.
    texts: dict[tuple[str, str], tuple[str, str]] = {}
    for start in range(0, len(outgoing), SEND_CHUNK):
        chunk = outgoing[start : start + SEND_CHUNK]
        if stop.is_set():
            db.session.commit()
            release([o.claimed.id for o in outgoing[start:]], worker)
            return
        marked = set(
            db.session.scalars(
                update(_DELIVERIES)
                .where(
                    _DELIVERIES.c.id.in_([o.claimed.id for o in chunk]),
                    _DELIVERIES.c.claimed_by == worker,
                    _DELIVERIES.c.status == "claimed",
                )
                .values(sending_at=now_utc())
                .returning(_DELIVERIES.c.id)
            )
        )
        db.session.commit()  # durable before anything leaves (see the module docstring)
        for out in chunk:
            if out.claimed.id in marked:
                _send_one(app, out, senders, batch, texts)
        batch.write(report)
    db.session.commit()


def _words(
    language: str, text: str, cache: dict[tuple[str, str], tuple[str, str]]
) -> tuple[str, str]:
    key = (language, text)
    if key not in cache:
        with force_locale(language):
            cache[key] = title_and_body(text)
    return cache[key]


def _send_one(
    app: Flask,
    out: _Outgoing,
    senders: Senders,
    batch: _Batch,
    cache: dict[tuple[str, str], tuple[str, str]],
) -> None:
    item = out.claimed
    chosen_text = text_id(item.user_id, item.local_date)
    if item.channel == Channel.PUSH.value:
        tag = f"reminder-{item.id}"
        title, body = _words(out.person.language, chosen_text, cache)
        data = payload(title, body, tag)
        outcomes = []
        for target in out.targets:
            outcome = senders.push(target, data, tag)
            outcomes.append(outcome)
            if outcome is PushOutcome.GONE:
                batch.gone.append(target.id)
        if PushOutcome.SENT in outcomes:
            _sent(batch, out)
            return
        reason = "push_gone" if all(o is PushOutcome.GONE for o in outcomes) else "push_failed"
        batch.record(item.id, "failed", reason)
        batch.fall_back(item, out.plan)
        return

    assert senders.mail is not None  # checked before the chunk was marked
    try:
        with force_locale(out.person.language):
            message: EmailMessage = build_message(
                app,
                to=out.person.email,
                language=out.person.language,
                text_id=chosen_text,
                token=unsubscribe_token(app, item.user_id, out.person.created_at),
                delivery_id=item.id,
                day=item.local_date,
            )
        senders.mail.send(message)
    except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
        # The class name only: an SMTP error text may repeat the address.
        batch.record(item.id, "failed", f"smtp:{error.__class__.__name__}")
        return
    _sent(batch, out)


def _sent(batch: _Batch, out: _Outgoing) -> None:
    batch.record(out.claimed.id, "sent")
    batch.sent[(out.streak + 1, out.claimed.local_date)].append(out.claimed.user_id)


# --- the daily evaluation --------------------------------------------------------------------


def _zones() -> list[str]:
    """The time zones people are in, read again every ZONES_TTL (a scan of all people, so
    not every minute: a tick's cost must not grow with the number of people)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cached: tuple[float, list[str]] | None = app.extensions.get("journal.reminders.zones")
    clock = monotonic_clock.monotonic()
    if cached is None or clock - cached[0] > ZONES_TTL.total_seconds():
        zones = list(db.session.scalars(select(User.timezone).distinct()))
        cached = (clock, zones)
        app.extensions["journal.reminders.zones"] = cached
    return cached[1]


def evaluate_daily(now: datetime, report: TickReport, stop: threading.Event) -> None:
    """At 12:00 local, store today's flag states for people who have not opened the app.

    The rules can raise a flag without a check-in (a gap in check-ins, for one), and its
    onset must be dated today, not on the day the person next opens the app. This calls the
    same catch-up the home page does, for people with check-ins and no states for today yet.
    Done per time zone: once a zone's day is finished it costs one small query per tick.
    """
    started = monotonic_clock.monotonic()
    budget = EVALUATION_BUDGET.total_seconds()
    pending: list[tuple[str, date]] = []
    for name in _zones():
        local = now.astimezone(zone_of(name))
        if local.time() >= EVALUATION_TIME:
            pending.append((name, local.date()))
    if not pending:
        return
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
            if stop.is_set() or monotonic_clock.monotonic() - started > budget:
                return  # the next tick goes on where this one stopped
            has_checkins = (
                select(CheckinRow.id).where(CheckinRow.user_id == User.id).limit(1).exists()
            )
            evaluated = (
                select(FlagState.id)
                .where(FlagState.user_id == User.id, FlagState.date == day)
                .limit(1)
                .exists()
            )
            ids = list(
                db.session.scalars(
                    select(User.id)
                    .where(User.timezone == name, User.id > cursor, has_checkins, ~evaluated)
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
                    report.evaluated += 1
                except (IntegrityError, OperationalError):
                    # Another scheduler evaluated this person at the same moment.
                    db.session.rollback()
        db.session.execute(
            _insert_ignore(EvaluationRun.__table__),
            [{"zone": name, "local_date": day, "finished_at": now}],
        )
        db.session.commit()
