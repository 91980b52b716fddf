"""The first week in a real browser on a phone (390×844), in Dutch and English (issue 19):
register, the three welcome screens, on to the check-in; the welcome again from the account
page and skipped; home with the links to sharing and reminders and the install hint; a new
share link copied with one tap; and an expired form that gives back what was typed.

Screenshots land in <--output>/screenshots/welcome-*.png.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from journal.extensions import db
from journal.models import User
from tests.e2e.helpers import LiveServer, assert_axe_clean, log_in, register, seed_person

pytestmark = pytest.mark.e2e

PASSWORD = "een rustige ochtend"
BROWSER_LOCALES = {"nl": "nl-NL", "en": "en-GB"}
WORDS = {
    "nl": {
        "screens": [
            "Elke ochtend een korte check-in",
            "Je Herstelscore en wat voor jou normaal is",
            "Privé, en delen als jij dat wilt",
        ],
        "next": "Volgende",
        "skip": "Overslaan",
        "finish": "Naar de check-in",
        "again": "Uitleg opnieuw bekijken",
        "share": "Delen met je coach",
        "reminders": "Herinneringen",
        "install": "Zet Hersteldagboek op je beginscherm",
        "not_now": "Nu niet",
        "copy": "Kopieer de link",
        "copied": "Gekopieerd",
        "make": "Link maken",
    },
    "en": {
        "screens": [
            "A short check-in each morning",
            "Your Recovery score and your normal",
            "Private, and shared on your terms",
        ],
        "next": "Next",
        "skip": "Skip",
        "finish": "To the check-in",
        "again": "See the introduction again",
        "share": "Share with your coach",
        "reminders": "Reminders",
        "install": "Put Recovery journal on your home screen",
        "not_now": "Not now",
        "copy": "Copy link",
        "copied": "Copied",
        "make": "Make the link",
    },
}
# What Chromium's own event carries, for a browser that will not fire it headless.
OFFER_TO_INSTALL = """() => {
  const event = new Event("beforeinstallprompt", {cancelable: true});
  event.prompt = () => { window.installPrompted = true; };
  event.userChoice = Promise.resolve({outcome: "dismissed"});
  window.dispatchEvent(event);
}"""


@contextmanager
def phone(browser: Browser, context_args: dict[str, Any], language: str) -> Iterator[Page]:
    context = browser.new_context(**{**context_args, "locale": BROWSER_LOCALES[language]})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        yield context.new_page()
    finally:
        context.close()


def fits(page: Page) -> None:
    """No sideways scrolling, and the way on is on the first screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator(".welcome-actions").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box


def welcomed(live_server: LiveServer, email: str) -> bool:
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return user is not None and user.welcomed_at is not None


@pytest.mark.parametrize("language", ["nl", "en"])
def test_register_welcome_check_in_and_the_welcome_again(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: LiveServer,
    screenshot_dir: Path,
    language: str,
) -> None:
    words = WORDS[language]
    email = f"welcome-{language}-{uuid.uuid4().hex[:8]}@example.org"
    with phone(browser, browser_context_args, language) as page:
        register(page, email, PASSWORD, skip_welcome=False)
        for number, heading in enumerate(words["screens"], start=1):
            expect(page.locator("h1")).to_have_text(heading)
            page.screenshot(
                path=screenshot_dir / f"welcome-{number}-{language}.png", full_page=True
            )
            fits(page)
            assert_axe_clean(page)
            if number < 3:
                page.get_by_role("link", name=words["next"], exact=True).tap()
        page.emulate_media(color_scheme="dark")
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / f"welcome-3-dark-{language}.png", full_page=True)
        page.emulate_media(color_scheme="light")
        assert not welcomed(live_server, email)
        page.get_by_role("button", name=words["finish"]).tap()
        expect(page).to_have_url(f"{live_server.url}/checkin")
        assert welcomed(live_server, email)

        # Again from the account page, and skipped this time: home.
        page.goto("/account")
        page.get_by_role("link", name=words["again"]).tap()
        expect(page.locator("h1")).to_have_text(words["screens"][0])
        page.get_by_role("button", name=words["skip"]).tap()
        expect(page).to_have_url(f"{live_server.url}/")

        # Home: sharing and reminders at hand; the install hint once the browser offers it.
        links = page.locator("nav.home-links")
        expect(links.get_by_role("link", name=words["share"])).to_be_visible()
        expect(links.get_by_role("link", name=words["reminders"])).to_be_visible()
        hint = page.locator("aside.install-hint")
        expect(hint).to_be_hidden()
        page.evaluate(OFFER_TO_INSTALL)
        expect(hint).to_contain_text(words["install"])
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / f"welcome-home-{language}.png", full_page=True)
        hint.get_by_role("button").first.tap()  # "Install" opens the browser's own prompt
        assert page.evaluate("window.installPrompted") is True
        hint.get_by_role("button", name=words["not_now"]).tap()
        expect(hint).to_be_hidden()
        page.reload()
        page.evaluate(OFFER_TO_INSTALL)
        expect(hint).to_be_hidden()  # dismissed on this device

        # A new share link: copied with one tap.
        page.get_by_role("link", name=words["share"]).tap()
        page.locator("#f-label").fill("Coach")
        page.get_by_role("button", name=words["make"]).tap()
        page.get_by_role("button", name=words["copy"]).tap()
        expect(page.locator("[data-share-status]")).to_have_text(words["copied"])
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator("#f-link").input_value()
        assert_axe_clean(page)
        page.locator("section.share-new").screenshot(
            path=screenshot_dir / f"welcome-share-copied-{language}.png"
        )


def test_an_expired_form_goes_back_to_what_was_typed(
    page: Page, live_server: LiveServer, screenshot_dir: Path
) -> None:
    """The token runs out while the person types (here: the form's token is spoiled): the
    page says so, shows the words, and "Ga terug" returns to the form with them still in it."""
    email = f"expired-{uuid.uuid4().hex[:8]}@example.org"
    seed_person(live_server, email, PASSWORD, [])
    page.goto("/login")
    log_in(page, email, PASSWORD)
    page.goto("/share")
    page.locator("#f-label").fill("Mijn coach Anna")
    page.evaluate(
        "document.querySelector('form[action=\"/share\"] [name=csrf_token]').value = 'expired'"
    )
    page.get_by_role("button", name="Link maken").tap()
    expect(page.locator("h1")).to_have_text("Deze pagina stond te lang open")
    expect(page.locator("#typed")).to_have_value("Mijn coach Anna")
    assert_axe_clean(page)
    page.screenshot(path=screenshot_dir / "welcome-expired-form-nl.png", full_page=True)
    page.get_by_role("link", name="Ga terug").tap()
    expect(page).to_have_url(f"{live_server.url}/share")
    expect(page.locator("#f-label")).to_have_value("Mijn coach Anna")
