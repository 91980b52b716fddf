"""How long the server takes to render 'Mijn week', after 5 years of check-ins and after 8 weeks.

    .venv/bin/python benchmarks/week_view.py [--requests 200] [--database-url URL]

Two people with the same seeded diary (benchmarks/evaluate.py's generator): one has all of it
(5 years), the other only its last 8 weeks. Each asks for the current week and for a complete
week a month back, through Flask's test client (logged in, CSRF on, the real templates), and the
median server time is printed per person. The two medians must be of the same order: the page
reads one bounded window of records (journal.domain.summary.window), so history must not add
cost. Also printed: SQL statements and records read per page, and the page's gzip weight.

Targets (printed, not enforced): median ≤ 50 ms, 5-year/8-week ratio ≤ 1.5, page ≤ 60 KB gzipped.
Exit status 1 only when a page does not render (not 200); it talks to no network and cleans up
its temporary folder.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from time import perf_counter
from typing import Any

from _apps import bench_hasher
from _databases import database
from evaluate import generate_diary
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from journal import create_app
from journal.clock import now_utc
from journal.domain.checkin import CheckIn
from journal.extensions import db
from journal.models import CheckinRow, User, column_values
from journal.web import auth

YEARS_DAYS = 5 * 365 + 1
SHORT_DAYS = 8 * 7
WARMUP = 10
TARGET_MEDIAN_MS = 50.0
TARGET_RATIO = 1.5
TARGET_GZIP_KB = 60.0
PASSWORD = "benchmark password"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def checkin_rows(user_id: int, records: list[CheckIn]) -> list[dict[str, Any]]:
    """Check-in rows for one Core executemany, made on 1 January 2026 (benchmarks/caseload.py
    too)."""
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        {
            "user_id": user_id,
            "date": r.date,
            "created_at": stamp,
            "updated_at": stamp,
            "backfilled": r.backfilled,
            **column_values(r),
        }
        for r in records
    ]


def _person(app: Flask, email: str, records: list[CheckIn]) -> int:
    with app.app_context():
        user = User(email=email, password_hash=auth.hasher.hash(PASSWORD), created_at=now_utc())
        db.session.add(user)
        db.session.commit()
        db.session.execute(CheckinRow.__table__.insert(), checkin_rows(user.id, records))
        db.session.commit()
        return int(user.id)


def _log_in(client: FlaskClient, email: str) -> None:
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True))
    assert token is not None
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 302, response.status_code


@contextmanager
def _statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _timed(client: FlaskClient, path: str) -> tuple[float, bytes]:
    start = perf_counter()
    response = client.get(path)
    elapsed = perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return elapsed, response.data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument(
        "--database-url", help="PostgreSQL to use a private schema in; default: temporary SQLite"
    )
    args = parser.parse_args()

    diary = generate_diary(YEARS_DAYS)
    last = diary[-1].date
    short = [r for r in diary if r.date > last - timedelta(days=SHORT_DAYS)]
    # The morning after the last check-in, in Amsterdam: a realistic "today" for both people.
    now = datetime.combine(last, time(8, 0), tzinfo=UTC)
    this_week = last - timedelta(days=last.weekday())
    month_back = this_week - timedelta(weeks=4)
    iso = month_back.isocalendar()
    paths = {"this week": "/week", "a past week": f"/week/{iso[0]}-W{iso[1]:02d}"}

    # The measured GETs never hash; a cheap Argon2id keeps the setup logins quick (see _apps).
    auth.hasher = bench_hasher()
    with database(args.database_url) as url:
        app = create_app(
            {"DATABASE_URL": url, "SECRET_KEY": "bench", "COOKIE_SECURE": False, "FIXED_NOW": now}
        )
        with app.app_context():
            db.create_all()
        people = {
            "5 years": ("long@example.org", diary),
            "8 weeks": ("short@example.org", short),
        }
        for email, records in people.values():
            _person(app, email, records)
        print(
            f"diary: {len(diary)} check-ins over 5 years (last {last.isoformat()}), "
            f"{len(short)} in its last 8 weeks; database {url.split(':')[0]}; "
            f"median of {args.requests} requests after {WARMUP} warm-up"
        )

        clients = {}
        for person, (email, _records) in people.items():
            clients[person] = app.test_client()
            _log_in(clients[person], email)
        medians: dict[tuple[str, str], float] = {}
        weight = 0
        for label, path in paths.items():
            # The two people take turns, so a busy moment on the machine hits both alike.
            timings: dict[str, list[float]] = {person: [] for person in people}
            bodies: dict[str, bytes] = {}
            for run in range(WARMUP + args.requests):
                for person, client in clients.items():
                    elapsed, bodies[person] = _timed(client, path)
                    if run >= WARMUP:
                        timings[person].append(elapsed)
            for person, client in clients.items():
                with _statements(app) as seen:
                    client.get(path)
                body = bodies[person]
                medians[person, label] = statistics.median(timings[person]) * 1000
                packed = len(gzip.compress(body, 6))
                weight = max(weight, packed)
                print(
                    f"GET {path:<17} {person:>7}: {medians[person, label]:6.2f} ms median, "
                    f"{len(seen)} SQL statements, {len(body) / 1024:5.1f} KB "
                    f"({packed / 1024:4.1f} KB gzip)"
                )
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    worst = max(medians.values())
    ratio = max(medians["5 years", label] / medians["8 weeks", label] for label in paths)
    print(
        f"worst median {worst:.2f} ms (target ≤ {TARGET_MEDIAN_MS:.0f}); 5y/8w ratio "
        f"{ratio:.2f} (target ≤ {TARGET_RATIO}); page {weight / 1024:.1f} KB gzip "
        f"(target ≤ {TARGET_GZIP_KB:.0f})"
    )
    ok = worst <= TARGET_MEDIAN_MS and ratio <= TARGET_RATIO and weight / 1024 <= TARGET_GZIP_KB
    print("targets met" if ok else "TARGETS MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
