"""A scheduler process for tests/reminders/test_two_schedulers.py (started with `spawn`).

It builds the app with the same factory as `flask reminders run` and runs the same tick,
with a fake clock: before each tick all processes meet at a barrier and set FIXED_NOW to the
same simulated minute, so they race against each other for real on the same database.
Senders are stand-ins that append what they would have sent to this process's log file; in
the crash test the e-mail goes out over real SMTP and the process hangs mid-chunk, waiting to
be killed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from journal import create_app
from journal.reminders.mail import SmtpSender
from journal.reminders.push import PushOutcome, PushTarget
from journal.reminders.tick import Senders, run_tick

from .keys import VAPID_PEM

BARRIER_TIMEOUT_S = 60


def make_app(database_url: str, start: datetime, smtp_port: int = 0) -> Any:
    config: dict[str, Any] = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "scheduler-test",
        "FIXED_NOW": start,
        "APP_BASE_URL": "http://127.0.0.1:5000",
        "VAPID_PRIVATE_KEY": VAPID_PEM,  # never the repository's instance/ folder
    }
    if smtp_port:
        config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_port, SMTP_STARTTLS=False)
    return create_app(config)


@dataclass
class LogSenders:
    path: str

    def __post_init__(self) -> None:
        self.file = open(self.path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115

    def push(self, target: PushTarget, data: str, topic: str) -> PushOutcome:
        self.file.write(f"push {topic} {target.id}\n")
        return PushOutcome.SENT

    def send(self, message: EmailMessage) -> None:
        self.file.write(f"email {message['Message-ID']}\n")

    def close(self) -> None:
        self.file.flush()


def simulate(database_url: str, start: datetime, ticks: int, step_minutes: int,
             barrier: Any, log_path: str, name: str) -> None:
    """Tick through simulated time in lockstep with the other scheduler process."""
    app = make_app(database_url, start)
    log = LogSenders(log_path)
    senders = Senders(push=log.push, mail=log)
    for n in range(ticks):
        barrier.wait(BARRIER_TIMEOUT_S)
        app.config["FIXED_NOW"] = start + timedelta(minutes=n * step_minutes)
        with app.app_context():
            run_tick(worker=name, senders=senders)
    log.close()


class HangingSmtp(SmtpSender):
    """Real SMTP; after `limit` messages it signals and hangs inside the next send."""

    def __init__(self, app: Any, limit: int, hanging: Any) -> None:
        super().__init__(app)
        self.limit, self.hanging, self.count = limit, hanging, 0

    def send(self, message: EmailMessage) -> None:
        if self.count == self.limit:
            self.hanging.set()
            time.sleep(600)  # killed here, with a chunk marked as being sent
        super().send(message)
        self.count += 1


def crash_while_sending(database_url: str, now: datetime, smtp_port: int, limit: int,
                        hanging: Any) -> None:
    app = make_app(database_url, now, smtp_port)
    with app.app_context():
        mail = HangingSmtp(app, limit, hanging)
        run_tick(worker="doomed", senders=Senders(push=lambda *_: PushOutcome.FAILED, mail=mail))


def one_tick(database_url: str, now: datetime, smtp_port: int) -> None:
    app = make_app(database_url, now, smtp_port)
    with app.app_context():
        run_tick(worker="survivor")
