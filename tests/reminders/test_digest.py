"""The coach's Monday e-mail (issue 20): counts only, no names, no health data, once a week
even with two schedulers, and none when switched off or without connected clients."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from journal.extensions import db
from journal.models import CoachProfile
from journal.reminders.digest import _claim
from journal.reminders.mail import SmtpSender
from journal.reminders.tick import Senders, run_tick
from tests.web.coach_clients import Coach, calm_diary, client_person, connect, make_coach

from .conftest import MONDAY, Reminders
from .smtp_server import smtp_server

SEVEN_AM = datetime(2026, 5, 4, 5, 5, tzinfo=UTC)  # Monday 07:05 in Amsterdam (CEST)
SECRET_NAME = "Ilse-GEHEIM"


@pytest.fixture
def coach(app: Flask, reminders: Reminders) -> Coach:
    """Anna (Dutch) with three clients: one who checked in today, one quiet for 5 days, and
    one connection ended."""
    anna = make_coach(app, "anna@praktijk.example", language="nl")
    calm = client_person(app, "calm@example.org", calm_diary(60, MONDAY))
    quiet = client_person(app, "quiet@example.org", calm_diary(60, MONDAY - timedelta(days=5)))
    gone = client_person(app, "gone@example.org", calm_diary(10, MONDAY))
    connect(app, calm, anna, SECRET_NAME, starts_on=MONDAY)
    connect(app, quiet, anna, "Bram", starts_on=MONDAY)
    ended = connect(app, gone, anna, "Gone", starts_on=MONDAY)
    with app.app_context():
        from journal.models import CoachConnection

        row = db.session.get(CoachConnection, ended)
        assert row is not None
        row.ended_at = row.created_at
        db.session.commit()
    return anna


def test_on_monday_morning_one_mail_with_counts_only(
    app: Flask, reminders: Reminders, coach: Coach
) -> None:
    assert reminders.tick().digests == 0  # 06:00: not yet
    assert reminders.mail.messages == []
    report = reminders.tick(SEVEN_AM)
    assert report.digests == 1
    (message,) = reminders.mail.messages
    assert message["To"] == coach.email
    assert message["Subject"] == "Je cliënten deze week"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Van je 2 gekoppelde cliënten:" in text
    assert "1 heeft 3 dagen of langer niet ingecheckt" in text
    assert "http://127.0.0.1:5000/coach" in text
    for body in (text, html):
        assert SECRET_NAME not in body and "Bram" not in body and "Gone" not in body
        assert "calm@example.org" not in body and "quiet@example.org" not in body
    # Once a week: later ticks that Monday, and the rest of the week, send nothing.
    for later in (SEVEN_AM + timedelta(minutes=1), SEVEN_AM + timedelta(days=1, hours=3)):
        assert reminders.tick(later).digests == 0
    assert len(reminders.mail.messages) == 1
    with app.app_context():
        assert db.session.scalar(select(CoachProfile.digest_sent_for)) == MONDAY
    # The next Monday: the next one.
    assert reminders.tick(SEVEN_AM + timedelta(days=7)).digests == 1


def test_switched_off_sends_nothing(app: Flask, reminders: Reminders, coach: Coach) -> None:
    with app.app_context():
        profile = db.session.get(CoachProfile, coach.id)
        assert profile is not None
        profile.digest_enabled = False
        db.session.commit()
    assert reminders.tick(SEVEN_AM).digests == 0
    assert reminders.mail.messages == []


def test_a_coach_without_connected_clients_gets_nothing(app: Flask, reminders: Reminders) -> None:
    make_coach(app, "new@praktijk.example")
    assert reminders.tick(SEVEN_AM).digests == 0


def test_without_smtp_nothing_is_claimed(app: Flask, reminders: Reminders, coach: Coach) -> None:
    assert reminders.tick(SEVEN_AM, mail=False).digests == 0
    with app.app_context():
        assert db.session.scalar(select(CoachProfile.digest_sent_for)) is None


def test_the_claim_is_won_once(app: Flask, reminders: Reminders, coach: Coach) -> None:
    """Two schedulers: the conditional update lets only one of them send."""
    with app.app_context():
        assert _claim(coach.id, MONDAY) is True
        assert _claim(coach.id, MONDAY) is False
    assert reminders.tick(SEVEN_AM).digests == 0


def test_through_a_real_smtp_server(app: Flask, reminders: Reminders, coach: Coach) -> None:
    reminders.at(SEVEN_AM)
    with smtp_server() as inbox:
        app.config["JOURNAL"].update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, SMTP_STARTTLS=False)
        sender = SmtpSender(app)
        try:
            with app.app_context():
                report = run_tick(worker="test", senders=Senders(push=reminders.push, mail=sender))
        finally:
            sender.close()
        assert report.digests == 1
        (message,) = inbox.messages
        assert message["Message-ID"] == f"<digest-{coach.id}-2026-05-04@127.0.0.1>"
        assert SECRET_NAME not in message.as_string()
