"""Which language a page is in, and the switch between Dutch and English."""

from __future__ import annotations

from babel import Locale
from flask import current_app, request, session
from flask_babel import format_date, get_locale
from flask_login import current_user

LANGUAGES = ("nl", "en")
# Parsed once: given a code, Flask-Babel parses it again on every request, and Locale.parse
# looks for the locale's data file on disk each time.
_LOCALES = {code: Locale.parse(code) for code in LANGUAGES}


def select_locale() -> str:
    """The person's saved choice, then this browser's choice, then their browser, then Dutch."""
    if current_user and current_user.is_authenticated:
        return str(current_user.language)
    return browser_locale()


def browser_locale() -> str:
    """This browser's choice, then its languages, then the default; who is signed in is not asked,
    so the 500 page can use it when the database is down (journal.web.errors)."""
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return str(chosen)
    best = request.accept_languages.best_match(LANGUAGES) if request else None
    return best or str(current_app.config["BABEL_DEFAULT_LOCALE"])


def request_locale() -> Locale:
    """Flask-Babel's locale selector: select_locale's choice, as a Locale."""
    code = select_locale()
    return _LOCALES.get(code) or Locale.parse(code)


def template_helpers() -> dict[str, object]:
    return {"get_locale": get_locale, "format_date": format_date}
