"""A coach's account and second factor in a real browser on a phone (390×844), Dutch in light
mode and English in dark mode (issue 20): register as a coach, set up the authenticator app
from the key on the page (pyotp plays the app), save the recovery codes, log out, and log in
with the password and a code, after a wrong one.

Screenshots land in <--output>/screenshots/coach-*.png.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import LiveServer, assert_axe_clean

pytestmark = pytest.mark.e2e

PASSWORD = "een lang coachwachtwoord"
BROWSER_LOCALES = {"nl": "nl-NL", "en": "en-GB"}
WORDS = {
    "nl": {
        "register": "Coachaccount maken",
        "title": "Tweestapsverificatie",
        "turn_on": "Aanzetten",
        "codes": "Je herstelcodes",
        "download": "Downloaden als tekstbestand",
        "step": "Nog één stap",
        "log_in": "Inloggen",
        "wrong": "Die code werkt niet",
        "on": "Tweestapsverificatie staat aan.",
    },
    "en": {
        "register": "Create a coach account",
        "title": "Two-step verification",
        "turn_on": "Turn on",
        "codes": "Your recovery codes",
        "download": "Download as a text file",
        "step": "One more step",
        "log_in": "Log in",
        "wrong": "That code does not work",
        "on": "Two-step verification is on.",
    },
}


def _shot(page: Page, folder: Path, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    page.screenshot(path=folder / f"coach-{name}.png", full_page=True)


@pytest.mark.parametrize(("language", "scheme"), [("nl", "light"), ("en", "dark")])
def test_a_coach_registers_sets_up_the_factor_and_logs_in_with_a_code(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: LiveServer,
    screenshot_dir: Path,
    language: str,
    scheme: Literal["light", "dark"],
) -> None:
    words = WORDS[language]
    email = f"coach-{language}-{uuid.uuid4().hex[:8]}@example.org"
    now = live_server.app.config["FIXED_NOW"]
    context = browser.new_context(
        **{**browser_context_args, "locale": BROWSER_LOCALES[language], "color_scheme": scheme}
    )
    try:
        page = context.new_page()
        page.goto("/coach/register")
        expect(page.locator("h1")).to_have_text(words["register"])
        page.locator("#f-display_name").fill("Marieke de Vries")
        page.locator("#f-practice").fill("Praktijk Herstel")
        page.locator("#f-email").fill(email)
        page.locator("#f-password").fill(PASSWORD)
        assert_axe_clean(page)
        _shot(page, screenshot_dir, f"register-{language}")
        page.locator("form.card button.primary").tap()

        # Sent straight to the set-up, signed in.
        expect(page).to_have_url(re.compile(r"/coach/security$"))
        expect(page.locator("h1")).to_have_text(words["title"])
        expect(page.locator("svg.qr")).to_be_visible()
        secret = page.locator("[data-secret]").inner_text().replace(" ", "")
        assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
        code_field = page.locator("#f-code")
        assert code_field.get_attribute("inputmode") == "numeric"
        assert code_field.get_attribute("autocomplete") == "one-time-code"
        assert_axe_clean(page)
        _shot(page, screenshot_dir, f"security-setup-{language}-{scheme}")
        app = pyotp.TOTP(secret)
        code_field.fill(app.at(now))
        page.get_by_role("button", name=words["turn_on"]).tap()

        # The recovery codes, once, with a download.
        expect(page.locator("#h-codes")).to_have_text(words["codes"])
        codes = page.locator("ol.recovery-codes li")
        expect(codes).to_have_count(10)
        first = codes.first.inner_text()
        with page.expect_download() as download:
            page.get_by_role("button", name=words["download"]).tap()
        saved = Path(download.value.path()).read_text(encoding="utf-8")
        assert first in saved
        assert_axe_clean(page)
        _shot(page, screenshot_dir, f"recovery-codes-{language}-{scheme}")

        # Log out, and in again: the password, then the code step.
        page.locator("form.logout button").tap()
        expect(page).to_have_url(re.compile(r"/login$"))
        expect(page.locator("form.logout")).to_have_count(0)
        page.locator("#f-email").fill(email)
        page.locator("#f-password").fill(PASSWORD)
        page.locator("form.card button.primary").tap()
        expect(page).to_have_url(re.compile(r"/login/code$"))
        expect(page.locator("h1")).to_have_text(words["step"])
        page.locator("#f-code").fill("000000")
        page.get_by_role("button", name=words["log_in"]).tap()
        expect(page.locator("#err-code")).to_contain_text(words["wrong"])
        assert_axe_clean(page)
        _shot(page, screenshot_dir, f"login-code-{language}-{scheme}")
        # The next half minute's code: the one that turned the factor on is spent.
        page.locator("#f-code").fill(app.at(now + timedelta(seconds=30)))
        page.get_by_role("button", name=words["log_in"]).tap()
        expect(page).to_have_url(re.compile(r"/coach$"))  # a coach starts at the caseload
        page.goto("/coach/security")
        expect(page.locator(".factor-on")).to_have_text(words["on"])
        expect(page.locator(".coach-code")).to_have_text(re.compile(r"^[A-Z0-9]{3}-[A-Z0-9]{3}$"))
    finally:
        context.close()
