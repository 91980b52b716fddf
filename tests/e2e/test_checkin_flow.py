"""The issue's acceptance path on a phone: register, log in, check in by tapping, see it back.

Everything goes through the real pages (CSRF on, no shortcuts) in Debian's Chromium. Screenshots
land in <--output>/screenshots/ for a human to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Request,
    StorageState,
    expect,
)
from sqlalchemy import select

from journal.extensions import db
from journal.models import CheckinRow, User
from tests.e2e.helpers import LiveServer, assert_axe_clean, register, today_of

pytestmark = pytest.mark.e2e

PASSWORD = "rustig aan, stap voor stap"  # ≥ 10 characters, as the register form asks
TAP_MIN_PX = 44

# What the person taps, per question: every required question of the first three sections.
# rest_types and rest_recharged only appear once rest_minutes is above 0, so they come after it.
TAPS: list[tuple[str, str]] = [
    ("sol_min", "15"),
    ("waso_min", "10"),
    ("refreshed", "3"),
    ("morning_energy", "6"),
    ("startup_effort", "3"),
    ("day_load", "5"),
    ("rest_minutes", "30"),
    ("rest_types", "quiet_activity"),
    ("rest_recharged", "3"),
    ("letting_go", "7"),
    ("bedtime_tension", "3"),
    ("sleepiness_peak", "4"),
    ("social_contact", "meaningful"),
    ("walk_outside_min", "30"),
]
# Required and visible on a fresh form, before anything is tapped.
REQUIRED_VISIBLE = [
    "sol_min", "waso_min", "refreshed", "morning_energy", "startup_effort", "day_load",
    "rest_minutes", "letting_go", "bedtime_tension", "sleepiness_peak", "social_contact",
    "walk_outside_min",
]  # fmt: skip


def chip(page: Page, name: str, value: str) -> Locator:
    # The radio/checkbox is transparent and covers its label, so the label is what a thumb hits;
    # matching on the input's value avoids "1" also matching "10" on the 0–10 scales.
    return page.locator(f'#q-{name} label.chip:has(input[value="{value}"])')


def tap_chip(page: Page, name: str, value: str) -> None:
    chip(page, name, value).tap()
    expect(page.locator(f'#q-{name} input[value="{value}"]')).to_be_checked()


def check_in_by_tapping(page: Page) -> None:
    """Today's check-in: the two times typed, every required question tapped, then saved."""
    page.goto("/checkin")
    page.locator("#f-lights_out_time").fill("23:00")
    page.locator("#f-out_of_bed_time").fill("07:00")
    for name, value in TAPS:
        tap_chip(page, name, value)
    page.locator("form.checkin button.primary").tap()


def register_and_log_in(page: Page, email: str) -> None:
    register(page, email, PASSWORD)  # registering signs the person in (issue 19)


def rows_of(live_server: LiveServer, email: str) -> list[CheckinRow]:
    with live_server.app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        rows = list(db.session.scalars(select(CheckinRow).where(CheckinRow.user_id == user_id)))
        db.session.expunge_all()
        return rows


def test_register_log_in_and_check_in_by_tapping(
    page: Page,
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: LiveServer,
    base_url: str,
    screenshot_dir: Path,
) -> None:
    email = "flow@example.org"
    today = today_of(live_server)
    register_and_log_in(page, email)
    expect(page).to_have_url(f"{base_url}/")

    page.goto("/checkin")
    expect(page.locator("h1")).to_have_text("Check-in voor vandaag")

    # First day: nothing to prefill from, so the time boxes start empty and are typed.
    expect(page.locator("#f-lights_out_time")).to_have_value("")
    page.locator("#f-lights_out_time").fill("23:15")
    page.locator("#f-out_of_bed_time").fill("07:10")

    # Submitting with questions open: app.js stops the POST and marks each open question.
    posts: list[Request] = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    save = page.locator("form.checkin button.primary")
    save.tap()
    required_msg = page.locator("[data-required-msg]").text_content() or ""
    assert required_msg.strip()
    expect(page.locator(".q.has-error")).to_have_count(len(REQUIRED_VISIBLE))
    for name in REQUIRED_VISIBLE:
        expect(page.locator(f"#q-{name} .error")).to_have_text(required_msg)
    expect(page.locator("#q-sol_min input").first).to_be_focused()
    expect(page).to_have_url(f"{base_url}/checkin")
    assert posts == [], "the form was sent although questions were open"
    assert rows_of(live_server, email) == []

    # The rest follow-ups stay hidden until a rest of more than 0 minutes is chosen.
    rest_follow_ups = page.locator("#q-rest_types, #q-rest_recharged")
    expect(rest_follow_ups.first).to_be_hidden()
    expect(rest_follow_ups.last).to_be_hidden()
    tap_chip(page, "rest_minutes", "0")
    expect(rest_follow_ups.first).to_be_hidden()
    expect(rest_follow_ups.last).to_be_hidden()

    for name, value in TAPS:
        tap_chip(page, name, value)
        if name == "sol_min":
            # An answer removes that question's inline error at once.
            expect(page.locator("#q-sol_min .error")).to_have_count(0)
        if name == "rest_minutes":
            expect(rest_follow_ups.first).to_be_visible()
            expect(rest_follow_ups.last).to_be_visible()
    expect(page.locator(".q.has-error")).to_have_count(0)

    # Tap targets: show every chip there is (the "More" part, and the dozing question that only
    # appears at sleepiness 7+), measure them all at 390 px, then put the answer back.
    page.locator("details.more > summary").tap()
    tap_chip(page, "sleepiness_peak", "8")
    expect(page.locator("#q-dozed_unintended")).to_be_visible()
    boxes: list[dict[str, Any]] = page.eval_on_selector_all(
        ".chip span",
        """spans => spans.map(s => {
            const r = s.getBoundingClientRect();
            return {text: s.textContent, name: s.previousElementSibling.name,
                    width: r.width, height: r.height};
        })""",
    )
    assert len(boxes) > 100
    too_small = [b for b in boxes if b["width"] < TAP_MIN_PX or b["height"] < TAP_MIN_PX]
    assert too_small == [], f"chips smaller than {TAP_MIN_PX}×{TAP_MIN_PX} px: {too_small}"
    tap_chip(page, "sleepiness_peak", "4")
    expect(page.locator("#q-dozed_unintended")).to_be_hidden()

    page.screenshot(path=screenshot_dir / "checkin-phone.png", full_page=True)
    # With JavaScript a new day goes through the outbox to the API (static/app.js).
    with page.expect_response(lambda r: r.url.endswith("/api/checkins")) as sent:
        save.tap()
    assert sent.value.status == 201

    # Home confirms it (/#saved); once loaded, the address is "/" again and the page stays put.
    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator("#saved")).to_have_text("Opgeslagen. Fijn dat je hebt ingecheckt.")
    expect(page.locator("#changed")).to_be_hidden()
    expect(page.locator(".card.done h2")).to_have_text("De check-in van vandaag is klaar")
    assert page.evaluate("scrollY") == 0
    page.screenshot(path=screenshot_dir / "home-phone.png", full_page=True)
    page.reload()
    expect(page.locator(".card.done h2")).to_be_visible()
    expect(page.locator("#saved")).to_be_hidden()  # a reload does not confirm it again

    [row] = rows_of(live_server, email)
    assert row.date == today
    assert (row.morning_energy, row.sol_min, row.rest_minutes) == (6, 15, 30)
    assert row.rest_types == "quiet_activity"
    assert row.dozed_unintended is None

    page.goto("/history")
    expect(page.locator("h1")).to_have_text("Geschiedenis")
    entry = page.locator(f'ol.days a[href="/checkin/{today.isoformat()}"]')
    expect(entry).to_contain_text("energie 6/10")
    page.screenshot(path=screenshot_dir / "history-phone.png", full_page=True)

    # The footer switch changes the whole interface and stays on the same page.
    page.locator("footer .lang button[value=en]").tap()
    expect(page.locator("h1")).to_have_text("History")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(entry).to_contain_text("energy 6/10")
    page.screenshot(path=screenshot_dir / "history-phone-en.png", full_page=True)
    page.locator("footer .lang button[value=nl]").tap()
    expect(page.locator("h1")).to_have_text("Geschiedenis")
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    # Dark mode: the same person in a second context that prefers a dark scheme.
    dark = browser.new_context(
        **browser_context_args, color_scheme="dark", storage_state=page.context.storage_state()
    )
    try:
        dark_page = dark.new_page()
        dark_page.goto("/checkin")
        expect(dark_page.locator('#q-morning_energy input[value="6"]')).to_be_checked()
        assert dark_page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        background = dark_page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(18, 24, 22)", background  # --bg of the dark palette
        dark_page.screenshot(path=screenshot_dir / "checkin-phone-dark.png", full_page=True)
    finally:
        dark.close()


def test_saving_without_javascript_is_confirmed_on_home(
    browser: Browser, browser_context_args: dict[str, Any], base_url: str, screenshot_dir: Path
) -> None:
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        page = context.new_page()
        register_and_log_in(page, "no-script@example.org")
        check_in_by_tapping(page)
        # The plain form post: the server's redirect names the confirmation, CSS shows it.
        expect(page).to_have_url(f"{base_url}/#saved")
        expect(page.locator("#saved")).to_have_text("Opgeslagen. Fijn dat je hebt ingecheckt.")
        expect(page.locator("#changed")).to_be_hidden()
        expect(page.locator(".card.done")).to_be_visible()
        page.screenshot(path=screenshot_dir / "home-saved-no-script-phone.png")

        page.goto("/checkin")
        tap_chip(page, "morning_energy", "4")
        page.locator("form.checkin button.primary").tap()
        expect(page).to_have_url(f"{base_url}/#changed")
        expect(page.locator("#changed")).to_have_text("Je wijzigingen zijn opgeslagen.")
        expect(page.locator("#saved")).to_be_hidden()

        page.goto("/")
        expect(page.locator(".card.done")).to_be_visible()
        expect(page.locator(".confirm")).to_have_count(2)
        for confirmation in page.locator(".confirm").all():
            expect(confirmation).to_be_hidden()
    finally:
        context.close()


# --- Accessibility ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def axe_person(
    browser: Browser, browser_context_args: dict[str, Any], live_server: LiveServer
) -> Iterator[StorageState]:
    """A logged-in person with today's check-in saved, as a storage state to open pages with."""
    context = browser.new_context(**browser_context_args)
    try:
        page = context.new_page()
        register_and_log_in(page, "axe@example.org")
        check_in_by_tapping(page)
        expect(page.locator(".card.done")).to_be_visible()
        yield context.storage_state()
    finally:
        context.close()


# (id, path, logged in, colour scheme). "checkin" shows today's saved answers (edit mode);
# "checkin-new" is yesterday's empty form; "checkin-invalid" shows app.js's inline errors.
AXE_PAGES = [
    pytest.param("/login", False, "light", id="login"),
    pytest.param("/register", False, "light", id="register"),
    pytest.param("/", True, "light", id="home"),
    pytest.param("/checkin", True, "light", id="checkin"),
    pytest.param("yesterday", True, "light", id="checkin-new"),
    pytest.param("yesterday-invalid", True, "light", id="checkin-invalid"),
    pytest.param("/checkin", True, "dark", id="checkin-dark"),
    pytest.param("/history", True, "light", id="history"),
]


@pytest.mark.parametrize(("path", "logged_in", "scheme"), AXE_PAGES)
def test_no_serious_accessibility_violations(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: LiveServer,
    request: pytest.FixtureRequest,
    path: str,
    logged_in: bool,
    scheme: Literal["light", "dark"],
) -> None:
    state = request.getfixturevalue("axe_person") if logged_in else None
    context: BrowserContext = browser.new_context(
        **browser_context_args, color_scheme=scheme, storage_state=state
    )
    try:
        page = context.new_page()
        if path.startswith("yesterday"):
            yesterday = today_of(live_server) - timedelta(days=1)
            page.goto(f"/checkin/{yesterday.isoformat()}")
            if path.endswith("invalid"):
                page.locator("form.checkin button.primary").tap()
                expect(page.locator(".q.has-error").first).to_be_visible()
        else:
            page.goto(path)
        assert_axe_clean(page)
    finally:
        context.close()
