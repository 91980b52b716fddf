"""The coach workspace in a real browser (issue 20), on SQLite and, with TEST_DATABASE_URL, on
PostgreSQL: a coach registers and sets up the second factor (pyotp plays the app), two people
invite the coach from their share page (one by address, one by coach code), the coach accepts
both, sees them in the caseload in the right order (the one with a signpost first), opens each
summary, and loses access the moment one of them disconnects.

Every page is checked with axe; screenshots at 390×844 and 1280×800, Dutch and English, land
in <--output>/screenshots/workspace-*.png.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from journal.clock import now_utc
from journal.demo import demo_diary
from journal.extensions import db
from journal.models import CheckinRow, User
from journal.web import auth
from tests.domain.scenario_builder import default_day
from tests.e2e.conftest import BackendServer
from tests.e2e.helpers import assert_axe_clean, log_in, today_of

pytestmark = pytest.mark.e2e

PASSWORD = "samen kijken naar herstel"
COACH_EMAIL = "coach@praktijk.example"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def seed(server: BackendServer, email: str, records: list[Any]) -> None:
    with server.app.app_context():
        user = User(
            email=email,
            password_hash=auth.hasher.hash(PASSWORD),
            created_at=now_utc(),
            email_verified_at=now_utc(),
            welcomed_at=now_utc(),
        )
        db.session.add(user)
        db.session.flush()
        db.session.add_all(CheckinRow.new(user.id, r, now_utc()) for r in records)
        db.session.commit()


def context_for(
    browser: Browser, args: dict[str, Any], server: BackendServer, viewport: dict[str, int]
) -> BrowserContext:
    phone = viewport == PHONE
    context = browser.new_context(
        **{
            **args,
            "base_url": server.url,
            "viewport": viewport,
            "is_mobile": phone,
            "has_touch": phone,
        }
    )
    context.set_default_timeout(30_000)
    return context


def shot(page: Page, folder: Path, name: str) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 390
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    page.screenshot(path=folder / f"workspace-{name}.png", full_page=True)


def invite(page: Page, coach: str, name: str, folder: Path, label: str) -> None:
    """A person on their phone invites the coach from the share page, through the review."""
    page.goto("/share")
    page.locator("#f-coach").fill(coach)
    page.locator("#f-client-name").fill(name)
    page.locator('input[name="period"][value="last_8_weeks"]').check()
    assert_axe_clean(page)
    page.locator("#h-invite ~ form.form button.primary").tap()
    expect(page.locator("h1")).to_have_text("Bekijk wat je coach gaat zien")
    expect(page.locator(".review")).to_contain_text("De laatste 8 weken, doorlopend")
    assert_axe_clean(page)
    shot(page, folder, f"review-{label}")
    page.get_by_role("button", name="Verstuur de uitnodiging").tap()
    expect(page.locator(".flash")).to_contain_text("Als dit adres of deze code bij een coach hoort")


def test_a_coach_sees_two_clients_and_loses_one_at_once(
    browser: Browser,
    browser_context_args: dict[str, Any],
    backend_server: BackendServer,
    screenshot_dir: Path,
) -> None:
    server = backend_server
    today = today_of(server)
    now: datetime = server.app.config["FIXED_NOW"]
    # Sanne's diary brings a signpost; Bram has been calm, but quiet for four days.
    seed(server, "sanne@example.org", demo_diary(today))
    calm = [replace(default_day(1), date=today - timedelta(days=back)) for back in range(4, 60)]
    seed(server, "bram@example.org", calm)
    tag = server.backend
    expect.set_options(timeout=20_000)  # a busy machine (the suite runs beside other work)
    coach_context = context_for(browser, browser_context_args, server, PHONE)
    person_context = context_for(browser, browser_context_args, server, PHONE)
    try:
        coach = coach_context.new_page()
        coach.goto("/coach/register")
        coach.locator("#f-display_name").fill("Marieke de Vries")
        coach.locator("#f-practice").fill("Praktijk Herstel")
        coach.locator("#f-email").fill(COACH_EMAIL)
        coach.locator("#f-password").fill(PASSWORD)
        coach.locator("form.card button.primary").tap()
        expect(coach).to_have_url(re.compile(r"/coach/security$"))
        secret = coach.locator("[data-secret]").inner_text().replace(" ", "")
        coach.locator("#f-code").fill(pyotp.TOTP(secret).at(now))
        coach.get_by_role("button", name="Aanzetten").tap()
        expect(coach.locator("ol.recovery-codes li")).to_have_count(10)

        coach.goto("/coach")
        expect(coach.locator("h1")).to_have_text("Je cliënten")
        code = coach.locator(".coach-code").first.inner_text()
        assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code), code
        assert_axe_clean(coach)
        shot(coach, screenshot_dir, f"empty-{tag}")

        person = person_context.new_page()
        person.goto("/login")
        log_in(person, "sanne@example.org", PASSWORD)
        invite(person, COACH_EMAIL, "Sanne", screenshot_dir, f"sanne-{tag}")
        person.locator("form.logout button").tap()
        expect(person).to_have_url(re.compile(r"/login$"))
        log_in(person, "bram@example.org", PASSWORD)
        invite(person, code.lower().replace("-", ""), "Bram", screenshot_dir, f"bram-{tag}")

        # The coach accepts both invitations.
        coach.goto("/coach")
        expect(coach.locator(".invitation")).to_have_count(2)
        assert_axe_clean(coach)
        shot(coach, screenshot_dir, f"invitations-{tag}")
        for _ in range(2):
            coach.locator(".invitation button[value=accept]").first.tap()
            expect(coach.locator(".flash")).to_contain_text("staat nu in je cliëntenlijst")
        expect(coach.locator(".invitation")).to_have_count(0)

        # The caseload, in the order of who is worth a look: the signpost first.
        rows = coach.locator("ol.caseload > li")
        expect(rows).to_have_count(2)
        expect(rows.nth(0).locator("h3")).to_have_text("Sanne")
        expect(rows.nth(0)).to_contain_text("Wegwijzer actief")
        expect(rows.nth(1).locator("h3")).to_have_text("Bram")
        expect(rows.nth(1)).to_contain_text("4 dagen geleden")
        assert_axe_clean(coach)
        shot(coach, screenshot_dir, f"caseload-nl-phone-{tag}")
        coach.set_viewport_size(DESKTOP)
        shot(coach, screenshot_dir, f"caseload-nl-desktop-{tag}")
        coach.locator("footer button[value=en]").click()
        expect(coach.locator("h1")).to_have_text("Your clients")
        expect(coach.locator("ol.caseload > li").nth(0)).to_contain_text("Signpost active")
        assert_axe_clean(coach)
        shot(coach, screenshot_dir, f"caseload-en-desktop-{tag}")
        coach.set_viewport_size(PHONE)
        shot(coach, screenshot_dir, f"caseload-en-phone-{tag}")

        # Each summary opens, within its scope.
        addresses = []
        for n, name in enumerate(["Sanne", "Bram"]):
            coach.goto("/coach")
            coach.locator("ol.caseload > li").nth(n).locator("h3 a").tap()
            expect(coach.locator("h1")).to_have_text("Coach summary")
            expect(coach.locator(".connection-scope")).to_contain_text(
                f"What {name} shares with you"
            )
            assert_axe_clean(coach)
            shot(coach, screenshot_dir, f"client-{name.lower()}-phone-{tag}")
            addresses.append(coach.url)
        coach.set_viewport_size(DESKTOP)
        shot(coach, screenshot_dir, f"client-bram-desktop-{tag}")

        # Bram sees the view log and disconnects: the coach's next request is a 404.
        person.goto("/share")
        connection = person.locator("li.connection.open")
        expect(connection).to_contain_text("Marieke de Vries")
        connection.locator("details.more summary").tap()
        expect(connection.locator(".share-log li")).to_have_count(1)
        connection.locator("details.end-connection summary").tap()
        assert_axe_clean(person)
        shot(person, screenshot_dir, f"share-connection-{tag}")
        connection.get_by_role("button", name="Ja, ontkoppel Marieke de Vries").tap()
        expect(person.locator(".flash")).to_contain_text("De koppeling is verbroken")

        gone = coach.goto(addresses[1])
        assert gone is not None and gone.status == 404
        pdf = coach.request.get(addresses[1] + ".pdf")
        assert pdf.status == 404
        still = coach.goto(addresses[0])
        assert still is not None and still.status == 200
        coach.goto("/coach")
        expect(coach.locator("ol.caseload > li")).to_have_count(1)
    finally:
        expect.set_options(timeout=5_000)  # Playwright's default, for the tests after this one
        coach_context.close()
        person_context.close()
