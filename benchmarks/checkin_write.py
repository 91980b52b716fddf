"""How fast the real check-in form is stored, next to a bare SQLite insert on the same machine.

    .venv/bin/python benchmarks/checkin_write.py [--users 3000] [--rounds 3] [--threads 16]

Both run under gunicorn (2 sync workers) on 127.0.0.1 and are driven by the same small client,
so the ratio says what the app itself costs. The real run is the whole thing: logged-in people,
CSRF on, the check-in form as a browser posts it, one row per (person, day). It also prints the
check-in page's gzip weight.

Both servers stay up for the whole run. Each first stores WARMUP untimed check-ins, so that
both are timed past their start, when the WAL file still grows with every commit (once it
reaches its checkpoint size it is reused, and commits get cheaper). Then they are timed in turns,
the order swapped every round: on a shared 2-core machine one window of a few seconds can be
slower than the next, and taking turns spreads that over both.

Bounded in count (one POST per person) and in time (a limit per timed part, socket timeouts);
it talks only to 127.0.0.1 and cleans up its temporary folder.

Exit status 1 means lost or failed writes; the two targets are printed, not enforced.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from _apps import BARE_SCHEMA, bench_hasher, open_bare_db

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
WORKERS = 2
WARMUP = 600  # requests per app that are stored and checked but not timed (see above)
SOCKET_TIMEOUT_S = 10.0
TIME_LIMIT_S = 15.0  # per timed part: a slow or busy machine gets fewer requests, not a hang
START_TIMEOUT_S = 15.0
PASSWORD = "benchmark password"
SECRET_KEY = "benchmark-secret"
TARGET_RATIO = 0.5
TARGET_WEIGHT_KB = 30.0

# The DOMAIN part E default day (as in tests/payloads.py), as the check-in form posts it.
DAY: dict[str, str | list[str]] = {
    "lights_out_time": "23:00",
    "sol_min": "15",
    "waso_min": "10",
    "out_of_bed_time": "07:00",
    "refreshed": "3",
    "morning_energy": "7",
    "startup_effort": "3",
    "day_load": "5",
    "rest_minutes": "30",
    "rest_types": ["quiet_activity"],
    "rest_recharged": "3",
    "letting_go": "7",
    "bedtime_tension": "3",
    "sleepiness_peak": "4",
    "social_contact": "meaningful",
    "support_felt": "3",
    "walk_outside_min": "30",
}
CSRF_RE = re.compile(rb'name="csrf_token" value="([^"]+)"')
SESSION_RE = re.compile(r"^session=([^;]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Reply:
    status: int  # 0 when the request itself failed (refused, reset, timed out)
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def session_cookie(self) -> str | None:
        for key, value in self.headers:
            if key.lower() == "set-cookie" and (match := SESSION_RE.match(value)):
                return match.group(1)
        return None


# --- a tiny HTTP/1.1 client --------------------------------------------------------------
# Raw sockets with prebuilt requests: on 2 cores the client shares the CPU with the server,
# so it has to be as cheap as possible. gunicorn's sync workers close every connection after
# the answer, so "read until EOF" is the whole response and keep-alive is not on the table.


def build_request(
    port: int, method: str, path: str, *, cookie: str | None = None, form: bytes | None = None
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    if cookie is not None:
        lines.append(f"Cookie: session={cookie}")
    if form is not None:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(form)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (form or b"")


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


def fire(
    port: int, requests: Sequence[bytes], threads: int, time_limit_s: float = TIME_LIMIT_S
) -> tuple[float, list[Reply]]:
    """Send the requests in order from `threads` threads, each at most once, and none after
    the time limit. Returns the wall time from first send to last answer, and the answers to
    the requests that were sent."""
    replies: list[Reply | None] = [None] * len(requests)
    counter = itertools.count()  # next() on a count is atomic under the GIL: no lock needed
    start = time.perf_counter()
    deadline = start + time_limit_s

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
        yield Server(wait_until_ready(process, log), process.pid)
    finally:
        process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop takes its workers along
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_ready(process: subprocess.Popen[bytes], log: Path) -> int:
    # Binding port 0 lets the kernel pick a free port with no race; gunicorn logs which one.
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited early:\n{log.read_text(errors='replace')}")
        text = log.read_text(errors="replace") if log.exists() else ""
        port = re.search(r"Listening at: http://[\d.]+:(\d+)", text)
        if port and text.count("Booting worker") >= WORKERS:
            return int(port.group(1))
        time.sleep(0.05)
    raise SystemExit(f"gunicorn did not start within {START_TIMEOUT_S} s:\n{log.read_text()}")


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its direct children (gunicorn's workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        # After the ")" of the command name: state, ppid, ..., utime (12th), stime (13th).
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def machine_cpu_seconds() -> float:
    """Busy CPU time of the whole machine (all processes, all CPUs), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


# --- the two runs ---------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One timed round of one app."""

    timed: int  # timed requests sent before the time limit
    seconds: float
    replies: list[Reply]
    server_cpu_s: float  # gunicorn master + workers, during the round
    client_cpu_s: float  # this process, during the round
    machine_cpu_s: float  # every process on the machine, during the round

    @property
    def rate(self) -> float:
        return self.timed / self.seconds


@dataclass(frozen=True)
class Run:
    """One app's rounds together, with what its database holds afterwards."""

    name: str
    planned: int  # timed requests prepared
    parts: list[Part]
    ok: int
    errors: Counter[str]
    rows: int

    @property
    def timed(self) -> int:
        return sum(part.timed for part in self.parts)

    @property
    def seconds(self) -> float:
        return sum(part.seconds for part in self.parts)

    @property
    def rate(self) -> float:
        return self.timed / self.seconds

    def cpu_s(self, kind: str) -> float:
        return float(sum(getattr(part, f"{kind}_cpu_s") for part in self.parts))

    def ms_per_request(self, kind: str) -> float:
        return self.cpu_s(kind) * 1000 / max(self.timed, 1)


def tally(replies: Sequence[Reply], port: int) -> tuple[int, Counter[str]]:
    """Successes are 302 redirects to "/", as the form's Post/Redirect/Get answers."""
    hosts = (HOST, f"{HOST}:{port}")
    errors: Counter[str] = Counter()
    ok = 0
    for reply in replies:
        location = reply.header("Location") or ""
        target = urlsplit(location)
        if reply.status == 302 and target.path == "/" and target.netloc in ("", *hosts):
            ok += 1
        else:
            errors[f"{reply.status} {location}".strip()] += 1
    return ok, errors


def timed_part(server: Server, requests: Sequence[bytes], threads: int) -> Part:
    # CPU time per request does not depend on whether the client or the server is the
    # bottleneck, so it is the steadier figure on a 2-core machine that runs both.
    server_cpu, client_cpu = tree_cpu_seconds(server.pid), time.process_time()
    machine_cpu = machine_cpu_seconds()
    seconds, replies = fire(server.port, requests, threads)
    return Part(
        len(replies),
        seconds,
        replies,
        tree_cpu_seconds(server.pid) - server_cpu,
        time.process_time() - client_cpu,
        machine_cpu_seconds() - machine_cpu,
    )


@dataclass
class Target:
    """An app under gunicorn with its prepared requests: WARMUP untimed, then one slice a
    round."""

    name: str
    server: Server
    requests: Sequence[bytes]
    count_rows: Callable[[], int]
    parts: list[Part] = field(default_factory=list)
    warm: list[Reply] = field(default_factory=list)

    def warm_up(self, threads: int) -> None:
        _, self.warm = fire(self.server.port, self.requests[:WARMUP], threads)

    def round(self, index: int, rounds: int, threads: int) -> Part:
        timed = self.requests[WARMUP:]
        size = -(-len(timed) // rounds)  # ceiling: the last slice may be shorter
        part = timed_part(self.server, timed[index * size : (index + 1) * size], threads)
        self.parts.append(part)
        return part

    def result(self) -> Run:
        replies = [*self.warm, *(r for part in self.parts for r in part.replies)]
        ok, errors = tally(replies, self.server.port)
        planned = len(self.requests) - WARMUP
        return Run(self.name, planned, self.parts, ok, errors, self.count_rows())


def create_people(database_url: str, count: int) -> list[str]:
    """Insert people straight into the database, all with one password hash (made once)."""
    from journal import create_app
    from journal.extensions import db
    from journal.models import User

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY})
    emails = [f"person{i}@example.org" for i in range(count)]
    password_hash = bench_hasher().hash(PASSWORD)
    now = datetime.now(UTC)
    with app.app_context():
        db.create_all()
        db.session.execute(
            User.__table__.insert(),
            [
                {
                    "email": email,
                    "password_hash": password_hash,
                    "language": "nl",
                    "timezone": "Europe/Amsterdam",
                    "session_token": os.urandom(12).hex(),
                    "created_at": now,
                }
                for email in emails
            ],
        )
        db.session.commit()
        db.engine.dispose()
    return emails


def log_in(port: int, email: str) -> tuple[str, str]:
    """The login a browser does: GET the form (session cookie + CSRF token), POST it back.

    The CSRF token's secret lives in the session, and logging in keeps the session's other
    keys, so the login form's token is also valid for the check-in form.
    """
    page = send(port, build_request(port, "GET", "/login"))
    token = CSRF_RE.search(page.body)
    cookie = page.session_cookie()
    if page.status != 200 or token is None or cookie is None:
        raise SystemExit(f"GET /login answered {page.status}")
    form = urlencode({"email": email, "password": PASSWORD, "csrf_token": token.group(1)})
    reply = send(port, build_request(port, "POST", "/login", cookie=cookie, form=form.encode()))
    session = reply.session_cookie()
    if reply.status != 302 or session is None:
        raise SystemExit(f"POST /login for {email} answered {reply.status}")
    return session, token.group(1).decode()


def log_in_all(port: int, emails: Sequence[str], threads: int) -> list[tuple[str, str]]:
    sessions: list[tuple[str, str] | None] = [None] * len(emails)
    counter = itertools.count()
    failures: list[BaseException] = []

    def work() -> None:
        while (i := next(counter)) < len(emails) and not failures:
            try:
                sessions[i] = log_in(port, emails[i])
            except BaseException as error:  # SystemExit too: report it from the main thread
                failures.append(error)

    pool = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if failures:
        raise SystemExit(f"login failed: {failures[0]}")
    return [s for s in sessions if s is not None]


def page_weight(port: int, cookie: str) -> dict[str, tuple[int, int]]:
    """Raw and gzip (level 6, what nginx and most CDNs use) sizes of what /checkin loads."""
    sizes = {}
    for label, path, sent_cookie in (
        ("GET /checkin (HTML)", "/checkin", cookie),
        ("static/style.css", "/static/style.css", None),
        ("static/app.js", "/static/app.js", None),
    ):
        reply = send(port, build_request(port, "GET", path, cookie=sent_cookie))
        if reply.status != 200:
            raise SystemExit(f"GET {path} answered {reply.status}")
        sizes[label] = (len(reply.body), len(gzip.compress(reply.body, compresslevel=6)))
    return sizes


def checkin_form(csrf_token: str) -> bytes:
    return urlencode({**DAY, "csrf_token": csrf_token}, doseq=True).encode()


def real_target(
    stack: ExitStack, folder: Path, users: int, threads: int
) -> tuple[Target, dict[str, tuple[int, int]]]:
    database = folder / "journal.sqlite3"
    url = f"sqlite:///{database}"
    started = time.perf_counter()
    emails = create_people(url, users + WARMUP)
    env = {"BENCH_DATABASE_URL": url, "BENCH_SECRET_KEY": SECRET_KEY}
    server = stack.enter_context(gunicorn("_apps:real_app()", env, folder / "real.log"))
    sessions = log_in_all(server.port, emails, threads)
    setup_s = time.perf_counter() - started
    print(f"  setup: {len(sessions)} people created and logged in in {setup_s:.1f} s")
    weight = page_weight(server.port, sessions[0][0])
    requests = [
        build_request(server.port, "POST", "/checkin", cookie=cookie, form=checkin_form(token))
        for cookie, token in sessions
    ]

    def count_rows() -> int:
        with sqlite3.connect(database) as connection:
            return int(connection.execute("SELECT count(*) FROM checkins").fetchone()[0])

    return Target("ours: POST /checkin", server, requests, count_rows), weight


def bare_target(stack: ExitStack, folder: Path, users: int) -> Target:
    database = folder / "bare.sqlite3"
    with open_bare_db(str(database)) as connection:
        connection.execute(BARE_SCHEMA)
    body = urlencode(DAY, doseq=True)
    env = {"BENCH_BARE_DB": str(database)}
    server = stack.enter_context(gunicorn("_apps:bare_app()", env, folder / "bare.log"))
    # The same form body as the real run, so both parse the same bytes.
    requests = [
        build_request(server.port, "POST", "/insert", form=f"{body}&user={i}".encode())
        for i in range(users + WARMUP)
    ]

    def count_rows() -> int:
        with sqlite3.connect(database) as connection:
            return int(connection.execute("SELECT count(*) FROM entries").fetchone()[0])

    return Target("bare: SQLite WAL insert", server, requests, count_rows)


def alternate(targets: Sequence[Target], rounds: int, threads: int) -> list[float]:
    """Time the apps in turns, the order swapped every round, so that a busier moment of the
    machine falls on both rather than on one. Returns each round's ratio of the first app's
    rate to the second's."""
    for target in targets:
        target.warm_up(threads)
    ratios = []
    for index in range(rounds):
        order = targets if index % 2 == 0 else targets[::-1]
        rates = {target.name: target.round(index, rounds, threads).rate for target in order}
        ratios.append(rates[targets[0].name] / rates[targets[1].name])
    return ratios


def report(run: Run) -> bool:
    sent = run.timed + WARMUP
    rows_match = run.rows == run.ok
    errors = f" {dict(run.errors)}" if run.errors else ""
    limited = f", stopped at the {TIME_LIMIT_S:.0f} s limit" if run.timed < run.planned else ""
    rounds = ", ".join(f"{part.rate:.0f}" for part in run.parts)
    print(
        f"  {run.name:<24} {run.rate:7.0f} req/s  "
        f"({run.timed} timed in {run.seconds:.2f} s{limited}; rounds {rounds})"
    )
    print(
        f"    CPU per request: server {run.ms_per_request('server'):.2f} ms, "
        f"client {run.ms_per_request('client'):.2f} ms"
    )
    # If the machine was busier than server + client, something else shared the CPUs.
    cpus = os.cpu_count() or 1
    server, client, machine = (run.cpu_s(kind) for kind in ("server", "client", "machine"))
    others = max(machine - server - client, 0.0)
    print(
        f"    CPUs busy: {machine / run.seconds:.2f} of {cpus} "
        f"(server {server / run.seconds:.2f}, client {client / run.seconds:.2f}, "
        f"other processes {others / run.seconds:.2f})"
    )
    print(f"    {run.ok}/{sent} answered 302 to /, errors: {sum(run.errors.values())}{errors}")
    print(f"    rows stored: {run.rows} (equal to acknowledged: {'yes' if rows_match else 'NO'})")
    return not run.errors and rows_match and run.ok == sent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=3000, help="timed check-ins (one a person)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per app, in turns")
    parser.add_argument("--threads", type=int, default=16, help="concurrent client connections")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print(f"checkin_write: gunicorn {WORKERS} sync workers on {HOST}, {os.cpu_count()} CPUs, "
          f"{args.users} POSTs per app from {args.threads} client threads")  # fmt: skip

    with tempfile.TemporaryDirectory(prefix="bench-checkin-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        real, weight = real_target(stack, folder, args.users, args.threads)
        bare = bare_target(stack, folder, args.users)
        ratios = alternate([real, bare], args.rounds, args.threads)
        ours, yardstick = real.result(), bare.result()

    print(f"\nwrite throughput (same client for both, {args.rounds} rounds taken in turns)")
    clean = report(ours) & report(yardstick)  # `&`, not `and`: both reports are printed
    ratio = ours.rate / yardstick.rate
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    print(f"  ratio ours/bare: {ratio:.2f} ({verdict} the target ≥ {TARGET_RATIO})")
    print(f"  ratio per round: {', '.join(f'{r:.2f}' for r in ratios)}")
    cpu_ratio = yardstick.ms_per_request("server") / ours.ms_per_request("server")
    print(f"  ratio by server CPU per request (bare/ours): {cpu_ratio:.2f}")

    print("\ncheck-in page weight (gzip level 6)")
    for label, (raw, packed) in weight.items():
        print(f"  {label:<22} {raw / 1024:6.1f} KB raw  {packed / 1024:6.1f} KB gzip")
    total = sum(packed for _, packed in weight.values()) / 1024
    verdict = "meets" if total <= TARGET_WEIGHT_KB else "ABOVE"
    print(f"  {'total':<22} {'':>15}  {total:6.1f} KB gzip ({verdict} the target ≤ "
          f"{TARGET_WEIGHT_KB:.0f} KB)")  # fmt: skip
    print(f"\ndone in {time.perf_counter() - started:.1f} s")
    # Targets are reported, not enforced; lost or failed writes are a real fault.
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
