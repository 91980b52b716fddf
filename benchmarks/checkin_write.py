"""How fast a check-in is stored, from the outbox API and from the form, next to a bare insert.

    .venv/bin/python benchmarks/checkin_write.py [--users 1500] [--rounds 3] [--threads 16]
        [--postgresql URL | --no-postgresql]

For each database (SQLite, and the local PostgreSQL in a private schema made and dropped here)
the journal and a bare app that inserts one row (benchmarks/_apps.py) run under gunicorn
(2 sync workers) on 127.0.0.1, driven by the same small client, so the ratio ours/bare says
what the app itself costs. The journal's run is the whole thing: logged-in people, CSRF on, one
save per person and path (the API's JSON for yesterday, the form for today).

Each app first stores WARMUP untimed saves per path. Then ours and bare are timed in turns, the
order swapped every round (a shared 2-core machine can be slower in one window than the next);
the figure is the median of the rounds' ratios. Bounded in count (one save per person and path)
and in time (a limit per timed part, socket timeouts). Exit status 1 means failed saves or rows
stored that differ from the saves acknowledged. A figure to watch, not a number to chase.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from _apps import BARE, bench_hasher
from _databases import postgresql_schema

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
WORKERS = 2
WARMUP = 300  # saves per app and path that are stored and checked but not timed
SOCKET_TIMEOUT_S = 10.0
TIME_LIMIT_S = 15.0  # per timed part: a slow or busy machine gets fewer requests, not a hang
START_TIMEOUT_S = 15.0
PASSWORD = "benchmark password"
SECRET_KEY = "benchmark-secret"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ZONE = "Europe/Amsterdam"

# The DOMAIN part E default day (as in tests/payloads.py), as the form and the outbox send it.
DAY: dict[str, str | list[str]] = {
    "lights_out_time": "23:00", "sol_min": "15", "waso_min": "10", "out_of_bed_time": "07:00",
    "refreshed": "3", "morning_energy": "7", "startup_effort": "3", "day_load": "5",
    "rest_minutes": "30", "rest_types": ["quiet_activity"], "rest_recharged": "3",
    "letting_go": "7", "bedtime_tension": "3", "sleepiness_peak": "4",
    "social_contact": "meaningful", "support_felt": "3", "walk_outside_min": "30",
}  # fmt: skip
CSRF_RE = re.compile(rb'name="csrf_token" value="([^"]+)"')
SESSION_RE = re.compile(r"^session=([^;]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Reply:
    status: int  # 0 when the request itself failed (refused, reset, timed out)
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    def session_cookie(self) -> str | None:
        for key, value in self.headers:
            if key.lower() == "set-cookie" and (match := SESSION_RE.match(value)):
                return match.group(1)
        return None


# --- a tiny HTTP/1.1 client --------------------------------------------------------------
# Raw sockets with prebuilt requests: on 2 cores the client shares the CPU with the server,
# so it has to be as cheap as possible. gunicorn's sync workers close every connection after
# the answer, so "read until EOF" is the whole response.


def build_request(
    port: int,
    path: str,
    *,
    body: bytes = b"",
    json_body: bool = False,
    cookie: str | None = None,
    csrf: str | None = None,
    method: str = "POST",
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    if cookie is not None:
        lines.append(f"Cookie: session={cookie}")
    if csrf is not None:
        lines.append(f"X-CSRFToken: {csrf}")
    if method == "POST":
        kind = "application/json" if json_body else "application/x-www-form-urlencoded"
        lines += [f"Content-Type: {kind}", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def send(port: int, raw: bytes) -> Reply:
    try:
        with socket.create_connection((HOST, port), timeout=SOCKET_TIMEOUT_S) as sock:
            sock.sendall(raw)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    except OSError:
        return Reply(0, [], b"")
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return Reply(0, [], b"")
    headers = [(k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in lines[1:])]
    return Reply(status, headers, body)


def fire(port: int, requests: Sequence[bytes], threads: int) -> tuple[float, list[Reply]]:
    """Send the requests in order from `threads` threads, each at most once, none after the
    time limit. Returns the wall time, and the answers to the requests that were sent."""
    replies: list[Reply | None] = [None] * len(requests)
    counter = itertools.count()  # next() on a count is atomic under the GIL: no lock needed
    start = time.perf_counter()
    deadline = start + TIME_LIMIT_S

    def work() -> None:
        while time.perf_counter() < deadline and (i := next(counter)) < len(requests):
            replies[i] = send(port, requests[i])  # never raises: failures come back as status 0

    pool = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.perf_counter() - start, [r for r in replies if r is not None]


# --- gunicorn -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    port: int
    pid: int  # gunicorn's master; its workers are its children


@contextmanager
def gunicorn(entry: str, env: dict[str, str], log: Path) -> Iterator[Server]:
    """Run `entry` under gunicorn on a free port of 127.0.0.1, ready once both workers have
    booted; stops the server (and its workers) afterwards."""
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--bind", f"{HOST}:0",
        "--chdir", str(HERE), "--log-level", "info", "--error-logfile", str(log), entry,
    ]  # fmt: skip
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        # Port 0 lets the kernel pick a free port with no race; gunicorn logs which one.
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited early:\n{log.read_text(errors='replace')}")
            text = log.read_text(errors="replace") if log.exists() else ""
            port = re.search(r"Listening at: http://[\d.]+:(\d+)", text)
            if port and text.count("Booting worker") >= WORKERS:
                break
            time.sleep(0.05)
        else:
            raise SystemExit(f"gunicorn did not start within {START_TIMEOUT_S} s")
        yield Server(int(port.group(1)), process.pid)
    finally:
        process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop takes its workers along
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU time of gunicorn's master and its workers."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended while we looked
            # After the ")" of the command name: state, ppid, ..., utime (12th), stime (13th).
            if int(entry.name) == pid or int(fields[1]) == pid:
                total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


# --- what is measured ---------------------------------------------------------------------


@dataclass
class Target:
    """One app and one kind of save: its prepared requests, WARMUP untimed, then a slice a
    round; `acknowledged` says which answers promise a stored row."""

    name: str
    server: Server
    requests: Sequence[bytes]
    acknowledged: Callable[[Reply], bool]
    count_rows: Callable[[], int]
    replies: list[Reply] = field(default_factory=list)
    rates: list[float] = field(default_factory=list)
    timed: int = 0
    cpu_s: float = 0.0

    def warm_up(self, threads: int) -> None:
        self.replies += fire(self.server.port, self.requests[:WARMUP], threads)[1]

    def round(self, index: int, rounds: int, threads: int) -> float:
        timed = self.requests[WARMUP:]
        size = -(-len(timed) // rounds)  # ceiling: the last slice may be shorter
        cpu = server_cpu_seconds(self.server.pid)
        seconds, replies = fire(self.server.port, timed[index * size : (index + 1) * size], threads)
        self.cpu_s += server_cpu_seconds(self.server.pid) - cpu
        self.replies += replies
        self.timed += len(replies)
        self.rates.append(len(replies) / seconds)
        return self.rates[-1]

    def report(self) -> bool:
        """Print the figures; True when every save was acknowledged and stored exactly once."""
        ok = sum(map(self.acknowledged, self.replies))
        errors = Counter(f"{r.status} {r.header('Location')}".strip() for r in self.replies
                         if not self.acknowledged(r))  # fmt: skip
        rows = self.count_rows()
        rounds = ", ".join(f"{rate:.0f}" for rate in self.rates)
        print(f"    {self.name:<34} {statistics.median(self.rates):6.0f} req/s (rounds {rounds}); "
              f"server CPU {self.cpu_s * 1000 / max(self.timed, 1):.2f} ms a save")  # fmt: skip
        mismatch = "" if rows == ok else " (NOT EQUAL)"
        failed = f", errors {dict(errors)}" if errors else ""
        print(f"      {ok}/{len(self.replies)} acknowledged, {rows} rows stored{mismatch}{failed}")
        return not errors and rows == ok


def alternate(ours: Target, bare: Target, rounds: int, threads: int) -> list[float]:
    """Time the two in turns, the order swapped every round; each round's ratio ours/bare."""
    ours.warm_up(threads)
    bare.warm_up(threads)
    ratios = []
    for index in range(rounds):
        order = (ours, bare) if index % 2 == 0 else (bare, ours)
        rates = {target.name: target.round(index, rounds, threads) for target in order}
        ratios.append(rates[ours.name] / rates[bare.name])
    return ratios


# --- setting up a database ----------------------------------------------------------------


def create_people(url: str, count: int) -> list[str]:
    """The journal's tables and the bare one; people inserted straight, one hash for all."""
    from journal import create_app
    from journal.extensions import db
    from journal.models import User

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY})
    emails = [f"person{i}@example.org" for i in range(count)]
    password_hash, now = bench_hasher().hash(PASSWORD), datetime.now(UTC)
    with app.app_context():
        db.create_all()
        BARE.create(db.engine)
        people = [{"email": email, "password_hash": password_hash, "language": "nl",
                   "timezone": ZONE, "session_token": os.urandom(12).hex(), "created_at": now}
                  for email in emails]  # fmt: skip
        db.session.execute(User.__table__.insert(), people)
        db.session.commit()
        db.engine.dispose()
    return emails


def log_in(port: int, email: str) -> tuple[str, str]:
    """As a browser does: GET the form (session cookie + CSRF token), POST it back. Logging in
    keeps the session's CSRF secret, so the token also serves the form and the API."""
    page = send(port, build_request(port, "/login", method="GET"))
    token, cookie = CSRF_RE.search(page.body), page.session_cookie()
    if page.status != 200 or token is None or cookie is None:
        raise SystemExit(f"GET /login answered {page.status}")
    form = urlencode({"email": email, "password": PASSWORD, "csrf_token": token.group(1)})
    reply = send(port, build_request(port, "/login", cookie=cookie, body=form.encode()))
    session = reply.session_cookie()
    if reply.status != 302 or session is None:
        raise SystemExit(f"POST /login for {email} answered {reply.status}")
    return session, token.group(1).decode()


def log_in_all(port: int, emails: Sequence[str], threads: int) -> list[tuple[str, str]]:
    sessions: list[tuple[str, str]] = [("", "")] * len(emails)
    counter, failures = itertools.count(), []

    def work() -> None:
        while (i := next(counter)) < len(emails) and not failures:
            try:
                sessions[i] = log_in(port, emails[i])
            except BaseException as error:  # SystemExit too: reported from the main thread
                failures.append(error)

    pool = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if failures:
        raise SystemExit(f"login failed: {failures[0]}")
    return sessions


def counter_of(url: str, table: str, where: str) -> Callable[[], int]:
    def count() -> int:
        engine = sa.create_engine(url)
        try:
            with engine.connect() as connection:
                return int(
                    connection.scalar(sa.text(f"SELECT count(*) FROM {table} WHERE {where}"))
                )
        finally:
            engine.dispose()

    return count


def measure(
    label: str, url: str, folder: Path, users: int, rounds: int, threads: int
) -> tuple[bool, list[float]]:
    """Both saves on one database, the journal's against the bare insert's: whether all were
    stored as acknowledged, and the median ratio of the API save and of the form save."""
    started = time.perf_counter()
    emails = create_people(url, users + WARMUP)
    today = datetime.now(ZoneInfo(ZONE)).date()
    with ExitStack() as stack:
        env = {"BENCH_DATABASE_URL": url, "BENCH_SECRET_KEY": SECRET_KEY}
        ours = stack.enter_context(gunicorn("_apps:real_app()", env, folder / f"{label}-real.log"))
        bare = stack.enter_context(gunicorn("_apps:bare_app()", env, folder / f"{label}-bare.log"))
        sessions = log_in_all(ours.port, emails, threads)
        print(f"\n{label}: {len(sessions)} people created and logged in in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip

        form = urlencode(DAY, doseq=True)
        yesterday = (today - timedelta(days=1)).isoformat()

        def outbox(user: int) -> bytes:
            item = {"client_id": str(uuid.uuid4()), "date": yesterday, "answers": DAY}
            return json.dumps({**item, "user": str(user)}).encode()

        def api_ok(reply: Reply) -> bool:
            return reply.status == 201

        def form_ok(reply: Reply) -> bool:  # Post/Redirect/Get to home, not to the login
            return reply.status == 302 and reply.header("Location").partition("#")[0] == "/"

        pairs = [
            (
                Target("ours: POST /api/checkins", ours, [
                    build_request(ours.port, "/api/checkins", body=outbox(i), json_body=True,
                                  cookie=cookie, csrf=token)
                    for i, (cookie, token) in enumerate(sessions)
                ], api_ok, counter_of(url, "checkins", "client_id IS NOT NULL")),
                Target("bare: JSON insert", bare, [
                    build_request(bare.port, "/insert", body=outbox(i), json_body=True)
                    for i in range(len(sessions))
                ], api_ok, counter_of(url, "bench_entries", "kind = 'json'")),
            ),
            (
                Target("ours: POST /checkin (form)", ours, [
                    build_request(ours.port, "/checkin", cookie=cookie,
                                  body=f"{form}&{urlencode({'csrf_token': token})}".encode())
                    for cookie, token in sessions
                ], form_ok, counter_of(url, "checkins", "client_id IS NULL")),
                Target("bare: form insert", bare, [
                    build_request(bare.port, "/insert",
                                  body=f"{form}&user={i}&date={today.isoformat()}".encode())
                    for i in range(len(sessions))
                ], form_ok, counter_of(url, "bench_entries", "kind = 'form'")),
            ),
        ]  # fmt: skip
        clean, medians = True, []
        for ours_target, bare_target in pairs:
            ratios = alternate(ours_target, bare_target, rounds, threads)
            clean &= ours_target.report() & bare_target.report()  # both are printed
            medians.append(statistics.median(ratios))
            print(f"      ratio ours/bare: {medians[-1]:.2f} (median; rounds "
                  f"{', '.join(f'{r:.2f}' for r in ratios)})")  # fmt: skip
    return clean, medians


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=1500, help="timed saves per app and path")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds, taken in turns")
    parser.add_argument("--threads", type=int, default=16, help="concurrent client connections")
    parser.add_argument("--postgresql", default=DEFAULT_PG, help="server for the PostgreSQL run")
    parser.add_argument("--no-postgresql", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print(f"checkin_write: gunicorn {WORKERS} sync workers on {HOST}, {os.cpu_count()} CPUs, "
          f"{args.users} timed saves per app and path, {args.threads} client threads")  # fmt: skip
    results: dict[str, tuple[bool, list[float]]] = {}
    runs = (args.users, args.rounds, args.threads)
    with tempfile.TemporaryDirectory(prefix="bench-checkin-") as tmp:
        folder = Path(tmp)
        results["SQLite"] = measure("SQLite", f"sqlite:///{folder / 'j.sqlite3'}", folder, *runs)
        if not args.no_postgresql:
            with postgresql_schema(args.postgresql) as url:
                results["PostgreSQL"] = measure("PostgreSQL", url, folder, *runs)

    print("\nratio ours/bare (requests a second, median of the rounds)")
    print(f"  {'':<12} {'API save':>9} {'form save':>10}")
    for label, (_, (api, form)) in results.items():
        print(f"  {label:<12} {api:9.2f} {form:10.2f}")
    print(f"\ndone in {time.perf_counter() - started:.1f} s")
    return 0 if all(clean for clean, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
