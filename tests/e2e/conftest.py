"""Browser fixtures: Debian's Chromium on a phone viewport, and the real app on 127.0.0.1.

The app runs with CSRF on and real forms, served by werkzeug in a thread; pytest-playwright's
`page` fixture then talks to it through `base_url`, so tests can `page.goto("/login")`.

`live_server` is one SQLite app for the whole session. `backend_server` is a fresh app per test
on each database of tests.conftest.BACKENDS (PostgreSQL when TEST_DATABASE_URL is set); since
pytest-playwright's `base_url` is session-scoped, tests using it open their own context with
`base_url=backend_server.url`.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from jinja2 import FileSystemBytecodeCache
from playwright.sync_api import Browser, BrowserContext, WebError
from werkzeug.serving import make_server

from journal import create_app
from journal.extensions import db
from tests.conftest import BACKENDS, database_app

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# From /work/shared/TESTING.md. The resolver rule keeps Chromium from looking up vendor hosts
# (traffic off this machine); only 127.0.0.1 and localhost resolve.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask


@dataclass(frozen=True)
class BackendServer:
    url: str
    app: Flask
    backend: str  # "sqlite" or "postgresql": a suffix for screenshots of each run


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # `--browser-channel` cannot point at Debian's build; `playwright install` is not allowed.
    return {**browser_type_launch_args, "executable_path": CHROMIUM_PATH, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # The people who use this are on phones, in the Netherlands.
    return {
        **browser_context_args,
        "viewport": PHONE,
        "is_mobile": True,
        "has_touch": True,
        "locale": "nl-NL",
        "timezone_id": "Europe/Amsterdam",
    }


@pytest.fixture(autouse=True)
def no_script_errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fails a test in whose pages a script threw and nobody caught it. app.js dying early
    leaves every page working as without JavaScript, so most other checks would still pass."""
    errors: list[str] = []
    new_context = Browser.new_context

    def note(error: WebError) -> None:
        errors.append(f"{error.page.url if error.page else '?'}: {error.error}")

    def watched(self: Browser, *args: Any, **kwargs: Any) -> BrowserContext:
        context = new_context(self, *args, **kwargs)
        context.on("weberror", note)
        return context

    monkeypatch.setattr(Browser, "new_context", watched)
    yield
    assert errors == [], "uncaught script errors:\n" + "\n".join(errors)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real app (CSRF on, real cookies over http) on a free port of 127.0.0.1."""
    folder: Path = tmp_path_factory.mktemp("e2e")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder}/e2e.sqlite3",
            "SECRET_KEY": "e2e",
            "COOKIE_SECURE": False,  # plain http on 127.0.0.1: a Secure cookie would be dropped
            # The real time, frozen: a run that crosses midnight must not move "today" mid-test.
            "FIXED_NOW": datetime.now(UTC),
            # Account mails (no SMTP here) go to the test's folder, not the repository's.
            "MAIL_DIR": str(folder / "mail"),
            # Every browser test registers from 127.0.0.1; tests/web/test_rate_limits.py
            # covers the limits.
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend_server(
    request: pytest.FixtureRequest, tmp_path: Path, compiled_templates: FileSystemBytecodeCache
) -> Iterator[BackendServer]:
    """The real app (CSRF on) on 127.0.0.1, fresh for each test, on each database backend.
    Passwords are hashed cheaply, as everywhere in the tests (tests/conftest.py)."""
    config = {
        "SECRET_KEY": "e2e-backend",
        "COOKIE_SECURE": False,
        "FIXED_NOW": datetime.now(UTC),
        "MAIL_DIR": str(tmp_path / "mail"),
        "RATELIMIT_ENABLED": False,
    }
    with database_app(request, tmp_path, compiled_templates, config) as app:
        http = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=http.serve_forever, name="e2e-backend-server", daemon=True)
        thread.start()
        try:
            yield BackendServer(f"http://127.0.0.1:{http.server_port}", app, request.param)
        finally:
            http.shutdown()
            thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    # Overrides pytest-base-url's fixture, which pytest-playwright passes to every context.
    return live_server.url


@pytest.fixture(scope="session")
def screenshot_dir(pytestconfig: pytest.Config) -> Path:
    # pytest-playwright empties --output at session start, so this folder is per run.
    folder = Path(pytestconfig.getoption("output")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
