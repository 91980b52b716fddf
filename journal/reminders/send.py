"""Steps 3 and 4 of a tick (see tick.py): check each claimed reminder again, send it in
chunks, and record what happened."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any, Final

from flask import Flask
from flask_babel import force_locale
from sqlalchemy import Table, func, select, update

from journal.clock import now_utc, zone_of
from journal.domain.schedule import Action, Channel, Plan, decide, text_id, unanswered_streak
from journal.extensions import db
from journal.models import CheckinRow, PushSubscription, ReminderDelivery, ReminderSettings, User
from journal.reminders import plan_of
from journal.reminders.claim import MAX_BATCHES, Claimed, claim, release
from journal.reminders.mail import build_message, unsubscribe_token
from journal.reminders.plan import planned_delivery
from journal.reminders.push import PushOutcome, PushTarget, keys_valid, payload
from journal.reminders.texts import title_and_body
from journal.store.sql import insert_ignore

if TYPE_CHECKING:  # the tick imports this module to run it
    from journal.reminders.tick import Senders, TickReport

log = logging.getLogger("journal.reminders")

# Reminders marked as being sent together. A crash loses at most this many (closed as
# "interrupted", never sent twice); a chunk normally takes seconds, and only one whose sends
# all hit their 10 s timeout comes near CLAIM_TIMEOUT (then its record may say failed).
SEND_CHUNK: Final = 50

_DELIVERIES: Table = ReminderDelivery.__table__
_SETTINGS: Table = ReminderSettings.__table__


@dataclass(frozen=True, slots=True)
class _Person:
    timezone: str
    language: str
    email: str
    created_at: datetime
    email_verified: bool


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
            db.session.execute(insert_ignore(_DELIVERIES), self.fallbacks)
        self.records.clear()
        self.sent.clear()
        self.paused.clear()
        self.gone, self.fallbacks = [], []

    def fall_back(self, claimed: Claimed, plan: Plan) -> None:
        """No device could be reached: e-mail takes over today, if the person chose it."""
        if Channel.EMAIL in plan.channels and claimed.channel == Channel.PUSH.value:
            self.fallbacks.append(
                planned_delivery(claimed.user_id, Channel.EMAIL, claimed.local_date, claimed.due_at)
            )


@dataclass(frozen=True, slots=True)
class _Run:
    """What every batch of one tick's sending shares."""

    app: Flask
    now: datetime
    worker: str
    senders: Senders
    report: TickReport
    stop: threading.Event


def deliver_due(
    app: Flask,
    now: datetime,
    worker: str,
    senders: Senders,
    report: TickReport,
    stop: threading.Event,
) -> None:
    run = _Run(app, now, worker, senders, report, stop)
    for _ in range(MAX_BATCHES):
        if stop.is_set():
            return
        claimed = claim(now, worker)
        if not claimed:
            return
        _process(run, claimed)


def _process(run: _Run, claimed: list[Claimed]) -> None:
    user_ids = sorted({c.user_id for c in claimed})
    days = sorted({c.local_date for c in claimed})
    settings = {
        row.user_id: row
        for row in db.session.execute(select(_SETTINGS).where(_SETTINGS.c.user_id.in_(user_ids)))
    }
    people = {
        row.id: _Person(
            row.timezone,
            row.language,
            row.email,
            row.created_at,
            row.email_verified_at is not None,
        )
        for row in db.session.execute(
            select(
                User.id,
                User.timezone,
                User.language,
                User.email,
                User.created_at,
                User.email_verified_at,
            ).where(User.id.in_(user_ids))
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

    batch = _Batch(run.worker)
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
        if item.channel == Channel.EMAIL.value and not person.email_verified:
            # Only to a confirmed address (issue 19): a mistyped one is someone else's inbox.
            # Push to the person's own devices goes on meanwhile.
            batch.record(item.id, "skipped", "unverified")
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
            now=run.now,
            checked_in=checkin is not None and checkin >= item.local_date,
            already_reminded=(item.user_id, item.local_date) in reminded,
            streak=streak,
        )
        if decision.action is Action.SEND:
            if item.channel == Channel.PUSH.value and not targets.get(item.user_id):
                batch.record(item.id, "skipped", "no_device")
                batch.fall_back(item, plan)
                continue
            if item.channel == Channel.EMAIL.value and run.senders.mail is None:
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
    batch.write(run.report)
    _send_chunks(run, outgoing, batch)


def _send_chunks(run: _Run, outgoing: list[_Outgoing], batch: _Batch) -> None:
    """Each chunk: mark it as being sent and commit that together with the previous chunk's
    results, send it, and so on; the last results are committed at the end."""
    texts: dict[tuple[str, str], tuple[str, str]] = {}
    for start in range(0, len(outgoing), SEND_CHUNK):
        chunk = outgoing[start : start + SEND_CHUNK]
        if run.stop.is_set():
            db.session.commit()
            release([o.claimed.id for o in outgoing[start:]], run.worker)
            return
        marked = set(
            db.session.scalars(
                update(_DELIVERIES)
                .where(
                    _DELIVERIES.c.id.in_([o.claimed.id for o in chunk]),
                    _DELIVERIES.c.claimed_by == run.worker,
                    _DELIVERIES.c.status == "claimed",
                )
                .values(sending_at=now_utc())
                .returning(_DELIVERIES.c.id)
            )
        )
        db.session.commit()  # durable before anything leaves (see tick.py's docstring)
        for out in chunk:
            if out.claimed.id in marked:
                _send_one(run.app, out, run.senders, batch, texts)
        batch.write(run.report)
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
        outcomes = [_push(senders, target, data, tag) for target in out.targets]
        batch.gone.extend(
            target.id
            for target, outcome in zip(out.targets, outcomes, strict=True)
            if outcome in _REMOVE
        )
        if PushOutcome.SENT in outcomes:
            _sent(batch, out)
            return
        batch.record(item.id, "failed", _push_failure(outcomes))
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
    except Exception as error:  # smtplib's are OSErrors; any other must not stop the batch
        # The class name only: an SMTP error text may repeat the address.
        batch.record(item.id, "failed", f"smtp:{error.__class__.__name__}")
        return
    _sent(batch, out)


_REMOVE: Final = frozenset({PushOutcome.GONE, PushOutcome.INVALID})


def _push(senders: Senders, target: PushTarget, data: str, tag: str) -> PushOutcome:
    """One subscription's send, guarded: whatever it raises fails this one alone, and every
    other delivery of the batch still goes out (issue 17: one forged key stopped them all)."""
    try:
        return senders.push(target, data, tag)
    except Exception as error:
        # Removed only when its own keys are broken: an error in the push library would
        # otherwise remove everybody's subscriptions in one tick.
        broken = not keys_valid(target.p256dh, target.auth)
        # The id and the class name only: an error's text may hold the endpoint.
        log.warning(
            "push subscription %d failed with %s%s",
            target.id,
            error.__class__.__name__,
            "; removed, its keys are not valid" if broken else "",
        )
        return PushOutcome.INVALID if broken else PushOutcome.FAILED


def _push_failure(outcomes: list[PushOutcome]) -> str:
    """The delivery's detail when no device got it."""
    if all(o is PushOutcome.GONE for o in outcomes):
        return "push_gone"
    if all(o is PushOutcome.INVALID for o in outcomes):
        return "push_invalid"
    return "push_failed"


def _sent(batch: _Batch, out: _Outgoing) -> None:
    batch.record(out.claimed.id, "sent")
    batch.sent[(out.streak + 1, out.claimed.local_date)].append(out.claimed.user_id)
