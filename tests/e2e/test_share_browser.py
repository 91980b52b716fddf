"""Sharing with a coach in a real browser: the person makes a link on a phone, and the coach
opens it on a desktop and on a phone, without an account. The coach view renders every part of
DOMAIN D.2, axe finds nothing serious or critical, and screenshots land in
<--output>/screenshots/share-*.png.

The person has the demo diary (journal.demo: eight weeks with gaps, a stretch of rest that does
not recharge, and one note), written straight to the live server's database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

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
        page.locator("#f-label").fill("mijn coach")
        page.locator('input[name="weeks"][value="8"]').check(force=True)
        page.locator('input[name="expiry"][value="30"]').check(force=True)
        page.locator('input[name="include_notes"]').check()
        page.locator('input[name="notes"]').first.check()
        page.locator("form.form button.primary").tap()
        expect(page.locator("#h-new")).to_be_visible()
        expect(page.locator(".share-qr svg")).to_be_visible()
        url = page.locator("#f-link").input_value()
        assert re.fullmatch(rf"{re.escape(live_server.url)}/s/[A-Za-z0-9_-]{{43}}", url)
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / "share-person-phone.png", full_page=True)
        yield url
    finally:
        context.close()


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
        expect(page.locator("table.matrix tbody tr")).to_have_count(6)
        expect(page.locator(".notes dd")).to_have_count(1)
        # Nothing of the app: no navigation, no forms, no way into an account.
        expect(page.locator("header nav a")).to_have_count(2)  # the language switch only
        expect(page.locator("form")).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / f"share-coach-{screen}.png", full_page=True)

        page.locator('a[hreflang="en"]').click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("h1")).to_have_text("Coach summary")
        assert_axe_clean(page)
    finally:
        context.close()


def test_the_coach_can_download_the_pdf(
    browser: Browser, browser_context_args: dict[str, Any], share_url: str
) -> None:
    context = browser.new_context(**{**browser_context_args, "accept_downloads": True})
    try:
        page = context.new_page()
        page.goto(share_url + "?lang=en")
        with page.expect_download() as info:
            page.locator(".coach-actions a").click()
        download = info.value
        assert re.fullmatch(
            r"coach-summary_\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d\.pdf", download.suggested_filename
        )
        path = download.path()
        assert path is not None and Path(path).read_bytes().startswith(b"%PDF")
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
