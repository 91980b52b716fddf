"""How long the coach's summary takes: the page /s/<token> and its PDF, for 8 weeks of data.

    .venv/bin/python benchmarks/share.py [--requests 100] [--pdfs 15] [--database-url URL]

One person with the last 8 weeks of benchmarks/evaluate.py's seeded diary shares an 8-week link
(the largest period). Through Flask's test client (no cookies, as the coach), the page and the
PDF are asked for repeatedly and the median server time of each is printed, with the SQL
statements per page and the sizes. Two more people, with 1 and 5 years of the same diary, show
that history adds no cost to the page: both have a full window (the rules look back about 17
weeks from the last day), and the summary reads only that window, so their times match.

Targets (printed, not enforced): page ≤ 100 ms, PDF ≤ 1.5 s (median). Exit status 1 only when
a response is not 200. It talks to no network and cleans up its temporary folder.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from time import perf_counter

from _apps import bench_hasher
from _databases import database
from evaluate import generate_diary
from flask import Flask
from flask.testing import FlaskClient
from week_view import _log_in, _person, _statements

from journal import create_app
from journal.extensions import db
from journal.web import auth

SHORT_DAYS = 8 * 7
YEAR_DAYS = 365
YEARS_DAYS = 5 * 365 + 1
WARMUP = 5
TARGET_PAGE_MS = 100.0
TARGET_PDF_MS = 1500.0
LINK_RE = re.compile(r'value="http://localhost/s/([A-Za-z0-9_-]+)"')
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def _share(client: FlaskClient) -> str:
    """Make an 8-week link through the real form and return its token (shown once)."""
    form = CSRF_RE.search(client.get("/share").get_data(as_text=True))
    assert form is not None
    response = client.post(
        "/share",
        data={"label": "coach", "weeks": "8", "expiry": "30", "csrf_token": form.group(1)},
    )
    match = LINK_RE.search(response.get_data(as_text=True))
    if response.status_code != 201 or match is None:
        raise SystemExit(f"making the link answered {response.status_code}")
    return match.group(1)


def _median_ms(client: FlaskClient, path: str, runs: int) -> tuple[float, bytes]:
    timings = []
    body = b""
    for run in range(WARMUP + runs):
        start = perf_counter()
        response = client.get(path, headers={"Accept-Language": "nl"})
        elapsed = perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"{path[:3]}… answered {response.status_code}")
        body = response.data
        if run >= WARMUP:
            timings.append(elapsed)
    return statistics.median(timings) * 1000, body


def _pages(pdf: bytes) -> str:
    """The page count by poppler's pdfinfo, when it is installed."""
    if shutil.which("pdfinfo") is None:
        return "?"
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    match = re.search(rb"^Pages:\s+(\d+)", info.stdout, re.M)
    return match.group(1).decode() if match else "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100, help="timed page requests")
    parser.add_argument("--pdfs", type=int, default=15, help="timed PDF requests")
    parser.add_argument(
        "--database-url", help="PostgreSQL to use a private schema in; default: temporary SQLite"
    )
    args = parser.parse_args()

    diary = generate_diary(YEARS_DAYS)
    last = diary[-1].date
    short = [r for r in diary if r.date > last - timedelta(days=SHORT_DAYS)]
    year = [r for r in diary if r.date > last - timedelta(days=YEAR_DAYS)]
    now = datetime.combine(last, time(8, 0), tzinfo=UTC)

    auth.hasher = bench_hasher()  # the measured GETs never hash (see _apps.bench_hasher)
    with database(args.database_url) as url:
        app: Flask = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench",
                "COOKIE_SECURE": False,
                "FIXED_NOW": now,
                # One address opening a link a hundred times a minute is what the share lookup
                # limit (journal.web.rate_limits) refuses; this measures the page, not that.
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            db.create_all()
        people = {
            "8 weeks": ("short@example.org", short),
            "1 year": ("year@example.org", year),
            "5 years": ("long@example.org", diary),
        }
        tokens = {}
        for person, (email, records) in people.items():
            _person(app, email, records)
            owner = app.test_client()
            _log_in(owner, email)
            tokens[person] = _share(owner)
        print(
            f"diary: {len(short)} check-ins in 8 weeks (last {last.isoformat()}), "
            f"{len(diary)} over 5 years; database {url.split(':')[0]}; an 8-week link; "
            f"median after {WARMUP} warm-up requests"
        )

        coach = app.test_client()  # no cookies: the coach has no account
        page_ms: dict[str, float] = {}
        for person, token in tokens.items():
            page_ms[person], body = _median_ms(coach, f"/s/{token}", args.requests)
            with _statements(app) as seen:
                coach.get(f"/s/{token}")
            print(
                f"GET /s/<token>     {person:>7}: {page_ms[person]:7.2f} ms median of "
                f"{args.requests}, {len(seen)} SQL statements, {len(body) / 1024:5.1f} KB"
            )
        pdf_ms, pdf = _median_ms(coach, f"/s/{tokens['8 weeks']}.pdf", args.pdfs)
        pages = _pages(pdf)
        print(
            f"GET /s/<token>.pdf {'8 weeks':>7}: {pdf_ms:7.2f} ms median of {args.pdfs}, "
            f"{pages} A4 pages, {len(pdf) / 1024:5.1f} KB"
        )
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    ratio = page_ms["5 years"] / page_ms["1 year"]
    print(
        f"page {page_ms['8 weeks']:.1f} ms (target ≤ {TARGET_PAGE_MS:.0f}); PDF {pdf_ms:.0f} ms "
        f"(target ≤ {TARGET_PDF_MS:.0f}); 5y/1y page ratio {ratio:.2f} (no growth: about 1)"
    )
    ok = page_ms["8 weeks"] <= TARGET_PAGE_MS and pdf_ms <= TARGET_PDF_MS
    print("targets met" if ok else "TARGETS MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
