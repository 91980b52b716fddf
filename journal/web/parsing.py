"""Reading what a request sends: whole numbers, days, moments and text a view can rely on.

Each helper answers None (or False) for anything it cannot vouch for, and the view says so in
the person's language, or answers 404 for an address. Why not the built-ins (issue 17, where
each of these answered 500):

- ``str.isdigit()`` is true for '²' and other digits that ``int()`` refuses; ``int()`` itself
  refuses 4,301 digits or more; and an id past 2**31 - 1 overflows PostgreSQL's integer column
  (and SQLite's driver past 2**63 - 1). So: ASCII digits only, few of them, within bounds.
- ``date.fromisoformat`` takes year 1 and year 9999, and the days around such a date (a week's
  window of earlier weeks, a history page's four weeks) leave the calendar. So: days between
  EARLIEST and LATEST, which no diary can lie outside of.
- A NUL cannot be stored in a PostgreSQL text column, and a lone surrogate (which JSON can
  carry as ``"\\ud800"``) cannot be encoded as UTF-8 at all (`journal.domain.raw.storable`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import Final

from flask_babel import lazy_gettext as _l

from journal.domain.raw import storable

__all__ = [
    "EARLIEST",
    "LATEST",
    "ROW_ID_MAX",
    "UNSTORABLE",
    "day",
    "in_range",
    "moment",
    "one_line",
    "one_of",
    "row_id",
    "storable",
    "whole_number",
]

# The largest id of an Integer primary key (PostgreSQL's int4); a route converter uses it too.
ROW_ID_MAX: Final = 2**31 - 1
EARLIEST: Final = date(2000, 1, 1)
LATEST: Final = date(2100, 12, 31)
UNSTORABLE: Final = _l("This text holds a character that cannot be stored.")

_DIGITS: Final = re.compile(r"[0-9]{1,12}")
_DAY: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MOMENT_MAX_CHARS: Final = 40  # "2026-03-10T07:30:00.000000+01:00" and then some


def whole_number(text: str | None, low: int, high: int) -> int | None:
    """A whole number written in ASCII digits (no sign, no spaces) from low to high."""
    if text is None or not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def one_of(text: str | None, choices: Collection[int]) -> int | None:
    """One of the offered whole numbers (a radio button's value)."""
    if not choices:
        return None
    number = whole_number(text, min(choices), max(choices))
    return number if number in choices else None


def row_id(text: str | None) -> int | None:
    """The id of a row, as a form's checkbox sends it."""
    return whole_number(text, 1, ROW_ID_MAX)


def in_range(value: date) -> bool:
    return EARLIEST <= value <= LATEST


def day(text: str | None) -> date | None:
    """A day written YYYY-MM-DD, from EARLIEST to LATEST."""
    if text is None or not _DAY.fullmatch(text):
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:  # 2026-02-30
        return None
    return value if in_range(value) else None


def moment(text: str | None) -> datetime | None:
    """An ISO 8601 moment within the range of `day`; one without an offset is read as UTC.

    Its UTC date lies in range, so converting it to any time zone stays within the calendar.
    """
    if text is None or len(text) > MOMENT_MAX_CHARS or not text.isascii():
        return None
    try:
        value = datetime.fromisoformat(text)
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value if in_range(value.astimezone(UTC).date()) else None
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 pushed over the edge
        return None


def one_line(text: str) -> bool:
    """Storable and without control characters: a name, an e-mail address, a path."""
    return storable(text) and not any(unicodedata.category(ch) == "Cc" for ch in text)
