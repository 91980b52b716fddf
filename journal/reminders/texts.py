"""The words of a reminder, by the text ids of journal.domain.schedule.TEXT_IDS.

Warm and short, never guilt, never a number, a note or a pattern: a reminder may be read by
anyone who glances at the person's lock screen or inbox. Lazy strings, so each is rendered
in the language of the person it goes to (see `flask_babel.force_locale`).
"""

from __future__ import annotations

from typing import Final

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from journal.domain.schedule import TEXT_IDS

TEXTS: Final[dict[str, tuple[LazyString, LazyString]]] = {
    "ready": (
        _l("Your check-in is ready"),
        _l("Whenever it suits you: a minute for last night and yesterday."),
    ),
    "moment": (
        _l("A moment for yourself?"),
        _l("Your journal is here for you. Take it at your own pace."),
    ),
    "pace": (
        _l("At your own pace"),
        _l("A short check-in helps you see your own patterns. Only if it suits you today."),
    ),
    "minute": (
        _l("One minute for you"),
        _l("How was last night? Your journal would like to hear it."),
    ),
    "welcome": (
        _l("Good to see you"),
        _l("Your daily check-in is open. Skipping a day is fine too."),
    ),
}


def title_and_body(text_id: str) -> tuple[str, str]:
    """The text in the current locale; an unknown id gets the first text."""
    title, body = TEXTS.get(text_id, TEXTS[TEXT_IDS[0]])
    return str(title), str(body)
