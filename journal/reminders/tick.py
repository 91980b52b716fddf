"""One scheduler tick: plan due reminders, claim them, check again, send, record.

The database is the source of truth, so any number of scheduler processes may run ticks at
once (a second one is harmless, and one that crashes loses at most what it was sending):

1. **Plan** (plan.py). People whose `ReminderSettings.next_due_at` has come (an indexed
   column, so a tick reads only those) get a `ReminderDelivery` row, inserted if absent under
   the unique key (user, channel, local date), and a new `next_due_at`. The rows are locked
   while planning (PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite `BEGIN IMMEDIATE`), so two
   processes never plan the same person at once.
2. **Claim** (claim.py). Due `planned` rows become `claimed` by this process, under the same
   locks. A claim older than CLAIM_TIMEOUT was left by a process that died: it is picked up
   once more if sending had not started, and closed as failed ("interrupted") if it had,
   because we cannot know whether the message left, and a reminder twice is worse than one
   missed.
3. **Check again and send** (send.py). Whether the reminder is still wanted is decided just
   before sending (journal.domain.schedule.decide): the account may be gone, the person may
   have checked in, paused, turned the channel off or already been reminded today.
   `sending_at` is committed for a small chunk right before it is sent. Each push target is
   guarded on its own: an endpoint that no longer resolves to a public address is not
   contacted, and one subscription that raises fails alone, never the batch.
4. **Record** (send.py) sent / failed / skipped / expired, the unanswered streak (and the
   auto-pause), and remove push subscriptions the push service calls gone (404/410) or whose
   keys turn out unusable. When no device could be reached, e-mail takes over if the person
   chose it too: one reminder a day, in all.

The same tick also runs the daily 12:00 flag evaluation
(journal.store.flag_states.evaluate_daily) and the coaches' Monday digest
(journal.reminders.digest).
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app

from journal.clock import now_utc
from journal.extensions import db
from journal.reminders.digest import send_digests
from journal.reminders.mail import MailSender, SmtpSender
from journal.reminders.mail import configured as mail_configured
from journal.reminders.plan import plan_due
from journal.reminders.push import PushOutcome, PushTarget, WebPushSender, vapid_key
from journal.reminders.send import deliver_due
from journal.store.flag_states import evaluate_daily

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
    push = WebPushSender(
        lambda: vapid_key(app),
        str(options["VAPID_SUBJECT"]),
        allow_local=bool(options.get("PUSH_ALLOW_LOCAL")),
    )
    mail = SmtpSender(app) if mail_configured(app) else None
    closers = [push.close] + ([mail.close] if mail else [])
    return Senders(push=push, mail=mail, closers=closers)


@dataclass
class TickReport:
    planned: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    evaluated: int = 0
    digests: int = 0  # coaches' Monday e-mails sent (journal.reminders.digest)

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
        report.evaluated += evaluate_daily(now, stopping)
        report.digests += send_digests(app, now, active.mail, stopping)
    finally:
        if own:
            active.close()
        db.session.remove()
    return report
