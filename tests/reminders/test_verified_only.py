"""Reminder e-mails go only to a confirmed address (issue 19): a mistyped address at
registration must not get someone else's inbox a daily mail."""

from __future__ import annotations

from datetime import UTC, datetime

from journal.extensions import db
from journal.models import User
from journal.reminders.push import PushOutcome

from .conftest import MONDAY, Reminders


def statuses(reminders: Reminders, user_id: int) -> list[tuple[str, str, str]]:
    return [(d.channel, d.status, d.detail) for d in reminders.deliveries(user_id)]


def test_an_unconfirmed_address_gets_no_reminder_email(reminders: Reminders) -> None:
    user = reminders.person(push=False, email=True, devices=0, verified=False)
    reminders.tick(reminders.due(user, MONDAY))
    assert reminders.mail.messages == []
    assert statuses(reminders, user) == [("email", "skipped", "unverified")]


def test_push_is_not_held_back_and_email_does_not_take_over(reminders: Reminders) -> None:
    user = reminders.person(email=True, devices=1, verified=False)
    reminders.push.answers = {f"https://push.example/{user}/0": PushOutcome.GONE}
    reminders.tick(reminders.due(user, MONDAY))
    assert len(reminders.push.sent) == 1  # push goes to a device, not to the address
    assert reminders.mail.messages == []
    assert statuses(reminders, user) == [
        ("push", "failed", "push_gone"),
        ("email", "skipped", "unverified"),
    ]


def test_once_confirmed_the_mail_comes(reminders: Reminders) -> None:
    user = reminders.person(push=False, email=True, devices=0, verified=False)
    with reminders.app.app_context():
        person = db.session.get(User, user)
        assert person is not None
        person.email_verified_at = datetime(2026, 5, 4, 5, 0, tzinfo=UTC)
        db.session.commit()
    reminders.tick(reminders.due(user, MONDAY))
    assert len(reminders.mail.messages) == 1
    assert statuses(reminders, user) == [("email", "sent", "")]
