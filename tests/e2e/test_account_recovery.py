"""A way back into the account, in a real browser on a phone (390×844), in Dutch and English
(issue 19): "forgot your password" on the login page, the mail, the link, a new password and
signed in; and a new account's banner until the mailed link confirms the address.

The Dutch run reads the mail from the app's mail folder (no SMTP, as under `make run`); the
English run has the app send it to a local SMTP server (aiosmtpd) and reads it there.
Screenshots land in <--output>/screenshots/recovery-*.png.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from journal.extensions import db
from journal.models import User
from tests.e2e.helpers import LiveServer, assert_axe_clean, log_in, register, seed_person
from tests.reminders.smtp_server import smtp_server
from tests.web.recovery import link_path, mails

pytestmark = pytest.mark.e2e

PASSWORD = "mijn oude wachtwoord"
NEW_PASSWORD = "een nieuw en lang wachtwoord"
WORDS = {
    "nl": {
        "forgot": "Wachtwoord vergeten?",
        "send": "Stuur me een link",
        "sent": "Kijk in je mail",
        "choose": "Kies een nieuw wachtwoord",
        "save": "Opslaan en inloggen",
        "done": "Je hebt een nieuw wachtwoord",
        "banner": "Bevestig je e-mailadres",
        "confirmed": "Je e-mailadres is bevestigd",
    },
    "en": {
        "forgot": "Forgot your password?",
        "send": "Send me a link",
        "sent": "Check your mail",
        "choose": "Choose a new password",
        "save": "Save and log in",
        "done": "You have a new password",
        "banner": "Confirm your e-mail address",
        "confirmed": "Your e-mail address is confirmed",
    },
}
BROWSER_LOCALES = {"nl": "nl-NL", "en": "en-GB"}


@contextmanager
def phone(browser: Browser, context_args: dict[str, Any], language: str) -> Iterator[Page]:
    """A page in a new phone browser whose language is `language`."""
    context = browser.new_context(**{**context_args, "locale": BROWSER_LOCALES[language]})
    try:
        yield context.new_page()
    finally:
        context.close()


@contextmanager
def mailbox(live_server: LiveServer, language: str) -> Iterator[Callable[[str, str], EmailMessage]]:
    """A function that waits for the mail to an address with a link of a kind: from the mail
    folder (nl) or from a local SMTP server the app is pointed at for this test (en)."""
    if language == "nl":
        yield lambda to, prefix: _wait(lambda: mails(live_server.app), to, prefix)
        return
    options = live_server.app.config["JOURNAL"]
    before = {name: options[name] for name in ("SMTP_HOST", "SMTP_PORT", "SMTP_STARTTLS")}
    with smtp_server() as inbox:
        options.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, SMTP_STARTTLS=False)
        try:
            yield lambda to, prefix: _wait(lambda: inbox.messages, to, prefix)
        finally:
            options.update(before)


def _wait(found: Callable[[], list[EmailMessage]], to: str, prefix: str) -> EmailMessage:
    """The mail leaves after the page has been answered: give it a moment (a busy machine
    running the suite on every core once needed more than ten seconds)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for message in found():
            if message["To"] == to and prefix in message.get_body(("plain",)).get_content():  # type: ignore[union-attr]
                return message
        time.sleep(0.05)
    raise AssertionError(f"no mail to {to} with {prefix}")


def _set_language(live_server: LiveServer, email: str, language: str) -> None:
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None
        user.language = language
        db.session.commit()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_forgot_password_mail_link_new_password_signed_in(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: LiveServer,
    screenshot_dir: Path,
    language: str,
) -> None:
    words = WORDS[language]
    email = f"recovery-{language}-{uuid.uuid4().hex[:8]}@example.org"
    seed_person(live_server, email, PASSWORD, [])
    _set_language(live_server, email, language)
    # Signed in on another device beforehand: the reset ends that session too.
    with phone(browser, browser_context_args, language) as elsewhere, phone(
        browser, browser_context_args, language
    ) as page:
        elsewhere.goto("/login")
        log_in(elsewhere, email, PASSWORD)
        with mailbox(live_server, language) as wait_for_mail:
            page.goto("/login")
            page.get_by_role("link", name=words["forgot"]).tap()
            expect(page.locator("h1")).to_have_text(words["forgot"])
            page.locator("#f-email").fill(email)
            assert_axe_clean(page)
            page.screenshot(path=screenshot_dir / f"recovery-forgot-{language}.png", full_page=True)
            page.get_by_role("button", name=words["send"]).tap()
            expect(page.locator("h1")).to_have_text(words["sent"])
            assert_axe_clean(page)
            page.screenshot(path=screenshot_dir / f"recovery-sent-{language}.png", full_page=True)
            message = wait_for_mail(email, "/password/reset/")
        assert message["Content-Language"] == language

        page.goto(link_path(message, "/password/reset/"))
        expect(page.locator("h1")).to_have_text(words["choose"])
        page.locator("#f-password").fill(NEW_PASSWORD)
        assert_axe_clean(page)
        page.screenshot(path=screenshot_dir / f"recovery-reset-{language}.png", full_page=True)
        page.get_by_role("button", name=words["save"]).tap()
        expect(page.locator("header nav")).to_be_visible()  # signed in, on the home page
        expect(page.locator(".flash").first).to_contain_text(words["done"])
        page.screenshot(path=screenshot_dir / f"recovery-done-{language}.png", full_page=True)
        assert_no_sideways_scroll(page)
        elsewhere.goto("/history")
        expect(elsewhere).to_have_url(re.compile(r"/login"))  # the old session has ended
        expect(elsewhere.locator("header nav")).to_have_count(0)

    # The new password works from another browser.
    with phone(browser, browser_context_args, language) as again:
        again.goto("/login")
        log_in(again, email, NEW_PASSWORD)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_new_account_confirms_its_address(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: LiveServer,
    screenshot_dir: Path,
    language: str,
) -> None:
    words = WORDS[language]
    email = f"confirm-{language}-{uuid.uuid4().hex[:8]}@example.org"
    with phone(browser, browser_context_args, language) as page:
        with mailbox(live_server, language) as wait_for_mail:
            register(page, email, PASSWORD)
            banner = page.locator("aside.verify-email")
            expect(banner).to_contain_text(words["banner"])
            expect(banner).to_contain_text(email)
            assert_axe_clean(page)
            assert_no_sideways_scroll(page)
            page.screenshot(path=screenshot_dir / f"recovery-banner-{language}.png", full_page=True)
            message = wait_for_mail(email, "/email/verify/")
        page.goto(link_path(message, "/email/verify/"))
        expect(page.locator(".flash").first).to_contain_text(words["confirmed"])
        expect(page.locator("aside.verify-email")).to_have_count(0)
        page.screenshot(path=screenshot_dir / f"recovery-confirmed-{language}.png", full_page=True)


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
