"""The issue's acceptance path on a phone: register, log in, check in by tapping, see it back.

Everything goes through the real pages (CSRF on, no shortcuts) in Debian's Chromium. Screenshots
land in <--output>/screenshots/ for a human to look at.
"""

from __future__ import annotations

import time
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
SCALE_MIN_WIDTH_PX = 28

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
    # A 0–10 scale fits one row at 390 px (issue 19): its segments are at least 28 px wide
    # (WCAG 2.5.8 asks 24) and 44 tall; every other chip is at least 44 × 44.
    scales = set(page.eval_on_selector_all(".chips.scale input", "els => els.map(e => e.name)"))
    too_small = [
        b
        for b in boxes
        if b["height"] < TAP_MIN_PX
        or b["width"] < (SCALE_MIN_WIDTH_PX if b["name"] in scales else TAP_MIN_PX)
    ]
    assert too_small == [], f"chips smaller than their minimum: {too_small}"
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


# --- The check-in that flows (issue 19) ---------------------------------------------------------

SCALES = [
    "morning_energy",
    "startup_effort",
    "day_load",
    "letting_go",
    "bedtime_tension",
    "sleepiness_peak",
]
FLOW_TEXTS = {
    "nl": {"left": "nog {n} vragen", "done": "Alles beantwoord. Je kunt opslaan.", "count": "{n} / 500 tekens",
           "too_long": "Je notitie heeft 600 tekens", "ack": "Afgelopen nacht sliep je 7 u 30 min."},
    "en": {"left": "{n} questions to go", "done": "All questions answered. You can save.", "count": "{n} / 500 characters",
           "too_long": "Your note has 600 characters", "ack": "Last night you slept 7 h 20 min."},  # 07:00: a chip
}  # fmt: skip
IN_VIEW = """el => { const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight; }"""


def comes_into_view(locator: Locator, seconds: float = 3) -> bool:
    """Whether the element is (or within `seconds` gets) wholly inside the viewport. Polled from
    here: the page's CSP forbids the string evaluation `wait_for_function` uses."""
    deadline = time.monotonic() + seconds
    while not locator.evaluate(IN_VIEW):
        if time.monotonic() > deadline:
            return False
        locator.page.wait_for_timeout(50)
    return True


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_check_in_flows_on_a_phone(
    page: Page, live_server: LiveServer, base_url: str, screenshot_dir: Path, language: str
) -> None:
    texts = FLOW_TEXTS[language]
    register_and_log_in(page, f"flow-{language}@example.org")
    if language == "en":
        page.locator("footer .lang button[value=en]").tap()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/checkin")

    # Every scale on one row, 0 (or 1) to 10 (or 9), its end labels under its two ends.
    for name in SCALES:
        rows = page.eval_on_selector_all(
            f"#q-{name} .chips label.chip",
            "labels => labels.map(l => { const r = l.getBoundingClientRect(); return [r.top, r.left, r.right]; })",
        )
        assert len(rows) == (9 if name == "sleepiness_peak" else 11)
        assert len({round(top) for top, _, _ in rows}) == 1, f"{name} wraps: {rows}"
        ends = page.eval_on_selector_all(
            f"#ends-{name} span",
            "spans => spans.map(s => { const r = s.getBoundingClientRect(); return [r.left, r.right]; })",
        )
        assert abs(ends[0][0] - rows[0][1]) <= 2 and abs(ends[1][1] - rows[-1][2]) <= 2, (
            name,
            ends,
            rows,
        )
    expect(page.locator("#q-sleepiness_peak details.legend-more p")).to_be_hidden()

    # The quiet progress cue counts the open questions, and the times are written 24-hour.
    progress = page.locator("[data-progress]")
    expect(progress).to_have_text(texts["left"].format(n=14))
    page.screenshot(path=screenshot_dir / f"checkin-flow-top-{language}.png")
    page.locator("#f-lights_out_time").tap()
    page.keyboard.type("2315")
    if language == "nl":
        page.locator("#f-out_of_bed_time").tap()
        page.keyboard.type("710")
        wake = "07:10"
    else:  # one tap on a quick-pick chip is the answer, and the next open question comes up
        picks = page.locator("#q-out_of_bed_time [data-time-pick]")
        boxes = picks.evaluate_all("bs => bs.map(b => b.getBoundingClientRect().toJSON())")
        assert len({round(b["top"]) for b in boxes}) == 1 and min(b["height"] for b in boxes) >= 44
        picks.filter(has_text="07:00").tap()
        wake = "07:00"
        expect(picks.filter(has_text="07:00")).to_have_attribute("aria-pressed", "true")
        assert comes_into_view(page.locator("#q-refreshed")), "refreshed was not brought into view"
        page.screenshot(path=screenshot_dir / "checkin-flow-time-picks-en.png")
    expect(page.locator("#f-lights_out_time")).to_have_value("23:15")
    tap_chip(page, "sol_min", "15")
    expect(page.locator("#f-out_of_bed_time")).to_have_value(wake)
    expect(progress).to_have_text(texts["left"].format(n=11))

    # After each tap the next open question is in view, without a scrolling gesture.
    for name, value in TAPS[1:]:
        # Smooth scrolling takes a moment; a question that never arrives fails here.
        assert comes_into_view(page.locator(f"#q-{name}")), f"{name} was not brought into view"
        tap_chip(page, name, value)
        if name == "startup_effort":
            page.screenshot(path=screenshot_dir / f"checkin-flow-scales-{language}.png")
    assert comes_into_view(page.locator("form.checkin button.primary"))
    expect(progress).to_have_text(texts["done"])

    # The note counts as it is typed; past 500 the save is refused and the text kept whole.
    page.locator("details.more > summary").tap()
    note = page.locator("#f-note")
    count = page.locator("[data-note-count]")
    expect(count).to_have_text(texts["count"].format(n=0))
    note.fill("Rustige ochtend.")
    expect(count).to_have_text(texts["count"].format(n=16))
    long_note = "x" * 600
    note.fill(long_note)
    expect(count).to_have_text(texts["count"].format(n=600))
    posts: list[Request] = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    page.locator("form.checkin button.primary").tap()
    expect(page.locator("#q-note .error")).to_contain_text(texts["too_long"])
    expect(note).to_have_value(long_note)
    expect(note).to_be_focused()
    assert posts == []
    note.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / f"checkin-flow-note-too-long-{language}.png")
    note.fill("Rustige ochtend.")
    # The same empty form in a second tab, as Back shows it after the save below (nl only).
    stale = page.context.new_page() if language == "nl" else None
    if stale is not None:
        stale.goto("/checkin")
        expect(stale.locator("form.checkin")).to_have_attribute("data-new", "")

    with page.expect_response(lambda r: r.url.endswith("/api/checkins")) as sent:
        page.locator("form.checkin button.primary").tap()
    assert sent.value.status == 201
    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator("#acknowledgement")).to_have_text(texts["ack"])
    page.screenshot(path=screenshot_dir / f"home-acknowledgement-{language}.png")
    page.reload()
    expect(page.locator("#acknowledgement")).to_be_hidden()  # once, right after the save

    if stale is not None:
        # Saving that stale "new" form is not dropped as "the day stays as it is": the API's
        # 409 sends it as the plain form, which applies it as the edit of the day.
        stale.locator("#f-lights_out_time").fill("23:15")
        stale.locator("#f-out_of_bed_time").fill("07:10")
        for name, value in TAPS:
            tap_chip(stale, name, "8" if name == "morning_energy" else value)
        with stale.expect_response(lambda r: r.url.endswith("/api/checkins")) as refused:
            stale.locator("form.checkin button.primary").tap()
        assert refused.value.status == 409
        expect(stale.locator("#changed")).to_be_visible()
        [row] = rows_of(live_server, f"flow-{language}@example.org")
        assert row.morning_energy == 8
        stale.close()

    # Back to the form, then Back again as after a save: it opens as the saved day's edit.
    page.go_back()
    expect(page.locator("form.checkin")).not_to_have_attribute("data-new", "")
    expect(page.locator("#f-lights_out_time")).to_have_value("23:15")

    # The form stays open past the 48 hours: the save shows what was typed beside what is kept.
    frozen = live_server.app.config["FIXED_NOW"]
    live_server.app.config["FIXED_NOW"] = frozen + timedelta(hours=49)
    try:
        tap_chip(page, "morning_energy", "2")
        if page.locator("details.more").get_attribute("open") is None:
            page.locator("details.more > summary").tap()
        page.locator("#f-note").fill("Later nog bedacht.")
        page.locator("form.checkin button.primary").tap()
        expect(page.locator(".kept-notice")).to_be_visible()
        expect(page.locator("#kept-note")).to_have_value("Later nog bedacht.")
        copy = page.locator('[data-copy="kept-note"]')
        expect(copy).to_be_visible()
        copy.tap()
        expect(page.locator(".kept-copy [data-copy-said]").first).not_to_be_empty()
        page.screenshot(path=screenshot_dir / f"checkin-kept-{language}.png", full_page=True)
        assert_axe_clean(page)
    finally:
        live_server.app.config["FIXED_NOW"] = frozen
