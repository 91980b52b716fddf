"""How long the coach's caseload (/coach) takes for 5, 50 and 200 clients with a year of
check-ins each, and how many SQL statements it sends, against one week page in the same run.

    .venv/bin/python benchmarks/caseload.py [--requests 30] [--database-url URL]

Three coaches with 5, 50 and 200 connected clients; every client has the same seeded year
(benchmarks/evaluate.py's generator) and what the daily noon evaluation stores: the flag
states of yesterday and today and the week glances (journal.store.week_glances). Each
caseload is asked through Flask's test client (signed in with both steps, the real
templates), and the median server time is printed, with the statements per page. "cold" is
the same 50-client page with nothing stored (every client's flags and weeks computed on the
spot from the records: the worst case, every client having saved since the last
evaluation). For comparison the week page (/week) of one of the clients is timed in the same
run.

Targets (printed, not enforced): 50 clients within the time of one week page; the time per
client not growing with the number of clients (200 clients ≤ 4 × 50 clients × 1.25); the
statements the same for every size. Talks to no network; cleans up its temporary folder.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import statistics
import sys
from datetime import UTC, datetime, time, timedelta
from time import perf_counter
from typing import Any

import pyotp
from _apps import bench_hasher
from _databases import database
from evaluate import generate_diary
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, event
from week_view import checkin_rows

from journal import create_app
from journal.clock import now_utc
from journal.domain.checkin import CheckIn
from journal.extensions import db
from journal.models import (
    CheckinRow,
    CoachConnection,
    CoachProfile,
    FlagState,
    SecondFactor,
    User,
    WeekGlance,
)
from journal.store.flag_states import refresh
from journal.web import auth

SIZES = (5, 50, 200)
DAYS = 365
WARMUP = 3
PASSWORD = "benchmark password"


def _user(email: str) -> int:
    user = User(
        email=email,
        password_hash=auth.hasher.hash(PASSWORD),
        created_at=now_utc(),
        welcomed_at=now_utc(),
        email_verified_at=now_utc(),
    )
    db.session.add(user)
    db.session.flush()
    return int(user.id)


def _coach(size: int, diary: list[CheckIn]) -> tuple[str, list[int]]:
    """A coach with `size` connected clients, each with the diary; (email, client ids)."""
    email = f"coach{size}@example.org"
    coach_id = _user(email)
    db.session.add(
        CoachProfile(
            user_id=coach_id,
            display_name=f"Coach {size}",
            code=f"B{size:03d}-XX",
            created_at=now_utc(),
        )
    )
    db.session.add(SecondFactor(user_id=coach_id, secret=_secret(email), confirmed_at=now_utc()))
    clients = []
    for n in range(size):
        person = _user(f"client{size}-{n}@example.org")
        db.session.execute(CheckinRow.__table__.insert(), checkin_rows(person, diary))
        db.session.add(
            CoachConnection(
                person_id=person,
                coach_id=coach_id,
                client_name=f"Client {n:03d}",
                period="everything",
                starts_on=diary[0].date,
                created_at=now_utc(),
                accepted_at=now_utc(),
            )
        )
        clients.append(person)
    db.session.commit()
    return email, clients


def _secret(email: str) -> str:
    """One TOTP secret per coach, fixed by the address (a code is accepted once per secret)."""
    return base64.b32encode(hashlib.sha256(email.encode()).digest()[:20]).decode()


def _log_in(app: Flask, email: str, step: int) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    now: datetime = app.config["FIXED_NOW"]
    code = pyotp.TOTP(_secret(email)).at(now + timedelta(seconds=30 * step))
    response = client.post("/login/code", data={"code": code})
    assert response.status_code == 302, response.status_code
    return client


def _timed(pages: list[tuple[FlaskClient, str]], runs: int) -> list[float]:
    """Median ms of each page; the pages take turns, so a busy moment hits them alike."""
    timings: list[list[float]] = [[] for _ in pages]
    for run in range(WARMUP + runs):
        for n, (client, path) in enumerate(pages):
            start = perf_counter()
            response = client.get(path)
            elapsed = perf_counter() - start
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            if run >= WARMUP:
                timings[n].append(elapsed)
    return [statistics.median(t) * 1000 for t in timings]


def _statements(app: Flask, client: FlaskClient, path: str) -> int:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return len(seen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--database-url", help="PostgreSQL to use a private schema in; default: temporary SQLite"
    )
    args = parser.parse_args()

    diary = generate_diary(DAYS)
    last = diary[-1].date
    # The morning after the last check-in, in Amsterdam, as in benchmarks/week_view.py.
    now = datetime.combine(last + timedelta(days=1), time(8, 0), tzinfo=UTC)
    auth.hasher = bench_hasher()
    with database(args.database_url) as url:
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench",
                "COOKIE_SECURE": False,
                "FIXED_NOW": now,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        coaches: dict[int, tuple[str, list[int]]] = {}
        with app.app_context():
            db.create_all()
            for size in SIZES:
                coaches[size] = _coach(size, diary)
            today = now.date()
            # What the noon evaluation keeps: every client's states of yesterday and today.
            for _email, clients in coaches.values():
                for person in clients:
                    refresh(person, today - timedelta(days=1), today)
        print(
            f"each client: {len(diary)} check-ins (last {last.isoformat()}); database "
            f"{url.split(':')[0]}; median of {args.requests} requests after {WARMUP} warm-up"
        )
        week_client = app.test_client()
        response = week_client.post(
            "/login", data={"email": "client5-0@example.org", "password": PASSWORD}
        )
        assert response.status_code == 302
        medians: dict[int, float] = {}
        weeks: list[float] = []
        statements: dict[int, int] = {}
        for size in SIZES:
            client = _log_in(app, coaches[size][0], 0)
            medians[size], week = _timed(
                [(client, "/coach"), (week_client, "/week")], args.requests
            )
            weeks.append(week)
            statements[size] = _statements(app, client, "/coach")
            print(
                f"GET /coach {size:>3} clients: {medians[size]:7.2f} ms median, "
                f"{medians[size] / size:5.2f} ms per client, {statements[size]} SQL statements; "
                f"GET /week in the same turns: {week:6.2f} ms"
            )
        with app.app_context():
            db.session.execute(delete(FlagState))
            db.session.execute(delete(WeekGlance))
            db.session.commit()
        cold_client = _log_in(app, coaches[50][0], 1)  # a code is accepted once
        (cold,) = _timed([(cold_client, "/coach")], max(5, args.requests // 5))
        print(f"GET /coach  50 clients, no stored states (cold): {cold:7.2f} ms median")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    growth = medians[200] / medians[50]
    week = weeks[SIZES.index(50)]
    same_statements = len(set(statements.values())) == 1
    print(
        f"50 clients / week page: {medians[50] / week:.2f} (target ≤ 1); 200/50 clients: "
        f"{growth:.2f} (target ≤ {4 * 1.25:.1f}); statements the same for every size: "
        f"{same_statements}"
    )
    week = weeks[SIZES.index(50)]
    ok = medians[50] <= week and growth <= 4 * 1.25 and same_statements
    print("targets met" if ok else "TARGETS MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
