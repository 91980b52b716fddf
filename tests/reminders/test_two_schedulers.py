"""Two scheduler processes against one database (SQLite file and PostgreSQL): exactly one
delivery per person, channel and day; and a process killed mid-send sends nothing twice and
leaves nothing claimed.

The processes are real (multiprocessing, `spawn`: nothing is inherited but the arguments),
built by the app factory and running the production tick; only the clock is simulated, in
lockstep through a barrier, and the senders are stand-ins that log what they would send.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import insert, select

from journal.clock import zone_of
from journal.domain.checkin import parse_checkin
from journal.domain.schedule import Channel, Plan, next_due
from journal.extensions import db
from journal.models import (
    CheckinRow,
    PushSubscription,
    ReminderDelivery,
    ReminderSettings,
    User,
    column_values,
)
from journal.reminders.claim import CLAIM_TIMEOUT
from journal.reminders.send import SEND_CHUNK
from tests.payloads import day as raw_day

from .scheduler_worker import crash_while_sending, one_tick, simulate
from .smtp_server import smtp_server

PEOPLE = 1000
DAYS = 3
STEP_MINUTES = 10
START = datetime(2026, 5, 4, 0, 0, tzinfo=UTC)
END = START + timedelta(days=DAYS)
ZONES = ("Europe/Amsterdam",) * 8 + ("America/New_York", "Asia/Tokyo")
JOIN_TIMEOUT_S = 120
SPAWN = multiprocessing.get_context("spawn")


def database_url(app: Flask) -> str:
    return str(app.config["SQLALCHEMY_DATABASE_URI"])


def _people(
    app: Flask, count: int, at: Any, channels: Any, zones: tuple[str, ...] = ZONES
) -> dict[int, tuple[Plan, str]]:
    """Insert `count` people with reminders on (in bulk); returns their plans and zones."""
    created = datetime(2026, 1, 1, tzinfo=UTC)
    with app.app_context():
        db.session.execute(insert(User), [
            {"email": f"p{i}@example.org", "password_hash": "x", "language": "nl",
             "timezone": zones[i % len(zones)], "created_at": created,
             "email_verified_at": created}  # e-mail reminders go to confirmed addresses only
            for i in range(count)
        ])
        users = db.session.execute(select(User.id, User.timezone).order_by(User.id)).all()
        plans, settings, devices = {}, [], []
        for i, (user_id, zone) in enumerate(users):
            push, email = channels(i)
            plan = Plan(enabled=True, at=at(i), channels=frozenset(
                {c for c, on in ((Channel.PUSH, push), (Channel.EMAIL, email)) if on}))
            plans[user_id] = (plan, zone)
            settings.append({
                "user_id": user_id, "enabled": True, "remind_at": plan.at, "weekdays": "1111111",
                "push": push, "email": email, "only_if_not_checked_in": True,
                "auto_paused": False, "unanswered": 0,
                "next_due_at": next_due(plan, zone_of(zone), START),
            })
            if push:
                devices.append({"user_id": user_id, "endpoint": f"https://push.example/{user_id}",
                                "p256dh": "x", "auth": "y", "created_at": created})
        db.session.execute(insert(ReminderSettings), settings)
        if devices:
            db.session.execute(insert(PushSubscription), devices)
        db.session.commit()
    return plans


def _expected(plans: dict[int, tuple[Plan, str]], end: datetime) -> set[tuple[int, date]]:
    """Every (person, local date) whose reminder falls in the simulated window."""
    wanted = set()
    for user_id, (plan, zone) in plans.items():
        instant = next_due(plan, zone_of(zone), START)
        while instant is not None and instant <= end:
            wanted.add((user_id, instant.astimezone(zone_of(zone)).date()))
            instant = next_due(plan, zone_of(zone), instant)
    return wanted


def _run(processes: list[Any]) -> None:
    for process in processes:
        process.start()
    for process in processes:
        process.join(JOIN_TIMEOUT_S)
    for process in processes:
        if process.is_alive():
            process.kill()
    assert [p.exitcode for p in processes] == [0] * len(processes)


def test_two_schedulers_one_delivery_per_person_channel_and_day(
    app: Flask, tmp_path: Path
) -> None:
    def at(i: int) -> time:
        # 07:00 to 21:49: a tick every 10 minutes sends these before the 22:00 quiet hours.
        return time(7 + (i * 37) % 15, (i * 13) % 50)

    def channels(i: int) -> tuple[bool, bool]:
        return ((True, False), (False, True), (True, True), (True, False), (False, True))[i % 5]

    plans = _people(app, PEOPLE, at, channels)
    # Some people checked in on the first day before their reminder: skipped, still one row.
    checkin = parse_checkin(raw_day(), on=date(2026, 5, 4), strict=False).checkin
    assert checkin is not None
    early = [uid for uid in plans if uid % 20 == 0]
    first_day = {uid: START.astimezone(zone_of(plans[uid][1])).date() for uid in early}
    with app.app_context():
        db.session.execute(insert(CheckinRow), [
            {**column_values(checkin), "user_id": uid, "date": first_day[uid],
             "created_at": START, "updated_at": START, "backfilled": False}
            for uid in early
        ])
        db.session.commit()

    ticks = DAYS * 24 * 60 // STEP_MINUTES + 1
    barrier = SPAWN.Barrier(2)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    _run([
        SPAWN.Process(target=simulate, args=(database_url(app), START, ticks, STEP_MINUTES,
                                             barrier, str(log), name))
        for log, name in zip(logs, ("scheduler-a", "scheduler-b"), strict=True)
    ])

    with app.app_context():
        rows = list(db.session.scalars(select(ReminderDelivery)))
    expected = _expected(plans, END)
    assert len(expected) > 2 * PEOPLE  # about three days each

    keys = Counter((r.user_id, r.channel, r.local_date) for r in rows)
    assert max(keys.values()) == 1
    by_day = Counter((r.user_id, r.local_date) for r in rows)
    assert set(by_day) == expected
    assert max(by_day.values()) == 1  # one channel a day: push first, e-mail only as fallback

    statuses = Counter(r.status for r in rows)
    skipped = {(r.user_id, r.local_date) for r in rows if r.status == "skipped"}
    assert all(r.detail == "checked_in" for r in rows if r.status == "skipped")
    assert skipped == {(uid, first_day[uid]) for uid in early} & expected
    assert skipped
    assert statuses["sent"] + statuses["skipped"] == len(rows)  # nothing planned, claimed, lost
    for row in rows:
        plan = plans[row.user_id][0]
        primary = Channel.PUSH if Channel.PUSH in plan.channels else Channel.EMAIL
        assert row.channel == primary.value

    # What left the processes: each sent delivery exactly once, and both processes worked.
    lines = [line.split()[:2] for log in logs for line in log.read_text().splitlines()]
    sent_ids = Counter(f"push reminder-{r.id}" if r.channel == "push"
                       else f"email <reminder-{r.id}-{r.local_date.isoformat()}@127.0.0.1>"
                       for r in rows if r.status == "sent")
    assert Counter(" ".join(line) for line in lines) == sent_ids
    assert all(log.read_text() for log in logs)


def test_a_scheduler_killed_mid_send_sends_nothing_twice(app: Flask) -> None:
    count = 120
    plans = _people(app, count, lambda i: time(9, 0), lambda i: (False, True),
                    zones=("Europe/Amsterdam",))
    due = next_due(next(iter(plans.values()))[0], zone_of("Europe/Amsterdam"), START)
    assert due is not None
    limit = SEND_CHUNK + 5  # dies inside the second chunk, after 5 of its 25 e-mails

    with smtp_server() as inbox:
        hanging = SPAWN.Event()
        doomed = SPAWN.Process(target=crash_while_sending,
                               args=(database_url(app), due, inbox.port, limit, hanging))
        doomed.start()
        assert hanging.wait(60), "the scheduler never reached its send"
        doomed.kill()  # SIGKILL: no cleanup of any kind
        doomed.join(10)
        assert len(inbox.messages) == limit

        with app.app_context():
            stuck = db.session.scalars(select(ReminderDelivery.status)).all()
        assert "claimed" in stuck

        # Before the claim timeout a second scheduler leaves the claims alone.
        _run([SPAWN.Process(target=one_tick, args=(database_url(app), due + timedelta(minutes=5),
                                                   inbox.port))])
        assert len(inbox.messages) == limit
        # After it, the abandoned claims are picked up once: sent if sending had not begun.
        later = due + CLAIM_TIMEOUT + timedelta(minutes=1)
        _run([SPAWN.Process(target=one_tick, args=(database_url(app), later, inbox.port)),
              SPAWN.Process(target=one_tick, args=(database_url(app), later, inbox.port))])
        messages = list(inbox.messages)

    with app.app_context():
        rows = list(db.session.scalars(select(ReminderDelivery)))
    recipients = Counter(m["To"] for m in messages)
    assert max(recipients.values()) == 1, "an e-mail went twice"
    statuses = Counter((r.status, r.detail) for r in rows)
    assert statuses[("claimed", "")] == 0 and statuses[("planned", "")] == 0
    assert len(rows) == count
    # The chunk that was being sent is closed, never repeated: 5 of its e-mails did leave.
    assert statuses[("failed", "interrupted")] == SEND_CHUNK
    assert statuses[("sent", "")] == count - SEND_CHUNK
    assert len(messages) == count - SEND_CHUNK + 5
