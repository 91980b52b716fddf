"""The reminder process: `flask --app journal reminders run`.

Its own process, built by the same app factory as the web app, never started inside a web
worker: APScheduler in every gunicorn worker would send every reminder once per worker, and
the debug reloader would start it twice. One interval job, every 60 s:

- `coalesce=True` and `max_instances=1`: a tick that runs long is followed by one tick, not
  by a pile of them;
- a generous `misfire_grace_time`: APScheduler 3.x's default of 1 s silently drops a tick
  that starts late (a busy machine, a suspended laptop); the database decides what is due,
  so a late tick is always safe to run;
- each tick in a fresh app context; SIGTERM and SIGINT let the running tick finish its chunk
  and stop.

A second process (on another host too) is harmless: see journal/reminders/tick.py.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC, datetime
from types import FrameType
from typing import Final

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from journal.reminders.tick import run_tick, worker_id

log = logging.getLogger("journal.reminders")

INTERVAL_SECONDS: Final = 60
MISFIRE_GRACE_SECONDS: Final = 600

reminders_cli = AppGroup("reminders", help="The reminder scheduler (Web Push and e-mail).")


def tick(app: Flask, worker: str, stop: threading.Event) -> bool:
    """One job run: one tick in its own app context; errors are logged, the next tick retries.
    False when the tick failed."""
    if stop.is_set():
        return True
    with app.app_context():
        try:
            report = run_tick(worker=worker, stop=stop)
        except Exception:
            log.exception("reminder tick failed")
            return False
    # Counts only (never who or what): a quiet minute is not worth a line.
    log.log(
        logging.INFO if report.planned or report.outcomes or report.evaluated else logging.DEBUG,
        "tick: %s",
        report,
    )
    return True


def run(app: Flask, interval: int = INTERVAL_SECONDS) -> None:
    """Run ticks until SIGTERM or SIGINT (Ctrl-C)."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    worker = worker_id()
    stop = threading.Event()
    scheduler = BlockingScheduler(timezone="UTC")
    # Ticks one second into each minute (each interval): a reminder due at 09:00 leaves at
    # 09:00:01, not at whatever second the process happened to start. Real time on purpose:
    # this is the process's own wake-up; what is due is decided with journal.clock.now_utc.
    now = datetime.now(UTC).timestamp()
    start = datetime.fromtimestamp((now // interval + 1) * interval + 1, UTC)
    scheduler.add_job(
        tick,
        IntervalTrigger(seconds=interval, start_date=start, timezone=UTC),
        args=(app, worker, stop),
        id="reminders-tick",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=MISFIRE_GRACE_SECONDS,
    )

    def shut_down(signum: int, _frame: FrameType | None) -> None:
        log.info("stopping on %s", signal.Signals(signum).name)
        stop.set()  # the running tick gives back what it has not started and returns
        if scheduler.running:
            # No waiting inside a signal handler: the interpreter joins the tick's thread
            # before it exits, so the tick still records its last chunk.
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, shut_down)
    signal.signal(signal.SIGINT, shut_down)
    log.info("reminder scheduler %s started, a tick every %d s", worker, interval)
    scheduler.start()
    log.info("reminder scheduler stopped")


@reminders_cli.command("run")
@click.option(
    "--interval", default=INTERVAL_SECONDS, show_default=True, help="Seconds between ticks."
)
@click.option("--once", is_flag=True, help="Run one tick and exit (for cron or a check).")
def run_command(interval: int, once: bool) -> None:
    """Send due reminders; runs until stopped (SIGTERM or Ctrl-C)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # Through Flask's own handler on the app's logger ("journal"), which journal.reminders
    # propagates to; APScheduler's warnings (a missed tick) still reach stderr on their own.
    app.logger.setLevel(logging.INFO)
    if once:
        # A cron job or a health check must see a failed tick.
        if not tick(app, worker_id(), threading.Event()):
            raise SystemExit(1)
        return
    run(app, interval)
