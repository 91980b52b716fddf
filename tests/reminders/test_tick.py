"""The tick: planning, claims, the checks just before sending, and what gets recorded."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from journal.domain.schedule import AUTO_PAUSE_AFTER
from journal.extensions import db
from journal.models import EvaluationRun, FlagState, ReminderDelivery, ReminderSettings, User
from journal.reminders import reschedule, tick
from journal.reminders.claim import CLAIM_TIMEOUT, Claimed, claim
from journal.reminders.plan import plan_due
from journal.reminders.push import PushOutcome, WebPushSender
from journal.reminders.tick import Senders, TickReport, run_tick

from .conftest import MONDAY, SECRET_NOTE, FakeMail, FakePush, Reminders, minutes


def statuses(reminders: Reminders, user_id: int) -> list[tuple[str, str, str]]:
    return [(d.local_date.isoformat(), d.channel, d.status) for d in reminders.deliveries(user_id)]


def test_sent_once_at_the_chosen_time(reminders: Reminders) -> None:
    user = reminders.person(at=time(9, 0))
    due = reminders.due(user, MONDAY)
    assert due == datetime(2026, 5, 4, 7, 0, tzinfo=UTC)  # 09:00 CEST
    assert reminders.tick(due - minutes(1)).planned == 0
    report = reminders.tick(due)
    assert (report.planned, report.outcomes["sent"]) == (1, 1)
    for later in (due + minutes(1), due + minutes(30)):
        assert reminders.tick(later).planned == 0
    assert statuses(reminders, user) == [("2026-05-04", "push", "sent")]
    [(endpoint, data, topic)] = reminders.push.sent
    assert endpoint == f"https://push.example/{user}/0"
    [row] = reminders.deliveries(user)
    assert topic == f"reminder-{row.id}"
    assert json.loads(data)["tag"] == topic
    assert reminders.settings(user).next_due_at is not None


def test_checked_in_already_is_skipped(reminders: Reminders) -> None:
    user = reminders.person()
    reminders.check_in(user, MONDAY)
    reminders.tick(reminders.due(user, MONDAY))
    assert statuses(reminders, user) == [("2026-05-04", "push", "skipped")]
    assert reminders.deliveries(user)[0].detail == "checked_in"
    assert reminders.push.sent == []


def test_checked_in_between_planning_and_sending_is_skipped(reminders: Reminders) -> None:
    user = reminders.person()
    due = reminders.due(user, MONDAY)
    with reminders.app.app_context():
        # Planned, then the person checks in before it is sent (a slow tick).
        plan_due(due, TickReport(), threading.Event())
    reminders.check_in(user, MONDAY)
    reminders.tick(due + minutes(1))
    assert statuses(reminders, user) == [("2026-05-04", "push", "skipped")]


def test_410_removes_the_subscription_and_email_takes_over(reminders: Reminders) -> None:
    user = reminders.person(email=True, devices=2)
    reminders.push.answers = {
        f"https://push.example/{user}/0": PushOutcome.GONE,
        f"https://push.example/{user}/1": PushOutcome.GONE,
    }
    reminders.tick(reminders.due(user, MONDAY))
    assert reminders.devices(user) == 0
    assert statuses(reminders, user) == [
        ("2026-05-04", "push", "failed"),
        ("2026-05-04", "email", "sent"),
    ]
    assert len(reminders.mail.messages) == 1


def test_one_gone_device_of_two_still_counts_as_sent(reminders: Reminders) -> None:
    user = reminders.person(email=True, devices=2)
    reminders.push.answers = {f"https://push.example/{user}/0": PushOutcome.GONE}
    reminders.tick(reminders.due(user, MONDAY))
    assert reminders.devices(user) == 1
    assert statuses(reminders, user) == [("2026-05-04", "push", "sent")]
    assert reminders.mail.messages == []


def test_push_only_without_a_device_plans_nothing(reminders: Reminders) -> None:
    user = reminders.person(devices=0)
    reminders.tick(reminders.due(user, MONDAY))
    assert statuses(reminders, user) == []
    wake = reminders.settings(user).next_due_at
    assert wake is not None and wake == reminders.due(user, MONDAY + timedelta(1))


def test_email_skipped_when_smtp_is_not_configured(reminders: Reminders) -> None:
    user = reminders.person(push=False, email=True, devices=0)
    reminders.tick(reminders.due(user, MONDAY), mail=False)
    [row] = reminders.deliveries(user)
    assert (row.status, row.detail) == ("skipped", "smtp_off")


def test_expired_after_two_hours(reminders: Reminders) -> None:
    user = reminders.person()
    due = reminders.due(user, MONDAY)
    reminders.tick(due + timedelta(hours=2, minutes=1))  # the scheduler was down
    [row] = reminders.deliveries(user)
    assert (row.status, row.detail) == ("expired", "late")
    assert reminders.push.sent == []
    # The next day goes out normally.
    reminders.tick(reminders.due(user, MONDAY + timedelta(1)))
    assert statuses(reminders, user)[-1] == ("2026-05-05", "push", "sent")


def test_a_days_long_outage_leaves_one_expired_row(reminders: Reminders) -> None:
    user = reminders.person()
    reminders.tick(reminders.due(user, MONDAY) + timedelta(days=3, minutes=5))
    assert statuses(reminders, user) == [
        ("2026-05-04", "push", "expired"),
        ("2026-05-07", "push", "sent"),
    ]


def test_auto_pause_after_three_unanswered(reminders: Reminders) -> None:
    user = reminders.person()
    for offset in range(AUTO_PAUSE_AFTER + 2):
        day = MONDAY + timedelta(days=offset)
        reminders.tick(reminders.due(user, day))
    sent = [s for s in statuses(reminders, user) if s[2] == "sent"]
    assert len(sent) == AUTO_PAUSE_AFTER
    settings = reminders.settings(user)
    assert settings.auto_paused and settings.next_due_at is None
    fourth = reminders.deliveries(user)[AUTO_PAUSE_AFTER]
    assert (fourth.status, fourth.detail) == ("skipped", "auto_paused")
    assert len(reminders.deliveries(user)) == AUTO_PAUSE_AFTER + 1  # nothing after the pause


def test_a_checkin_resets_the_unanswered_count(reminders: Reminders) -> None:
    user = reminders.person(only_if_not_checked_in=False)
    for offset in range(6):
        day = MONDAY + timedelta(days=offset)
        reminders.tick(reminders.due(user, day))
        if offset == 1:
            reminders.check_in(user, day)
    assert [s[2] for s in statuses(reminders, user)] == ["sent"] * 5 + ["skipped"]
    assert reminders.settings(user).auto_paused


def test_payloads_and_mails_hold_no_scores_or_notes(reminders: Reminders) -> None:
    pushed = reminders.person(language="nl")
    mailed = reminders.person(push=False, email=True, devices=0, language="en")
    for user in (pushed, mailed):
        reminders.check_in(user, MONDAY - timedelta(1), note=SECRET_NOTE)
    reminders.tick(reminders.due(pushed, MONDAY))
    [(_, data, _)] = reminders.push.sent
    body = json.loads(data)
    assert set(body) == {"title", "body", "url", "tag"}
    assert body["url"] == "/checkin"
    [message] = reminders.mail.messages
    plain, html = (part.get_content() for part in message.walk()
                   if part.get_content_maintype() == "text")
    for text in (data, plain, html, message["Subject"]):
        assert "GEHEIME" not in text
    # Words only: no number at all outside the links (a score would be one).
    words = [body["title"], body["body"], message["Subject"],
             *(line for line in plain.splitlines() if "http" not in line)]
    assert not any(char.isdigit() for line in words for char in line)
    for text in (plain.lower(), html.lower()):
        for word in ("energie", "energy", "slaap", "sleep", "score", "/10"):
            assert word not in text


def test_texts_are_in_the_persons_language(reminders: Reminders) -> None:
    from flask_babel import force_locale

    from journal.domain.schedule import text_id
    from journal.reminders.texts import title_and_body

    people = {
        "nl": reminders.person(language="nl", push=False, email=True, devices=0),
        "en": reminders.person(language="en", push=False, email=True, devices=0),
    }
    pushed = {
        "nl": reminders.person(language="nl"),
        "en": reminders.person(language="en"),
    }
    reminders.tick(reminders.due(people["nl"], MONDAY))
    by_to = {m["To"]: m for m in reminders.mail.messages}
    assert len(by_to) == len(people)
    for language, user in people.items():
        with reminders.app.app_context(), force_locale(language):
            person = db.session.get(User, user)
            assert person is not None
            message = by_to[person.email]
            title, body = title_and_body(text_id(user, MONDAY))
        assert message["Content-Language"] == language
        assert message["Subject"] == title
        assert body in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    by_endpoint = {endpoint: json.loads(data) for endpoint, data, _ in reminders.push.sent}
    assert set(by_endpoint) == {f"https://push.example/{user}/0" for user in pushed.values()}
    for language, user in pushed.items():
        with reminders.app.app_context():
            words = {}
            for locale in ("nl", "en"):
                with force_locale(locale):
                    words[locale] = title_and_body(text_id(user, MONDAY))
        # The two languages differ, so a text in the wrong one cannot pass.
        assert words["nl"][0] != words["en"][0] and words["nl"][1] != words["en"][1]
        sent = by_endpoint[f"https://push.example/{user}/0"]
        assert (sent["title"], sent["body"]) == words[language]


def test_one_reminder_a_day_even_after_a_settings_change(reminders: Reminders) -> None:
    user = reminders.person(at=time(9, 0), email=True)
    reminders.tick(reminders.due(user, MONDAY))
    with reminders.app.app_context():
        row = db.session.get(ReminderSettings, user)
        assert row is not None
        row.remind_at, row.push = time(10, 0), False  # e-mail only now, later today
        reschedule(row, "Europe/Amsterdam", reminders.now)
        db.session.commit()
    reminders.tick(reminders.due(user, MONDAY))  # 10:00 today
    assert statuses(reminders, user) == [
        ("2026-05-04", "push", "sent"),
        ("2026-05-04", "email", "skipped"),
    ]
    assert reminders.deliveries(user)[1].detail == "already_reminded"
    assert reminders.mail.messages == []


def test_account_deleted_after_planning(reminders: Reminders) -> None:
    user = reminders.person()
    due = reminders.due(user, MONDAY)
    with reminders.app.app_context():
        assert len(claim_after_planning(due)) == 1
        db.session.delete(db.session.get(User, user))
        db.session.commit()
    reminders.tick(due + CLAIM_TIMEOUT + minutes(1))
    assert reminders.push.sent == []
    assert reminders.deliveries(user) == []  # the cascade took the row with the account


def claim_after_planning(now: datetime) -> list[Claimed]:
    """Plan and claim as a process would just before it dies."""
    plan_due(now, TickReport(), threading.Event())
    return claim(now, "crashed-worker")


def test_claims_do_not_overlap(reminders: Reminders) -> None:
    users = [reminders.person() for _ in range(5)]
    due = reminders.due(users[0], MONDAY)
    with reminders.app.app_context():
        plan_due(due, TickReport(), threading.Event())
        first = claim(due, "a", limit=3)
        second = claim(due, "b", limit=3)
        third = claim(due, "c", limit=3)
    assert (len(first), len(second), len(third)) == (3, 2, 0)
    assert not {c.id for c in first} & {c.id for c in second}


def test_an_abandoned_claim_is_picked_up_once(reminders: Reminders) -> None:
    user = reminders.person()
    due = reminders.due(user, MONDAY)
    with reminders.app.app_context():
        assert len(claim_after_planning(due)) == 1  # the process dies before sending
    reminders.tick(due + minutes(5))
    assert statuses(reminders, user) == [("2026-05-04", "push", "claimed")]  # not yet stale
    reminders.tick(due + CLAIM_TIMEOUT + minutes(1))
    assert statuses(reminders, user) == [("2026-05-04", "push", "sent")]
    [row] = reminders.deliveries(user)
    assert (row.attempts, row.claimed_by) == (2, "test-worker")
    assert len(reminders.push.sent) == 1


def test_an_abandoned_send_is_closed_not_repeated(reminders: Reminders) -> None:
    user = reminders.person(push=False, email=True, devices=0)
    due = reminders.due(user, MONDAY)
    with reminders.app.app_context():
        [claimed] = claim_after_planning(due)
        # The process marked the row and may have handed the e-mail over, then died.
        db.session.execute(
            update(ReminderDelivery)
            .where(ReminderDelivery.id == claimed.id)
            .values(sending_at=due)
        )
        db.session.commit()
    reminders.tick(due + CLAIM_TIMEOUT + minutes(1))
    [row] = reminders.deliveries(user)
    assert (row.status, row.detail) == ("failed", "interrupted")
    assert reminders.mail.messages == []


def test_two_ticks_plan_once(reminders: Reminders) -> None:
    user = reminders.person()
    due = reminders.due(user, MONDAY)
    other = Reminders(reminders.app)
    other.push, other.mail = FakePush(), FakeMail()
    reminders.tick(due)
    other.tick(due)
    assert len(reminders.deliveries(user)) == 1
    assert len(reminders.push.sent) + len(other.push.sent) == 1


def test_mail_failure_is_recorded(reminders: Reminders) -> None:
    user = reminders.person(push=False, email=True, devices=0)
    reminders.mail.fail = True
    reminders.tick(reminders.due(user, MONDAY))
    [row] = reminders.deliveries(user)
    assert (row.status, row.detail) == ("failed", "smtp:OSError")


def test_daily_evaluation_at_noon_without_a_checkin(reminders: Reminders) -> None:
    user = reminders.person()
    quiet = reminders.person()  # no check-ins at all: nothing to evaluate
    for n in range(1, 15):
        reminders.check_in(user, MONDAY - timedelta(days=n))

    def states(on: object) -> int:
        with reminders.app.app_context():
            return int(db.session.scalar(
                select(func.count()).select_from(FlagState).where(
                    FlagState.user_id == user, FlagState.date == on)
            ) or 0)

    reminders.tick(datetime(2026, 5, 4, 9, 59, tzinfo=UTC))  # 11:59 in Amsterdam
    assert states(MONDAY) == 0
    report = reminders.tick(datetime(2026, 5, 4, 10, 0, tzinfo=UTC))  # 12:00
    assert report.evaluated == 1
    assert states(MONDAY) > 0
    with reminders.app.app_context():
        runs = list(db.session.scalars(select(EvaluationRun)))
        assert [(r.zone, r.local_date) for r in runs] == [("Europe/Amsterdam", MONDAY)]
        assert db.session.scalar(
            select(func.count()).select_from(FlagState).where(FlagState.user_id == quiet)
        ) == 0
    assert reminders.tick(datetime(2026, 5, 4, 10, 1, tzinfo=UTC)).evaluated == 0


def test_run_tick_uses_real_senders_when_none_are_given(
    reminders: Reminders, monkeypatch: pytest.MonkeyPatch
) -> None:
    reminders.person(push=False, email=True, devices=0)
    events: list[str] = []
    built: list[Senders] = []
    real = tick.default_senders

    def recorder(app: Flask) -> Senders:
        assert app is reminders.app
        senders = real(app)  # the real ones, with a recorded close
        senders.closers.append(lambda: events.append("closed"))
        events.append("built")
        built.append(senders)
        return senders

    monkeypatch.setattr(tick, "default_senders", recorder)
    with reminders.app.app_context():
        report = run_tick(worker="w")  # nothing due: builds and closes the default senders
    assert report.planned == 0
    assert events == ["built", "closed"]
    [senders] = built
    assert isinstance(senders.push, WebPushSender)
    assert senders.mail is None  # SMTP is not configured in these tests

    # Senders given by the caller are the caller's: none are built, none closed.
    events.clear()
    given = Senders(push=reminders.push, mail=reminders.mail,
                    closers=[lambda: events.append("given closed")])
    with reminders.app.app_context():
        run_tick(worker="w", senders=given)
    assert events == []
