"""Which language a page is in, and the switch between Dutch and English."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import format_date, get_locale
from flask_login import current_user

LANGUAGES = ("nl", "en")


def select_locale() -> str:
    """The person's saved choice, then this browser's choice, then their browser, then Dutch."""
    if current_user and current_user.is_authenticated:
        return str(current_user.language)
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return str(chosen)
    best = request.accept_languages.best_match(LANGUAGES) if request else None
    return best or str(current_app.config["BABEL_DEFAULT_LOCALE"])


def template_helpers() -> dict[str, object]:
    return {"get_locale": get_locale, "format_date": format_date}
