"""Helpers the browser tests share: the live server's shape, logging in, seeding, and axe."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page, expect

from journal.clock import now_utc
from journal.domain.checkin import CheckIn
from journal.extensions import db
from journal.models import CheckinRow, User
from journal.web.auth import hasher

BLOCKING_IMPACTS = frozenset({"serious", "critical"})


class LiveServer(Protocol):
    """What conftest's `live_server` gives (pytest loads conftest itself; it is not imported)."""

    url: str
    app: Flask


def today_of(live_server: LiveServer) -> date:
    """The app's frozen 'now' as a date in the zone the browser reports at registration."""
    now: datetime = live_server.app.config["FIXED_NOW"]
    return now.astimezone(ZoneInfo("Europe/Amsterdam")).date()


def assert_axe_clean(page: Page) -> None:
    """axe finds no serious or critical violation on the page as it is now."""
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], "\n".join(results.generate_report(v["id"]) for v in blocking)


def log_in(page: Page, email: str, password: str) -> None:
    """Log in through the real form on the login page the browser is on."""
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(password)
    page.locator("form.card button.primary").tap()
    expect(page.locator("header nav")).to_be_visible()


def register(page: Page, email: str, password: str, *, skip_welcome: bool = True) -> None:
    """Make an account through the real form; registering signs the person in (issue 19) and
    opens the first-run welcome, which this skips (to home) unless told not to."""
    page.goto("/register")
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(password)
    page.locator("form.card button.primary").tap()
    expect(page.locator("header nav")).to_be_visible()
    if skip_welcome:
        page.locator("form.welcome-leave button[value=skip]").tap()
        expect(page).to_have_url(re.compile(r"/(#.*)?$"))


def seed_person(
    live_server: LiveServer, email: str, password: str, records: Iterable[CheckIn]
) -> None:
    """A person with these check-ins, written straight to the live server's database."""
    with live_server.app.app_context():
        user = User(
            email=email,
            password_hash=hasher.hash(password),
            created_at=now_utc(),
            email_verified_at=now_utc(),
            welcomed_at=now_utc(),  # past the first-run welcome (tests/e2e/test_welcome_browser.py)
        )
        db.session.add(user)
        db.session.flush()
        for record in records:
            db.session.add(CheckinRow.new(user.id, record, now_utc()))
        db.session.commit()
