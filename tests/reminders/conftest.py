"""Fixtures for the reminder tests: an app with a VAPID key and clock control, people with
reminder settings, and stand-in senders that record what would have left.

The `app` fixture of tests/conftest.py runs each test on SQLite and (with TEST_DATABASE_URL)
on PostgreSQL; `reminders` wraps it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from journal.clock import zone_of
from journal.domain.checkin import parse_checkin
from journal.domain.schedule import due_at
from journal.extensions import db
from journal.models import CheckinRow, PushSubscription, ReminderDelivery, ReminderSettings, User
from journal.reminders import reschedule
from journal.reminders.push import PushOutcome, PushTarget
from journal.reminders.tick import Senders, TickReport, run_tick
from tests.payloads import day as raw_day

from .keys import VAPID_PEM, subscriber_keys

__all__ = ["VAPID_PEM", "subscriber_keys"]

SECRET_NOTE = "GEHEIME-NOTITIE over mijn nacht"


@dataclass
class FakePush:
    """Records each push; `answers` maps an endpoint to the outcome to give (default SENT)."""

    answers: dict[str, PushOutcome] = field(default_factory=dict)
    sent: list[tuple[str, str, str]] = field(default_factory=list)

    def __call__(self, target: PushTarget, data: str, topic: str) -> PushOutcome:
        self.sent.append((target.endpoint, data, topic))
        return self.answers.get(target.endpoint, PushOutcome.SENT)


@dataclass
class FakeMail:
    messages: list[EmailMessage] = field(default_factory=list)
    fail: bool = False

    def send(self, message: EmailMessage) -> None:
        if self.fail:
            raise OSError("connection refused")
        self.messages.append(message)

    def close(self) -> None:
        pass


class Reminders:
    """People, settings and ticks against one app; the clock is the app's FIXED_NOW."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.push = FakePush()
        self.mail = FakeMail()
        self._count = 0

    @property
    def now(self) -> datetime:
        value: datetime = self.app.config["FIXED_NOW"]
        return value

    def at(self, instant: datetime) -> None:
        self.app.config["FIXED_NOW"] = instant

    def person(
        self,
        *,
        at: time = time(9, 0),
        push: bool = True,
        email: bool = False,
        devices: int = 1,
        timezone: str = "Europe/Amsterdam",
        language: str = "nl",
        verified: bool = True,
        **settings: Any,
    ) -> int:
        self._count += 1
        with self.app.app_context():
            created = datetime(2026, 1, 1, tzinfo=UTC)
            user = User(
                email=f"person{self._count}@example.org",
                password_hash="x",
                language=language,
                timezone=timezone,
                created_at=created,
                # Reminder e-mails go to confirmed addresses only (issue 19).
                email_verified_at=created if verified else None,
            )
            db.session.add(user)
            db.session.flush()
            row = ReminderSettings(
                user_id=user.id, enabled=True, remind_at=at, weekdays="1111111", push=push,
                email=email, only_if_not_checked_in=True, auto_paused=False, unanswered=0,
            )
            for name, value in settings.items():
                setattr(row, name, value)
            reschedule(row, timezone, self.now)
            db.session.add(row)
            for n in range(devices):
                db.session.add(
                    PushSubscription(
                        user_id=user.id,
                        endpoint=f"https://push.example/{user.id}/{n}",
                        p256dh="x", auth="y", created_at=self.now,
                    )
                )
            db.session.commit()
            return int(user.id)

    def check_in(self, user_id: int, on: date, note: str | None = None) -> None:
        answers = raw_day(note=note) if note else raw_day()
        checkin = parse_checkin(answers, on=on, strict=False).checkin
        assert checkin is not None
        with self.app.app_context():
            db.session.add(CheckinRow.new(user_id, checkin, self.now))
            db.session.commit()

    def due(self, user_id: int, on: date) -> datetime:
        with self.app.app_context():
            row = db.session.get(ReminderSettings, user_id)
            user = db.session.get(User, user_id)
            assert row is not None and user is not None
            return due_at(on, row.remind_at, zone_of(user.timezone))

    def tick(self, at: datetime | None = None, mail: bool = True) -> TickReport:
        if at is not None:
            self.at(at)
        senders = Senders(push=self.push, mail=self.mail if mail else None)
        with self.app.app_context():
            return run_tick(worker="test-worker", senders=senders)

    def deliveries(self, user_id: int | None = None) -> list[ReminderDelivery]:
        with self.app.app_context():
            query = select(ReminderDelivery).order_by(ReminderDelivery.local_date,
                                                      ReminderDelivery.id)
            if user_id is not None:
                query = query.where(ReminderDelivery.user_id == user_id)
            rows = list(db.session.scalars(query))
            db.session.expunge_all()
            return rows

    def settings(self, user_id: int) -> ReminderSettings:
        with self.app.app_context():
            row = db.session.get(ReminderSettings, user_id)
            assert row is not None
            db.session.expunge(row)
            return row

    def devices(self, user_id: int) -> int:
        with self.app.app_context():
            return len(list(db.session.scalars(
                select(PushSubscription).where(PushSubscription.user_id == user_id)
            )))


# Monday 2026-05-04, 06:00 in Amsterdam (CEST): before everybody's reminder time.
START = datetime(2026, 5, 4, 4, 0, tzinfo=UTC)
MONDAY = date(2026, 5, 4)


@pytest.fixture
def reminders(app: Flask) -> Iterator[Reminders]:
    app.config["JOURNAL"].update(
        VAPID_PRIVATE_KEY=VAPID_PEM,
        PUSH_ALLOW_LOCAL=True,
        APP_BASE_URL="http://127.0.0.1:5000",
    )
    app.config["FIXED_NOW"] = START
    yield Reminders(app)


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)
