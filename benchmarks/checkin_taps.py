"""How much a person does for a check-in on a phone: taps, keystrokes and scrolling gestures.

    .venv/bin/python benchmarks/checkin_taps.py

Debian's Chromium (Playwright, the flags of tests/e2e/conftest.py) at 390 × 844 in Dutch, on
the real app served from 127.0.0.1 with a temporary SQLite database. One person does:

- day 1, a fresh account (nothing to prefill): the two times typed to the minute (23:15 as
  "2315", 07:10 as "710"), every required question tapped, save;
- day 1 again, for a second fresh person who types whole hours ("23", "7"), which the form
  also reads (journal/web/checkin_form.py `normalise_time`);
- day 1 again, for a third fresh person who taps both times on the quick-pick chips under
  the boxes (23:00, 07:00): one tap each;
- day 2, the next morning: the times come prefilled from day 1 (A.4), so only taps;
- an edit of day 2: one answer changed, save.

A tap is counted per element tapped, a keystroke per character typed. Before each tap the
target must lie wholly in the part of the screen the person sees (above the sticky progress
cue); when it does not, that is one scrolling gesture, and the script scrolls it into view.
After each tap or typed answer it waits for the page's own scrolling (checkin.js) to settle.
Figures before issue 19 (the issue's own count, by hand): day 1 18 taps + 10 keystrokes,
day 2 16 taps.
Targets: day 1 ≤ 20 taps + keystrokes; day 2 ≤ 16 taps and no scrolling gesture.
Exit status 1 when a check-in was not saved. Not a test: a figure to read.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Locator, Page, sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.e2e's flags

from journal import create_app
from journal.extensions import db
from journal.models import CheckinRow, User
from journal.web.auth import hasher
from tests.e2e.conftest import CHROMIUM_ARGS, CHROMIUM_PATH, PHONE
from tests.e2e.test_checkin_flow import PASSWORD, TAPS

# 09:00 in Amsterdam on a Tuesday: a morning, away from midnight.
NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
# Wholly on screen and not under the sticky progress cue (when that floats over the form).
VISIBLE = """el => {
  const r = el.getBoundingClientRect();
  const cue = document.querySelector('[data-progress]:not([hidden])')?.getBoundingClientRect();
  const covered = cue && r.bottom > cue.top && r.top < cue.bottom;
  return r.top >= 0 && r.bottom <= innerHeight && !covered;
}"""


@dataclass
class Count:
    taps: int = 0
    keys: int = 0
    scrolls: int = 0

    def __str__(self) -> str:
        return (
            f"{self.taps:3d} taps  {self.keys:3d} keystrokes  = {self.taps + self.keys:3d} "
            f"interactions  {self.scrolls:2d} scrolling gestures"
        )


class Person:
    """Does what a thumb does, and counts it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = Count()

    def tap(self, target: Locator, navigates: bool = False) -> None:
        if not target.evaluate(VISIBLE):
            self.count.scrolls += 1
            target.evaluate("el => el.scrollIntoView({block: 'center'})")
        target.tap()
        self.count.taps += 1
        if not navigates:
            self._settle()

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count.keys += len(text)
        self._settle()  # a full time brings the next question up, as a tap does

    def chip(self, name: str, value: str) -> None:
        self.tap(self.page.locator(f'#q-{name} label.chip:has(input[value="{value}"])'))

    def time(self, name: str, answer: str) -> None:
        """A time: "23:00" is one tap on its quick-pick chip; anything else is typed in the box."""
        if ":" in answer:
            self.tap(self.page.locator(f'#q-{name} [data-time-pick="{answer}"]'))
        else:
            self.tap(self.page.locator(f"#f-{name}"))
            self.type(answer)

    def _settle(self) -> None:
        """Wait until the page stops scrolling by itself (smooth scrolling takes a moment)."""
        last, still_since, deadline = -1.0, time.monotonic(), time.monotonic() + 2
        while time.monotonic() < deadline:
            y = float(self.page.evaluate("scrollY"))
            if y != last:
                last, still_since = y, time.monotonic()
            elif time.monotonic() - still_since > 0.15:
                return
            self.page.wait_for_timeout(30)


@contextmanager
def serve(folder: Path) -> Iterator[tuple[str, object]]:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder}/taps.sqlite3",
            "SECRET_KEY": "taps",
            "COOKIE_SECURE": False,
            "FIXED_NOW": NOW - timedelta(days=1),
            "MAIL_DIR": str(folder / "mail"),
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=5)


def make_person(app: object, email: str) -> None:
    with app.app_context():  # type: ignore[attr-defined]
        moment = NOW - timedelta(days=1)
        db.session.add(
            User(
                email=email,
                password_hash=hasher.hash(PASSWORD),
                created_at=moment,
                email_verified_at=moment,
            )
        )
        db.session.commit()


def saved_days(app: object, email: str) -> int:
    with app.app_context():  # type: ignore[attr-defined]
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        return len(
            db.session.scalars(select(CheckinRow).where(CheckinRow.user_id == user_id)).all()
        )


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(PASSWORD)
    page.locator("form.card button.primary").click()
    page.wait_for_url(f"{base}/**")


def check_in(page: Page, base: str, times: tuple[str, str] | None) -> Count:
    """One morning's check-in from opening the form to home's confirmation: the browser test's
    answers (TAPS, in the order of the form), and on day 1 the two times where they come."""
    page.goto(f"{base}/checkin")
    person = Person(page)
    for name, value in TAPS:
        if times is not None and name == "sol_min":
            person.time("lights_out_time", times[0])
        if times is not None and name == "refreshed":  # out of bed comes after the two minutes
            person.time("out_of_bed_time", times[1])
        person.chip(name, value)
    person.tap(page.locator("form.checkin button.primary"), navigates=True)
    page.wait_for_url(f"{base}/")
    return person.count


def edit(page: Page, base: str) -> Count:
    page.goto(f"{base}/checkin")
    person = Person(page)
    person.chip("morning_energy", "4")
    person.tap(page.locator("form.checkin button.primary"), navigates=True)
    page.wait_for_url(f"{base}/")
    return person.count


def main() -> int:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    results: list[tuple[str, Count]] = []
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp)) as (base, app):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            options = {
                "viewport": PHONE,
                "is_mobile": True,
                "has_touch": True,
                "locale": "nl-NL",
                "timezone_id": "Europe/Amsterdam",
            }
            for email, times, label in [
                ("minutes@example.org", ("2315", "710"), "day 1, times to the minute"),
                ("hours@example.org", ("23", "7"), "day 1, whole hours"),
                ("chips@example.org", ("23:00", "07:00"), "day 1, times from the chips"),
            ]:
                make_person(app, email)
                context = browser.new_context(**options)  # type: ignore[arg-type]
                page = context.new_page()
                log_in(page, base, email)
                results.append((label, check_in(page, base, times)))
                if email.startswith("minutes"):
                    app.config["FIXED_NOW"] = NOW  # type: ignore[attr-defined]
                    results.append(("day 2, times prefilled", check_in(page, base, None)))
                    results.append(("edit of day 2", edit(page, base)))
                    app.config["FIXED_NOW"] = NOW - timedelta(days=1)  # type: ignore[attr-defined]
                context.close()
            browser.close()
        complete = (
            saved_days(app, "minutes@example.org") == 2
            and saved_days(app, "hours@example.org") == 1
            and saved_days(app, "chips@example.org") == 1
        )
    print("check-in effort at 390 × 844 (Chromium, nl)")
    for label, count in results:
        print(f"  {label:28s} {count}")
    print("  before issue 19 (by hand): day 1 18 taps + 10 keystrokes; day 2 16 taps")
    print("  targets: day 1 ≤ 20 interactions; day 2 ≤ 16 taps and 0 scrolling gestures")
    if not complete:
        print("a check-in was not saved", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
