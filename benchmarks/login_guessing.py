"""How many password guesses one address gets checked per minute, and what a visitor notices.

    .venv/bin/python benchmarks/login_guessing.py [--seconds 60] [--threads 4]
        [--storage redis://127.0.0.1:6379/14] [--one-account]

The journal runs as deployed (gunicorn, 2 sync workers, CSRF on, the production Argon2 cost) on
127.0.0.1 with a temporary SQLite database. Attacker threads log in with wrong passwords from
127.0.0.1 as fast as the server answers, each at another address typed (spraying, which meets
the per-address limit) or, with --one-account, all at one account (the per-account limit).
Meanwhile a visitor loads GET /login twice a second. Printed: guesses whose password was
checked (401) and refused ones (429), per minute, and the visitor's GET /login times.

The counters must be shared by the two workers, so the default storage is Redis (its database
14, emptied before and after); with memory:// each worker counts on its own, and the figure
shows what that costs. Bounded: at most --seconds (≤ 300) and --max-requests guesses, only
127.0.0.1. Issue 17 measured 406–652 checked guesses a minute before the limits.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from _databases import database
from checkin_write import CSRF_RE, HOST, build_request, gunicorn, send

SECRET_KEY = "benchmark-secret"
EMAIL = "sanne@example.org"
PASSWORD = "the right password"
DEFAULT_STORAGE = "redis://127.0.0.1:6379/14"
MAX_SECONDS = 300
VISITOR_EVERY_S = 0.5


def _flush(storage: str) -> None:
    if storage.startswith("redis://"):
        import redis

        redis.Redis.from_url(storage, socket_connect_timeout=2).flushdb()


def _prepare(url: str) -> None:
    """The schema and one account, hashed at the production cost."""
    from journal import create_app
    from journal.extensions import db
    from journal.models import User
    from journal.web.auth import hasher

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        db.create_all()
        user = User(email=EMAIL, password_hash=hasher.hash(PASSWORD), created_at=datetime.now(UTC))
        db.session.add(user)
        db.session.commit()
        db.engine.dispose()


def _session(port: int) -> tuple[str, str]:
    """A session cookie and its CSRF token, as a browser gets them from the login page."""
    page = send(port, build_request(port, "/login", method="GET"))
    token, cookie = CSRF_RE.search(page.body), page.session_cookie()
    if page.status != 200 or token is None or cookie is None:
        raise SystemExit(f"GET /login answered {page.status}")
    return cookie, token.group(1).decode()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to guess")
    parser.add_argument("--threads", type=int, default=4, help="concurrent guessing connections")
    parser.add_argument("--max-requests", type=int, default=50_000, help="guesses at most")
    parser.add_argument("--storage", default=DEFAULT_STORAGE, help="JOURNAL_RATELIMIT_STORAGE_URI")
    parser.add_argument("--one-account", action="store_true", help="guess at one account only")
    args = parser.parse_args(argv)
    seconds = min(args.seconds, MAX_SECONDS)
    if not args.storage.startswith(("redis://127.0.0.1", "memory://")):
        raise SystemExit("only memory:// or a Redis on 127.0.0.1")
    try:
        _flush(args.storage)
    except Exception as problem:  # whatever the failure, there is no Redis to measure with
        raise SystemExit(f"Redis does not answer at {args.storage}: {problem}") from None

    with database(None) as url, tempfile.TemporaryDirectory(prefix="bench-") as folder:
        _prepare(url)
        env = {
            "JOURNAL_DATABASE_URL": url,
            "JOURNAL_SECRET_KEY": SECRET_KEY,
            "JOURNAL_COOKIE_SECURE": "0",
            "JOURNAL_RATELIMIT_STORAGE_URI": args.storage,
        }
        with gunicorn("journal:create_app()", env, Path(folder) / "gunicorn.log") as server:
            port = server.port
            statuses: Counter[int] = Counter()
            visitor_ms: list[float] = []
            numbers = iter(range(args.max_requests))
            lock = threading.Lock()
            start = time.monotonic()
            deadline = start + seconds

            def guess() -> None:
                cookie, token = _session(port)
                while time.monotonic() < deadline:
                    with lock:
                        n = next(numbers, None)
                    if n is None:
                        return
                    email = EMAIL if args.one_account else f"guess{n}@example.org"
                    form = {"csrf_token": token, "email": email, "password": f"guess {n}"}
                    reply = send(
                        port,
                        build_request(port, "/login", body=urlencode(form).encode(), cookie=cookie),
                    )
                    with lock:
                        statuses[reply.status] += 1

            def visit() -> None:
                while time.monotonic() < deadline:
                    began = time.perf_counter()
                    reply = send(port, build_request(port, "/login", method="GET"))
                    if reply.status == 200:
                        visitor_ms.append((time.perf_counter() - began) * 1000)
                    time.sleep(VISITOR_EVERY_S)

            pool = [threading.Thread(target=guess, daemon=True) for _ in range(args.threads)]
            pool.append(threading.Thread(target=visit, daemon=True))
            for thread in pool:
                thread.start()
            for thread in pool:
                thread.join()
            elapsed = time.monotonic() - start
            # The right password after the guessing: refused while the limit lasts.
            cookie, token = _session(port)
            form = {"csrf_token": token, "email": EMAIL, "password": PASSWORD}
            right = send(
                port, build_request(port, "/login", body=urlencode(form).encode(), cookie=cookie)
            )
    _flush(args.storage)

    per_minute = 60 / elapsed
    kind = "one account" if args.one_account else "a new address typed each time"
    print(
        f"{elapsed:.0f} s from {HOST}, {args.threads} connections, {kind}, storage {args.storage}"
    )
    print(
        f"guesses checked (401): {statuses[401]:6d}  = {statuses[401] * per_minute:7.1f} per minute"
    )
    print(
        f"refused (429):         {statuses[429]:6d}  = {statuses[429] * per_minute:7.1f} per minute"
    )
    other = {code: n for code, n in statuses.items() if code not in (401, 429)}
    if other:
        print(f"other answers: {dict(sorted(other.items()))}")
    if visitor_ms:
        print(
            f"visitor GET /login: median {statistics.median(visitor_ms):.1f} ms, "
            f"max {max(visitor_ms):.1f} ms over {len(visitor_ms)} loads"
        )
    print(f"the right password afterwards: {right.status}")
    return 1 if other else 0


if __name__ == "__main__":
    sys.exit(main())
