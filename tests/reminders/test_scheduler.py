"""`flask --app journal reminders run`: the real command in its own process ticks, and stops
cleanly on SIGTERM and on Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from journal import create_app
from journal.clock import zone_of
from journal.domain.schedule import due_at
from journal.extensions import db
from journal.models import ReminderDelivery, ReminderSettings, User

from .keys import VAPID_PEM

ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).parent / "flask"
WAIT_S = 15


def _app(url: str) -> Flask:
    # A key of its own: nothing may be written into the repository's instance/ folder.
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "x", "VAPID_PRIVATE_KEY": VAPID_PEM})


def _someone_due_now(app: Flask) -> int:
    """A person (e-mail only, no SMTP: nothing leaves the machine) due a minute ago, real time."""
    zone = "Europe/Amsterdam"
    now = datetime.now(UTC) - timedelta(minutes=1)
    local = now.astimezone(zone_of(zone))
    with app.app_context():
        db.create_all()
        user = User(email="tick@example.org", password_hash="x", timezone=zone,
                    created_at=datetime.now(UTC))
        db.session.add(user)
        db.session.flush()
        at = local.time().replace(second=0, microsecond=0)
        db.session.add(ReminderSettings(
            user_id=user.id, enabled=True, remind_at=at, weekdays="1111111", push=False,
            email=True, only_if_not_checked_in=True, auto_paused=False, unanswered=0,
            next_due_at=due_at(local.date(), at, zone_of(zone)),
        ))
        db.session.commit()
        return int(user.id)


def _rows(app: Flask) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(ReminderDelivery)) or 0
        db.session.remove()
        return int(count)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_the_command_ticks_and_stops_cleanly(tmp_path: Path, stop: signal.Signals) -> None:
    url = f"sqlite:///{tmp_path / 'journal.sqlite3'}"
    app = _app(url)
    _someone_due_now(app)
    env = {**os.environ, "JOURNAL_DATABASE_URL": url, "JOURNAL_SECRET_KEY": "x",
           "JOURNAL_VAPID_PRIVATE_KEY": VAPID_PEM}
    env.pop("JOURNAL_SMTP_HOST", None)
    process = subprocess.Popen(
        [str(FLASK), "--app", "journal", "reminders", "run", "--interval", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + WAIT_S
        while _rows(app) == 0:
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, "no tick ran"
            time.sleep(0.2)
        process.send_signal(stop)
        output, _ = process.communicate(timeout=WAIT_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert "reminder scheduler stopped" in output
    with app.app_context():
        [row] = db.session.scalars(select(ReminderDelivery))
        # Recorded, whatever the hour this test runs at (night hours skip it too).
        assert row.status in {"skipped", "expired"}
        db.engine.dispose()


def test_run_once(tmp_path: Path) -> None:
    app = _app(f"sqlite:///{tmp_path / 'journal.sqlite3'}")
    _someone_due_now(app)
    result = app.test_cli_runner().invoke(args=["reminders", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert _rows(app) == 1


def test_run_once_fails_when_the_tick_fails(tmp_path: Path) -> None:
    """No tables: the tick raises, and cron or a check sees exit status 1."""
    app = _app(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    result = app.test_cli_runner().invoke(args=["reminders", "run", "--once"])
    assert result.exit_code == 1, result.output
