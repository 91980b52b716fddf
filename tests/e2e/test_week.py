"""'Mijn week' on a phone, light and dark: it renders, axe finds nothing serious, it prints on one
A4 sheet. Screenshots land in <--output>/screenshots/week-phone-{light,dark}.png.

The person has the demo diary (journal.demo: eight weeks with gaps and a stretch of rest that
does not recharge), written straight to the database of the live server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, Page, StorageState, expect

from journal.demo import demo_diary
from tests.e2e.helpers import LiveServer, assert_axe_clean, log_in, seed_person, today_of

pytestmark = pytest.mark.e2e

EMAIL = "week@example.org"
PASSWORD = "een rustige week, stap voor stap"
# The demo diary spans eight weeks; the person is shown about six of them, as the issue asks.
DIARY_DAYS = 42


@pytest.fixture(scope="module")
def week_person(
    browser: Browser, browser_context_args: dict[str, Any], live_server: LiveServer
) -> Iterator[StorageState]:
    """A person with about six weeks of check-ins, logged in through the real login form."""
    seed_person(live_server, EMAIL, PASSWORD, demo_diary(today_of(live_server))[-DIARY_DAYS:])
    context = browser.new_context(**browser_context_args)
    try:
        page = context.new_page()
        page.goto("/login")
        log_in(page, EMAIL, PASSWORD)
        yield context.storage_state()
    finally:
        context.close()


def open_week(
    browser: Browser,
    browser_context_args: dict[str, Any],
    state: StorageState,
    scheme: Literal["light", "dark"],
) -> Page:
    context = browser.new_context(**browser_context_args, color_scheme=scheme, storage_state=state)
    page = context.new_page()
    page.goto("/")
    # The home page leads to the week.
    page.locator('main a[href="/week"]').tap()
    expect(page).to_have_url(re.compile(r"/week$"))
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_week_page_on_a_phone(
    browser: Browser,
    browser_context_args: dict[str, Any],
    week_person: StorageState,
    screenshot_dir: Path,
    scheme: Literal["light", "dark"],
) -> None:
    page = open_week(browser, browser_context_args, week_person, scheme)
    try:
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
            scheme == "dark"
        )
        expect(page.locator("h1")).to_be_visible()
        # Every part of D.1 is there, in order, and the charts are drawn.
        ids = page.eval_on_selector_all(
            "section[aria-labelledby]", "s => s.map(e => e.getAttribute('aria-labelledby'))"
        )
        parts = [i for i in ids if not i.startswith("pin-")]
        assert parts == [
            "h-brief",
            "h-morning",
            "h-evening",
            "h-sleep",
            "h-rest",
            "h-load",
            "h-contact",
            "h-move",
            "h-stood-out",
            "h-helped",
            "h-weeks",
            "h-reflection",
        ]
        # 4 morning, 2 evening, 2 sleep, load
        expect(page.locator("svg.chart.spark")).to_have_count(9)
        expect(page.locator("svg.chart.bars")).to_have_count(1)
        expect(page.locator("svg.chart.trend")).to_have_count(2)
        # Eight weeks of history, so the usual level is known: bands, no "a week or two" note.
        assert page.locator("svg.chart.spark rect.band").count() >= 6
        expect(page.locator(".baseline-note")).to_have_count(0)
        # Nothing sticks out sideways on a 390 px screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # The charts' colours come from the palette: dark lines on light, light lines on dark.
        stroke = page.evaluate("getComputedStyle(document.querySelector('svg.chart .line')).stroke")
        assert stroke == ("rgb(124, 196, 177)" if scheme == "dark" else "rgb(47, 111, 98)")

        assert_axe_clean(page)

        page.screenshot(path=screenshot_dir / f"week-phone-{scheme}.png", full_page=True)
    finally:
        page.context.close()


def test_week_prints_on_one_a4_page(
    browser: Browser,
    browser_context_args: dict[str, Any],
    week_person: StorageState,
    live_server: LiveServer,
    screenshot_dir: Path,
) -> None:
    today = today_of(live_server)
    page = open_week(browser, browser_context_args, week_person, "light")
    try:
        # A complete past week (the one before this), as someone would print it for their coach.
        page.locator('a[rel="prev"]').tap()
        expect(page.locator(".week-head .date")).to_be_visible()
        assert page.url != f"{live_server.url}/week"
        pdf = page.pdf(format="A4", print_background=True)
        (screenshot_dir / "week-print.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
        assert pages == 1, f"the week printed on {pages} pages ({today})"
    finally:
        page.context.close()


def test_week_with_a_note_and_an_error_passes_axe(
    browser: Browser,
    browser_context_args: dict[str, Any],
    week_person: StorageState,
) -> None:
    """The reflection form with its error shown (text too long) is accessible as well."""
    page = open_week(browser, browser_context_args, week_person, "light")
    try:
        page.locator("#f-reflection").evaluate("el => el.removeAttribute('maxlength')")
        page.locator("#f-reflection").fill("Minder schermtijd. " * 30)
        page.locator("#reflection button").tap()
        expect(page.locator("#err-reflection")).to_be_visible()
        expect(page.locator("#f-reflection")).to_have_attribute("aria-invalid", "true")
        assert_axe_clean(page)
        page.locator("#f-reflection").fill("Meer wandelen, minder schermtijd.")
        page.locator("#reflection button").tap()
        expect(page.locator("#f-reflection")).to_have_value("Meer wandelen, minder schermtijd.")
        expect(page.locator(".flash")).to_be_visible()
    finally:
        page.context.close()
