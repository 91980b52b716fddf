"""Lighthouse 13 on the check-in page and the home page, phone emulation, median of 3 runs.

    make lighthouse          # or: .venv/bin/python benchmarks/lighthouse.py [--runs 3]

Installs Lighthouse from npm into node_modules when it is missing (package.json at the repo
root), serves the app on 127.0.0.1 with a temporary SQLite database and the demo person's 8
weeks of check-ins (today left open, as on a morning), logs in over HTTP and hands Lighthouse
the session cookie. Debian's Chromium runs with the flags from ../shared/TESTING.md, so it only
talks to 127.0.0.1.

The app is served through gzip, as the HTTPS proxy in front of gunicorn does in production
(README, Deploying); the page weights are printed both compressed and as the app sends them.
Exits with 1 when a median misses its target.
"""

from __future__ import annotations

import argparse
import gzip
import http.cookiejar
import json
import logging
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-quic "
    '--host-resolver-rules="MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost"'
)
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}
PAGES = ("/checkin", "/")
FIRST_LOAD_TYPES = {"Document", "Stylesheet", "Script"}  # HTML, CSS, JS; icons aside
FIRST_LOAD_BUDGET = 50 * 1024
DEMO_EMAIL, DEMO_PASSWORD = "demo@example.org", "demo-wachtwoord"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    print("Installing Lighthouse from npm into node_modules ...", flush=True)
    command = "ci" if (ROOT / "package-lock.json").exists() else "install"
    subprocess.run(["npm", command, "--no-audit", "--no-fund"], cwd=ROOT, check=True)


def gzipped(app: WSGIApp) -> WSGIApp:
    """Compress text answers for clients that accept it, like the production proxy."""
    compressible = re.compile(r"^(text/|application/(javascript|json|manifest\+json))")

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured.update(status=status, headers=headers)
            return lambda data: None  # nothing in this app writes through write()

        body = b"".join(app(environ, capture))
        headers = list(captured["headers"])
        kind = next((v for k, v in headers if k.lower() == "content-type"), "")
        if (
            "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
            and compressible.match(kind)
            and len(body) > 256
        ):
            body = gzip.compress(body, compresslevel=6)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers += [
                ("Content-Encoding", "gzip"),
                ("Content-Length", str(len(body))),
                ("Vary", "Accept-Encoding"),
            ]
        start_response(captured["status"], headers)
        return [body]

    return wrapped


@contextmanager
def served_app(folder: Path, compress: bool) -> Iterator[str]:
    from flask import Flask

    from journal import create_app
    from journal.clock import local_today
    from journal.extensions import db
    from journal.models import CheckinRow, User

    app: Flask = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'lighthouse.sqlite3'}",
            "SECRET_KEY": secrets.token_hex(16),
            "COOKIE_SECURE": False,  # plain http on 127.0.0.1
        }
    )
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        # A morning: the history is there, today's check-in is still to do.
        user = db.session.query(User).filter_by(email=DEMO_EMAIL).one()
        db.session.query(CheckinRow).filter_by(
            user_id=user.id, date=local_today(user.timezone)
        ).delete()
        db.session.commit()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request is noise here
    wsgi = gzipped(app.wsgi_app) if compress else app.wsgi_app
    server = make_server("127.0.0.1", 0, wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="lighthouse-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


def session_cookie(base: str) -> str:
    """Log in through the real form (CSRF on) and return the Cookie header it earned."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the login page"
    form = {"csrf_token": match.group(1), "email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    answer = opener.open(f"{base}/login", data=urllib.parse.urlencode(form).encode())
    assert urllib.parse.urlsplit(answer.geturl()).path == "/", "login failed"
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def run_lighthouse(url: str, headers_file: Path, report: Path) -> dict[str, Any]:
    command = [
        str(LIGHTHOUSE), url,
        "--output=json", f"--output-path={report}", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile",  # with Lighthouse's default phone screen and throttling
        f"--extra-headers={headers_file}",
        f"--chrome-flags={CHROMIUM_FLAGS}",
    ]  # fmt: skip
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(command, check=True, env=env, cwd=ROOT, timeout=180)
    data: dict[str, Any] = json.loads(report.read_text())
    return data


def first_load(report: dict[str, Any]) -> tuple[int, int]:
    """Bytes over the wire and as sent by the app, for the page's HTML, CSS and JS."""
    items = report["audits"]["network-requests"]["details"]["items"]
    chosen = [i for i in items if i.get("resourceType") in FIRST_LOAD_TYPES]
    return (
        sum(int(i.get("transferSize", 0)) for i in chosen),
        sum(int(i.get("resourceSize", 0)) for i in chosen),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-gzip", action="store_true", help="serve as the app alone does, without compression"
    )
    args = parser.parse_args()
    ensure_lighthouse()
    missed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        folder = Path(tmp)
        with served_app(folder, compress=not args.no_gzip) as base:
            headers_file = folder / "headers.json"
            headers_file.write_text(json.dumps({"Cookie": session_cookie(base)}))
            print(f"Lighthouse {lighthouse_version()} · phone · median of {args.runs} runs")
            for path in PAGES:
                scores: dict[str, list[float]] = {c: [] for c in CATEGORIES}
                weights: list[tuple[int, int]] = []
                for run in range(args.runs):
                    report = run_lighthouse(
                        base + path, headers_file, folder / f"report-{run}.json"
                    )
                    final = urllib.parse.urlsplit(report["finalDisplayedUrl"]).path
                    assert final == path, f"{path} ended on {final}: not logged in?"
                    for category in CATEGORIES:
                        scores[category].append(report["categories"][category]["score"] * 100)
                    weights.append(first_load(report))
                line = []
                for category in CATEGORIES:
                    median = statistics.median(scores[category])
                    flag = "" if median >= TARGETS[category] else f" (target {TARGETS[category]})"
                    if flag:
                        missed.append(f"{path} {category}")
                    line.append(f"{category} {median:.0f}{flag}")
                wire = int(statistics.median(w[0] for w in weights))
                raw = int(statistics.median(w[1] for w in weights))
                print(f"{path:9} " + " · ".join(line))
                print(
                    f"{'':9} first load HTML+CSS+JS: {wire / 1024:.1f} KB over the wire, "
                    f"{'gzip' if not args.no_gzip else 'not compressed'} "
                    f"({raw / 1024:.1f} KB unpacked); budget {FIRST_LOAD_BUDGET // 1024} KB"
                )
                if path == "/checkin" and wire > FIRST_LOAD_BUDGET:
                    missed.append("/checkin first-load weight")
    if missed:
        print("Below target: " + ", ".join(missed))
        return 1
    return 0


def lighthouse_version() -> str:
    return subprocess.run(
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
