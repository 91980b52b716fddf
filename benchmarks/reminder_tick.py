"""How long one reminder tick takes for 10,000 and 100,000 people with reminders on, 10% due.

    .venv/bin/python benchmarks/reminder_tick.py [--users 10000 100000] [--due 0.1]
        [--backend sqlite postgresql] [--pg-url URL]

For each database and size: a fresh database with that many people (reminders on, half by
push with one device, half by e-mail), of whom the given share is due now; then the same
tick the scheduler runs (plan, claim, check again, send, record, the 12:00 evaluation check)
with the senders stubbed, timed. Then a second tick, when nothing is due any more: its time
shows what merely *having* that many people costs a tick.

Targets (printed, not enforced): one tick ≤ 5 s for 100,000 people, and its cost grows with
the number due, not with the number of people. The planning query reads only due rows through
the index on reminder_settings.next_due_at. PostgreSQL runs in its own schema, dropped
afterwards; SQLite in a temporary folder. Nothing goes over a network but to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from _databases import database
from flask import Flask
from sqlalchemy import func, insert, select

from journal import create_app
from journal.domain.schedule import Channel, due_at
from journal.extensions import db
from journal.models import PushSubscription, ReminderDelivery, ReminderSettings, User
from journal.reminders.push import PushOutcome, PushTarget
from journal.reminders.tick import Senders, run_tick

TARGET_SECONDS = 5.0
TARGET_USERS = 100_000
ZONE = "Europe/Amsterdam"
# Monday 2026-05-04, 09:00 in Amsterdam: the due people's reminder time, before the 12:00
# evaluation, so the tick does reminder work only.
NOW = datetime(2026, 5, 4, 7, 0, tzinfo=UTC)
INSERT_CHUNK = 20_000
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


class StubSenders:
    """Senders that count instead of sending: the benchmark measures the tick, not a network."""

    def __init__(self) -> None:
        self.pushes = 0
        self.mails = 0

    def push(self, target: PushTarget, data: str, topic: str) -> PushOutcome:
        self.pushes += 1
        return PushOutcome.SENT

    def send(self, message: EmailMessage) -> None:
        self.mails += 1

    def close(self) -> None:
        pass


def populate(app: Flask, users: int, due_share: float) -> int:
    """`users` people with reminders on; every 1/due_share-th is due now. Returns how many."""
    step = max(1, round(1 / due_share))
    created = datetime(2026, 1, 1, tzinfo=UTC)
    zone = ZoneInfo(ZONE)
    due_now = due_at(NOW.astimezone(zone).date(), time(9, 0), zone)
    later = due_at(NOW.astimezone(zone).date(), time(18, 0), zone)
    due_count = 0
    with app.app_context():
        for start in range(0, users, INSERT_CHUNK):
            count = min(INSERT_CHUNK, users - start)
            first = db.session.scalar(select(func.coalesce(func.max(User.id), 0))) or 0
            db.session.execute(insert(User), [
                {"email": f"p{start + i}@example.org", "password_hash": "x", "language": "nl",
                 "timezone": ZONE, "created_at": created,
                 "email_verified_at": created}  # e-mail reminders go to confirmed addresses only
                for i in range(count)
            ])
            ids = range(first + 1, first + count + 1)
            settings, devices = [], []
            for n, user_id in enumerate(ids, start):
                is_due = n % step == 0
                due_count += is_due
                push = n % 2 == 0
                settings.append({
                    "user_id": user_id, "enabled": True,
                    "remind_at": time(9, 0) if is_due else time(18, 0),
                    "weekdays": "1111111", "push": push, "email": not push,
                    "only_if_not_checked_in": True, "auto_paused": False, "unanswered": 0,
                    "next_due_at": due_now if is_due else later,
                })
                if push:
                    devices.append({"user_id": user_id, "endpoint": f"https://push.example/{user_id}",
                                    "p256dh": "x", "auth": "y", "created_at": created})
            db.session.execute(insert(ReminderSettings), settings)
            db.session.execute(insert(PushSubscription), devices)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                connection.execute(sa.text("ANALYZE"))
                connection.commit()
    return due_count


def measure(backend: str, pg_url: str, users: int, due_share: float) -> dict[str, Any]:
    with database(pg_url if backend == "postgresql" else None) as url:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "FIXED_NOW": NOW})
        with app.app_context():
            db.create_all()
        started = perf_counter()
        due = populate(app, users, due_share)
        setup = perf_counter() - started
        stub = StubSenders()
        senders = Senders(push=stub.push, mail=stub)
        with app.app_context():
            started = perf_counter()
            report = run_tick(worker="bench", senders=senders)
            tick = perf_counter() - started
            app.config["FIXED_NOW"] = NOW + timedelta(minutes=1)
            started = perf_counter()
            run_tick(worker="bench", senders=senders)
            idle = perf_counter() - started
            sent = db.session.scalar(
                select(func.count()).select_from(ReminderDelivery).where(
                    ReminderDelivery.status == "sent")
            )
        with app.app_context():
            db.engine.dispose()
    assert sent == due == report.planned, (sent, due, report)
    assert stub.pushes + stub.mails == due
    return {"backend": backend, "users": users, "due": due, "setup": setup, "tick": tick,
            "idle": idle}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--due", type=float, default=0.1, help="share of people due now")
    parser.add_argument("--backend", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG)
    args = parser.parse_args(argv)

    backends = list(args.backend)
    if "postgresql" in backends:
        try:
            sa.create_engine(args.pg_url).connect().close()
        except sa.exc.OperationalError:
            print(f"PostgreSQL at {args.pg_url} is not reachable: skipped")
            backends.remove("postgresql")

    print(f"One reminder tick, {args.due:.0%} of the people due, senders stubbed "
          f"({Channel.PUSH.value} and {Channel.EMAIL.value} half each)")
    print(f"{'database':<11} {'people':>8} {'due':>7} {'tick s':>8} {'ms/due':>7} "
          f"{'idle tick s':>12} {'setup s':>8}")
    results = []
    for backend in backends:
        for users in args.users:
            r = measure(backend, args.pg_url, users, args.due)
            results.append(r)
            print(f"{r['backend']:<11} {r['users']:>8,} {r['due']:>7,} {r['tick']:>8.2f} "
                  f"{1000 * r['tick'] / max(r['due'], 1):>7.3f} {r['idle']:>12.3f} "
                  f"{r['setup']:>8.1f}", flush=True)
    # The same number due among ten times the people: the tick should hardly change.
    sizes = sorted(set(args.users))
    same_due: dict[str, dict[str, Any]] = {}
    if len(sizes) >= 2:
        share = args.due * sizes[0] / sizes[-1]
        for backend in backends:
            r = measure(backend, args.pg_url, sizes[-1], share)
            same_due[backend] = r
            print(f"{r['backend']:<11} {r['users']:>8,} {r['due']:>7,} {r['tick']:>8.2f} "
                  f"{1000 * r['tick'] / max(r['due'], 1):>7.3f} {r['idle']:>12.3f} "
                  f"{r['setup']:>8.1f}  (same due as {sizes[0]:,} people)", flush=True)
    for backend in backends:
        if backend in same_due:
            small = next(r for r in results if r["backend"] == backend and r["users"] == sizes[0])
            big_same = same_due[backend]
            print(f"{backend}: {big_same['due']:,} due among {small['users']:,} → "
                  f"{big_same['users']:,} people: tick {small['tick']:.2f} → "
                  f"{big_same['tick']:.2f} s")
        big = [r for r in results if r["backend"] == backend and r["users"] >= TARGET_USERS]
        for r in big:
            verdict = "met" if r["tick"] <= TARGET_SECONDS else "NOT met"
            print(f"target ≤ {TARGET_SECONDS:.0f} s for {r['users']:,} people on {backend}: "
                  f"{verdict} ({r['tick']:.2f} s)")
        sized = sorted((r for r in results if r["backend"] == backend), key=lambda r: r["users"])
        if len(sized) >= 2:
            small, large = sized[0], sized[-1]
            print(f"{backend}: ×{large['users'] / small['users']:.0f} people and due → "
                  f"tick ×{large['tick'] / small['tick']:.1f}; idle tick "
                  f"{small['idle'] * 1000:.0f} → {large['idle'] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
