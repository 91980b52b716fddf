"""'Mijn week', home's cards and Patronen on a phone, light and dark, Dutch and English: they
render, axe finds nothing serious, the week's first screen tells the week, the week prints on
one A4 sheet. Screenshots land in <--output>/screenshots/ (week-first-*, week-full-*,
home-two-cards-*, home-one-card-*, patterns-*), for a human to look at.

The person has the demo diary (journal.demo: eight weeks with gaps and a stretch of rest that
does not recharge), written straight to the database of the live server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, Page, StorageState, expect
from sqlalchemy import update

from journal.demo import demo_diary
from journal.domain.checkin import CheckIn
from journal.extensions import db
from journal.models import User
from tests.domain.scenario_builder import day_date
from tests.domain.test_scenarios import SCENARIOS
from tests.e2e.helpers import LiveServer, assert_axe_clean, log_in, seed_person, today_of
from tests.web.test_home import SIGNPOST_WITH_IMPROVING_DAY, s02_getting_better

pytestmark = pytest.mark.e2e

EMAIL = "week@example.org"
PASSWORD = "een rustige week, stap voor stap"
# The demo diary spans eight weeks; the person is shown about six of them, as the issue asks.
DIARY_DAYS = 42


def logged_in_state(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: LiveServer,
    email: str,
    records: list[CheckIn],
    language: str = "nl",
) -> StorageState:
    """A new person with these check-ins, logged in through the real login form."""
    seed_person(live_server, email, PASSWORD, records)
    with live_server.app.app_context():
        db.session.execute(update(User).where(User.email == email).values(language=language))
        db.session.commit()
    context = browser.new_context(**browser_context_args)
    try:
        page = context.new_page()
        page.goto("/login")
        log_in(page, email, PASSWORD)
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture(scope="module")
def week_person(
    browser: Browser, browser_context_args: dict[str, Any], live_server: LiveServer
) -> StorageState:
    """A person with about six weeks of check-ins."""
    records = demo_diary(today_of(live_server))[-DIARY_DAYS:]
    return logged_in_state(browser, browser_context_args, live_server, EMAIL, records)


@pytest.fixture(scope="module")
def week_people(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: LiveServer,
    week_person: StorageState,
) -> dict[str, StorageState]:
    """The same diary for a person who reads Dutch and one who reads English."""
    records = demo_diary(today_of(live_server))[-DIARY_DAYS:]
    english = logged_in_state(
        browser, browser_context_args, live_server, "week-en@example.org", records, "en"
    )
    return {"nl": week_person, "en": english}


def shifted_to_today(records: list[CheckIn], day: int, today: date) -> list[CheckIn]:
    """A part E diary moved so that its day `day` is today."""
    offset = today - day_date(day)
    return [replace(r, date=r.date + offset) for r in records[:day]]


@contextmanager
def phone(
    browser: Browser,
    browser_context_args: dict[str, Any],
    state: StorageState,
    scheme: Literal["light", "dark"] = "light",
) -> Iterator[Page]:
    """A page on the phone, signed in as the person whose state this is; closed after."""
    context = browser.new_context(**browser_context_args, color_scheme=scheme, storage_state=state)
    try:
        yield context.new_page()
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
            "h-phase",  # issue 22: the person's phase, near the top
            "h-stood-out",
            "h-days",
            "h-morning",
            "h-evening",
            "h-sleep",
            "h-rest",
            "h-load",
            "h-contact",
            "h-move",
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


FIRST_SCREEN = 844  # the phone's viewport height (tests/e2e/conftest.py)


def bottom_of(page: Page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return float(box["y"] + box["height"])


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("which", ["this-week", "last-week"])
def test_the_first_screen_tells_the_week(
    browser: Browser,
    browser_context_args: dict[str, Any],
    week_people: dict[str, StorageState],
    screenshot_dir: Path,
    language: str,
    which: str,
) -> None:
    """Issue 18: the week page was ~8.7 phone screens and opened with the signpost card and
    the check-in dots. Its first screen now says how the week was: one sentence and three
    figures against the person's own usual."""
    with phone(browser, browser_context_args, week_people[language]) as page:
        page.goto("/week")
        if which == "last-week":
            page.locator('a[rel="prev"]').tap()
            expect(page.locator(".brief .lead")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.screenshot(path=screenshot_dir / f"week-first-{which}-{language}.png")
        page.screenshot(path=screenshot_dir / f"week-full-{which}-{language}.png", full_page=True)
        assert bottom_of(page, ".brief .lead") <= FIRST_SCREEN
        if page.locator(".brief .keys").count():
            assert bottom_of(page, ".brief .keys") <= FIRST_SCREEN
            expect(page.locator(".brief .key")).to_have_count(3)
            page.locator("details.explain summary").tap()
            expect(page.locator("details.explain p").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        height = page.evaluate("document.documentElement.scrollHeight")
        print(f"{which} {language}: {height / FIRST_SCREEN:.1f} phone screens")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_patterns_draws_the_loop(
    browser: Browser,
    browser_context_args: dict[str, Any],
    week_people: dict[str, StorageState],
    screenshot_dir: Path,
    language: str,
    scheme: Literal["light", "dark"],
) -> None:
    with phone(browser, browser_context_args, week_people[language], scheme) as page:
        page.goto("/patterns")
        expect(page.locator("svg.chain-chart").first).to_be_visible()
        # The labels stay readable on a 390 px phone: 13 drawing units at the drawn scale.
        width = page.evaluate(
            "document.querySelector('svg.chain-chart').getBoundingClientRect().width"
        )
        assert 13 * width / 340 >= 12, width
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator("details.read-more summary").first.tap()
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / f"patterns-{language}-{scheme}.png", full_page=True)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_home_with_two_cards(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: LiveServer,
    screenshot_dir: Path,
    language: str,
) -> None:
    """Part E S02 on its day 25: the look-further signpost starts and the chain persists, two
    cards, each its one sentence with a link to Patronen. And a day later in a diary where
    things get better: one card that holds both truths."""
    today = today_of(live_server)
    two = shifted_to_today(SCENARIOS["S02"], 25, today)
    one = shifted_to_today(s02_getting_better(), SIGNPOST_WITH_IMPROVING_DAY, today)
    for name, records, cards in (("two-cards", two, 2), ("one-card", one, 1)):
        email = f"home-{name}-{language}@example.org"
        state = logged_in_state(
            browser, browser_context_args, live_server, email, records, language
        )
        with phone(browser, browser_context_args, state) as page:
            page.goto("/")
            expect(page.locator("article.flag")).to_have_count(cards)
            if name == "one-card":
                expect(page.locator("article.flag .also")).to_have_count(1)
            assert_axe_clean(page)
            page.screenshot(path=screenshot_dir / f"home-{name}-{language}.png", full_page=True)
