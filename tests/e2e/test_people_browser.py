"""Issue 21 on a phone (390 × 844): a map of eight people built through the five steps, seen
drawn in light and dark, Dutch and English; a person's page with its call link; "wie kan ik
bellen?" reached from the safety page; "met wie?" on home after a check-in with real
contact. Axe finds nothing serious. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
Screenshots land in <--output>/screenshots/people-*-<backend>.png, for a human to look at (the
map above all).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from journal.clock import now_utc
from journal.domain.checkin import Social
from journal.extensions import db
from journal.models import CheckinRow, SupportPerson, User
from tests.domain.scenario_builder import default_day
from tests.e2e.conftest import BackendServer
from tests.e2e.helpers import LiveServer, assert_axe_clean, log_in, seed_person, today_of
from tests.web.people import EIGHT

pytestmark = pytest.mark.e2e

EMAIL = "mensen@example.org"
PASSWORD = "niet alleen, stap voor stap"


def ids(live_server: LiveServer) -> dict[str, int]:
    with live_server.app.app_context():
        return {
            p.name: p.id
            for p in db.session.scalars(
                select(SupportPerson).where(SupportPerson.name.in_([n for n, *_ in EIGHT]))
            )
        }


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def build_the_map(page: Page, live_server: LiveServer, shots: Path, tag: str) -> dict[str, int]:
    page.goto("/")
    page.locator('main a[href="/people"]').tap()
    expect(page.locator("h1")).to_have_text("Mijn mensen")
    page.locator('a[href="/people/step/1"]').first.tap()
    for name, phone, *_ in EIGHT:
        page.locator("#f-name").fill(name)
        page.locator("#f-phone").fill(phone)
        page.locator("form.add-person button").tap()
        expect(page.locator(".people-list")).to_contain_text(name)
    # A number that is not one: said plainly, what was typed kept.
    page.locator("#f-name").fill("Nog iemand")
    page.locator("#f-phone").fill("bel me")
    page.locator("form.add-person button").tap()
    expect(page.locator("#err-phone")).to_be_visible()
    expect(page.locator("#f-name")).to_have_value("Nog iemand")
    assert_axe_clean(page)
    page.screenshot(path=shots / f"people-step1-error-{tag}.png", full_page=True)
    page.locator("#f-name").fill("")
    page.locator("#f-phone").fill("")
    found = ids(live_server)
    page.locator('a[href="/people/step/2"].button').tap()
    for step, key, column in ((2, "ring", 2), (3, "helps", 3), (4, "reach", 4)):
        expect(page.locator(".step-count")).to_contain_text(f"Stap {step} van 5")
        for row in EIGHT:
            values = row[column] if isinstance(row[column], list) else [row[column]]
            for value in values:
                if value:
                    page.locator(f'input[name="{key}-{found[row[0]]}"][value="{value}"]').check()
        fits_the_phone(page)
        if step == 3:
            assert_axe_clean(page)
            page.screenshot(path=shots / f"people-step3-{tag}.png", full_page=True)
        page.locator("form button.primary").tap()
    expect(page.locator(".step-count")).to_contain_text("Stap 5 van 5")
    page.locator("#f-note_available").fill("Anna, en Carolien als het moet.")
    page.locator("#f-note_gaps").fill("Praktische hulp dichtbij.")
    page.locator("form button.primary").tap()
    expect(page).to_have_url(re.compile(r"/people$"))
    return found


def test_eight_people_on_the_map_and_who_to_call(
    browser: Browser,
    browser_context_args: dict[str, Any],
    backend_server: BackendServer,
    screenshot_dir: Path,
) -> None:
    server = backend_server
    tag = server.backend
    # pytest-playwright's base_url is the session's SQLite server; this test's server is its own.
    args = {**browser_context_args, "base_url": server.url}
    seed_person(server, EMAIL, PASSWORD, [])
    context = browser.new_context(**args)
    page = context.new_page()
    try:
        page.goto("/login")
        log_in(page, EMAIL, PASSWORD)
        found = build_the_map(page, server, screenshot_dir, tag)

        # The map: everyone drawn, each a link, readable on the phone.
        expect(page.locator("svg a.person")).to_have_count(8)
        fits_the_phone(page)
        width = page.evaluate(
            "document.querySelector('.people-map svg').getBoundingClientRect().width"
        )
        assert width >= 320  # the map takes the card's width, so its names stay legible
        font = page.evaluate(
            "(() => { const t = document.querySelector('svg a.person text');"
            " return t.getBoundingClientRect().height; })()"
        )
        assert font >= 10, font
        expect(page.locator("main")).to_contain_text("Laatst bijgewerkt op")
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / f"people-map-nl-{tag}.png", full_page=True)

        # A bubble leads to the person, with their number to call or text.
        page.locator(f'svg a.person[href="/people/{found["Anna"]}"]').tap()
        expect(page.locator("h1")).to_have_text("Anna")
        expect(page.locator('a[href="tel:0612345678"]')).to_be_visible()
        expect(page.locator('a[href="sms:0612345678"]')).to_be_visible()
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / f"people-person-nl-{tag}.png", full_page=True)

        # "Met wie?" on home after a check-in with real contact: optional, one tap per person.
        with server.app.app_context():
            user_id = db.session.scalar(select(User.id).where(User.email == EMAIL))
            record = replace(
                default_day(1), date=today_of(server), social_contact=Social.MEANINGFUL
            )
            db.session.add(CheckinRow.new(user_id, record, now_utc()))
            db.session.commit()
        page.goto("/#saved")
        form = page.locator("form.with-whom")
        expect(form.locator("label.chip")).to_have_count(5)  # the two inner circles
        form.locator(f'input[value="{found["Anna"]}"]').check()
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / f"people-with-whom-nl-{tag}.png", full_page=True)
        form.locator("button").tap()
        expect(page.locator(".flash:not(.confirm)")).to_contain_text("Genoteerd")
        expect(page.locator("form.with-whom")).to_have_count(0)

        # From the safety page, beside 113 and 112: who to call.
        page.locator("a.safety-link").tap()
        expect(page.locator('a[href="tel:113"]')).to_be_visible()
        page.locator('main a[href="/people/call"]').tap()
        expect(page.locator("h1")).to_have_text("Wie kan ik bellen?")
        expect(page.locator(".call-pick h2")).to_have_text(["Anna", "Carolien de Vries", "Fatima"])
        expect(page.locator('a[href="tel:113"]')).to_be_visible()
        fits_the_phone(page)
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / f"people-call-nl-{tag}.png", full_page=True)

        # English, and dark: the map again.
        page.goto("/people")
        page.locator('footer button[value="en"]').tap()
        expect(page.locator("h1")).to_have_text("My people")
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / f"people-map-en-{tag}.png", full_page=True)
        dark = browser.new_context(
            **args, color_scheme="dark", storage_state=context.storage_state()
        )
        try:
            night = dark.new_page()
            night.goto("/people")
            expect(night.locator("svg a.person")).to_have_count(8)
            assert_axe_clean(night)
            night.screenshot(path=screenshot_dir / f"people-map-dark-{tag}.png", full_page=True)
        finally:
            dark.close()
    finally:
        context.close()
