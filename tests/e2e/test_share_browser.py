"""Sharing with a coach in a real browser: the person makes a link on a phone, and the coach
opens it on a desktop and on a phone, without an account. The coach view renders every part of
DOMAIN D.2, fits a 390 px phone without anything scrolling sideways, axe finds no violation at
all, and screenshots land in <--output>/screenshots/share-*.png: the coach page on a phone and
on a desktop in Dutch and English, and every page of the 4-week PDF in both languages.

The person has the demo diary (journal.demo: eight weeks with gaps, a stretch of rest that does
not recharge, and one note), written straight to the live server's database.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from journal.demo import demo_diary
from tests.e2e.helpers import LiveServer, assert_axe_clean, log_in, seed_person, today_of

pytestmark = pytest.mark.e2e

EMAIL = "share@example.org"
PASSWORD = "samen kijken naar herstel"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SECTIONS = [
    "h-glance",
    "h-signposts",
    "h-metrics",
    "h-timeline",
    "h-mix",
    "h-rest",
    "h-contact",
    "h-movement",
    "h-notes",
]


@pytest.fixture(scope="module")
def share_url(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: LiveServer,
    screenshot_dir: Path,
) -> Iterator[str]:
    """The person logs in on a phone, finds sharing on the account page and makes a link with
    one ticked note; the link shown once is what the coach gets."""
    seed_person(live_server, EMAIL, PASSWORD, demo_diary(today_of(live_server)))
    context = browser.new_context(**browser_context_args)
    try:
        page = context.new_page()
        page.goto("/login")
        log_in(page, EMAIL, PASSWORD)
        page.goto("/account")
        page.locator('a[href="/share"]').tap()
        expect(page).to_have_url(re.compile(r"/share$"))
        # The link's own form: the "Koppel je coach" form on the same page asks about notes too.
        create = page.locator('section[aria-labelledby="h-create"]')
        create.locator("#f-label").fill("mijn coach")
        create.locator('input[name="weeks"][value="4"]').check(force=True)
        create.locator('input[name="expiry"][value="30"]').check(force=True)
        create.locator('input[name="include_notes"]').check()
        create.locator('input[name="notes"]').first.check()
        create.locator("form.form button.primary").tap()
        expect(page.locator("#h-new")).to_be_visible()
        expect(page.locator(".share-qr svg")).to_be_visible()
        url = page.locator("#f-link").input_value()
        assert re.fullmatch(rf"{re.escape(live_server.url)}/s/[A-Za-z0-9_-]{{43}}", url)
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / "share-person-phone.png", full_page=True)
        yield url
    finally:
        context.close()


def assert_no_violations(page: Page) -> None:
    """The coach page is held to more than the app's serious-or-critical bar: no violation of
    any impact."""
    results = Axe().run(page)
    violations = results.response["violations"]
    assert violations == [], "\n".join(results.generate_report(v["id"]) for v in violations)


def sticking_out(page: Page) -> list[str]:
    """Elements of the page whose box reaches past the window's right edge (a table or chart
    that would make the coach scroll sideways, or that a scroll box hides)."""
    return page.evaluate(
        """() => [...document.querySelectorAll("main *")]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map(e => e.tagName.toLowerCase() + "." + e.className)"""
    )


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_coach_view_renders_and_passes_axe(
    browser: Browser,
    browser_context_args: dict[str, Any],
    share_url: str,
    screenshot_dir: Path,
    screen: str,
) -> None:
    viewport = DESKTOP if screen == "desktop" else PHONE
    args = {
        **browser_context_args,
        "viewport": viewport,
        "is_mobile": screen == "phone",
        "has_touch": screen == "phone",
    }
    context = browser.new_context(**args)  # no cookies: the coach has no account
    try:
        page = context.new_page()
        response = page.goto(share_url)
        assert response is not None and response.status == 200
        headers = response.headers
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
        assert headers["x-robots-tag"] == "noindex"
        assert page.locator("html").get_attribute("lang") == "nl"  # the browser's language
        expect(page.locator("h1")).to_be_visible()
        ids = page.eval_on_selector_all(
            "section[aria-labelledby]", "s => s.map(e => e.getAttribute('aria-labelledby'))"
        )
        assert ids == SECTIONS
        expect(page.locator("svg.chart.lanes")).to_have_count(1)
        expect(page.locator("svg.chart.mix")).to_have_count(1)
        expect(page.locator("table.metrics tbody tr")).to_have_count(12)
        weeks = page.locator("table.matrix").count()
        assert weeks in (4, 5)  # 28 days: four or five calendar weeks
        expect(page.locator("table.matrix tbody tr")).to_have_count(6 * weeks)
        expect(page.locator(".notes dd")).to_have_count(1)
        # Nothing of the app: no navigation, no forms, no way into an account.
        expect(page.locator("header nav a")).to_have_count(2)  # the language switch only
        expect(page.locator("form")).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert sticking_out(page) == []
        if screen == "phone":  # each table row is a card: label and value side by side
            cell = page.locator("table.metrics tbody tr").first.locator("td").first
            assert cell.evaluate("e => getComputedStyle(e).display") == "flex"
            label = cell.evaluate("e => getComputedStyle(e, '::before').content")
            assert label == '"Deze week"'
        assert_no_violations(page)
        page.screenshot(path=screenshot_dir / f"share-coach-{screen}-nl.png", full_page=True)

        page.locator('a[hreflang="en"]').click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("h1")).to_have_text("Coach summary")
        assert sticking_out(page) == []
        assert_no_violations(page)
        page.screenshot(path=screenshot_dir / f"share-coach-{screen}-en.png", full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_coach_can_download_the_pdf(
    browser: Browser,
    browser_context_args: dict[str, Any],
    share_url: str,
    screenshot_dir: Path,
    language: str,
) -> None:
    """The 4-week PDF, every page kept as a PNG to look at (pdftoppm)."""
    context = browser.new_context(**{**browser_context_args, "accept_downloads": True})
    try:
        page = context.new_page()
        page.goto(f"{share_url}?lang={language}")
        with page.expect_download() as info:
            page.locator(".coach-actions a").click()
        download = info.value
        assert re.fullmatch(
            r"coach-summary_\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d\.pdf", download.suggested_filename
        )
        path = download.path()
        assert path is not None and Path(path).read_bytes().startswith(b"%PDF")
        for old in screenshot_dir.glob(f"share-pdf-4w-{language}-*.png"):
            old.unlink()
        prefix = screenshot_dir / f"share-pdf-4w-{language}"
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(path), str(prefix)], check=True)
        pages = sorted(screenshot_dir.glob(f"share-pdf-4w-{language}-*.png"))
        assert len(pages) >= 3
    finally:
        context.close()


def test_a_closed_or_unknown_link_says_so_plainly(
    browser: Browser, browser_context_args: dict[str, Any], live_server: LiveServer
) -> None:
    context = browser.new_context(**browser_context_args)
    try:
        page = context.new_page()
        response = page.goto(f"{live_server.url}/s/{'x' * 43}")
        assert response is not None and response.status == 404
        assert response.headers["referrer-policy"] == "no-referrer"
        expect(page.locator("h1")).to_be_visible()
        assert_axe_clean(page)
    finally:
        context.close()
