"""Issue 22 on a phone (390×844), Dutch and English, light and dark: choose a phase, see the
week page change and hide its observations, write and share a "wat speelt er?" answer; axe
finds nothing serious. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL. Screenshots
land in <--output>/screenshots/ (phase-*, week-phase-*, week-holding-*, reflect-*, each ending
in the backend), for a human to look at.

The person has the last six weeks of the demo diary, written straight to the database.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select, update

from journal.demo import demo_diary
from journal.extensions import db
from journal.models import ReflectAnswer, User
from tests.e2e.conftest import BackendServer
from tests.e2e.helpers import assert_axe_clean, log_in, seed_person, today_of

pytestmark = pytest.mark.e2e

PASSWORD = "stap voor stap weer opbouwen"
WORDS = {
    "nl": {
        "rebuilding": "Weer opbouwen",
        "phase_title": "Je fase: Weer opbouwen",
        "hide": "Verbergen",
        "hidden": "Wat we bij je fase zien, staat nu verborgen.",
        "show": "Weer laten zien",
        "saved": "Je antwoorden zijn opgeslagen.",
        "walk": "rustige wandeling",
    },
    "en": {
        "rebuilding": "Building up again",
        "phase_title": "Your phase: Building up again",
        "hide": "Hide these observations",
        "hidden": "The observations for your phase are hidden.",
        "show": "Show observations",
        "saved": "Your answers are saved.",
        "walk": "calm walk",
    },
}


@pytest.mark.parametrize(("language", "scheme"), [("nl", "light"), ("en", "dark")])
def test_choose_a_phase_see_the_week_and_write_an_answer(
    browser: Browser,
    browser_context_args: dict[str, Any],
    backend_server: BackendServer,
    screenshot_dir: Path,
    language: str,
    scheme: Literal["light", "dark"],
) -> None:
    server = backend_server
    label = f"{language}-{scheme}-{server.backend}"
    words = WORDS[language]
    email = f"fase-{language}@example.org"
    seed_person(server, email, PASSWORD, demo_diary(today_of(server))[-42:])
    with server.app.app_context():
        db.session.execute(update(User).where(User.email == email).values(language=language))
        db.session.commit()
    # pytest-playwright's base_url is the session's SQLite server; this test's server is its own.
    context = browser.new_context(
        **{**browser_context_args, "base_url": server.url}, color_scheme=scheme
    )
    page = context.new_page()
    try:
        page.goto("/login")
        log_in(page, email, PASSWORD)

        # The week page first says "don't know yet" and leads to /phase.
        page.goto("/week")
        card = page.locator("#phase")
        expect(card).to_be_visible()
        card.locator('a[href="/phase"]').tap()
        expect(page).to_have_url(re.compile(r"/phase$"))
        expect(page.locator('input[name="phase"][value="unknown"]')).to_be_checked()
        page.get_by_text(words["rebuilding"], exact=True).tap()
        page.locator("form[action='/phase'] button.primary").tap()
        expect(page.locator(".flash").first).to_contain_text(words["rebuilding"])
        expect(page.locator('input[name="phase"][value="rebuilding"]')).to_be_checked()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / f"phase-{label}.png", full_page=True)

        # The week page changes with the phase: its observations, near the top.
        page.goto("/week")
        expect(card.locator("h2")).to_have_text(words["phase_title"])
        expect(card.locator(".phase-seen")).to_contain_text(words["walk"])
        assert_axe_clean(page)
        card.screenshot(path=screenshot_dir / f"week-phase-{label}.png")
        # Hiding is a plain form; the page comes back at the card.
        card.get_by_role("button", name=words["hide"]).tap()
        expect(page).to_have_url(re.compile(r"/week#phase$"))
        expect(card).to_contain_text(words["hidden"])
        expect(card.locator(".phase-seen")).to_have_count(0)
        card.get_by_role("button", name=words["show"]).tap()
        expect(card.locator(".phase-seen")).to_be_visible()

        # "Wat speelt er?": the counter follows the typing; the answer is kept and shared.
        page.goto("/reflect")
        box = page.locator("#f-empty_body")
        box.fill("Gewoon op, ook na een goede nacht.")
        expect(page.locator("#count-empty_body")).to_contain_text("34 / 1000")
        page.locator('input[name="share_empty_body"]').check()
        page.locator(".reflect-form button.primary").tap()
        expect(page.locator(".flash").first).to_have_text(words["saved"])
        expect(box).to_have_value("Gewoon op, ook na een goede nacht.")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / f"reflect-{label}.png", full_page=True)
        # "Vasthouden": the person's own list, and the early signs as "my signals" on the week.
        page.goto("/phase")
        page.locator('input[name="phase"][value="holding"]').check()
        page.locator("form[action='/phase'] button.primary").tap()
        page.locator("#f-watch_list").fill("Ik sla mijn wandeling over\nIk zeg overal ja op")
        page.locator("#watch button").tap()
        expect(page).to_have_url(re.compile(r"/phase#watch$"))
        page.goto("/week")
        expect(card.locator(".signals li")).to_have_count(4)
        expect(card.locator(".watch-items li")).to_have_count(2)
        assert_axe_clean(page)
        card.screenshot(path=screenshot_dir / f"week-holding-{label}.png")
        with server.app.app_context():
            (row,) = db.session.scalars(
                select(ReflectAnswer)
                .join(User, User.id == ReflectAnswer.user_id)
                .where(User.email == email)
            )
            assert (row.question, row.shared_with_coach) == ("empty_body", True)
    finally:
        context.close()
