"""The support-network map's ids and one person on it (issue 21).

General, well-known instruments only: the convoy model's three circles of closeness and an
ecogram's kinds of support. The domain returns ids; journal/web/words/people.py says them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Final

NAME_MAX_CHARS: Final = 40
PHONE_MAX_CHARS: Final = 32
NOTE_MAX_CHARS: Final = 2000
# Enough for anyone's network, few enough that the map stays a map and a form stays a page.
MAX_PEOPLE: Final = 40


class Ring(IntEnum):
    """How close someone is; stored as the number (1 closest). An int enum: the rings are
    ordered, inner first, and the number is what the drawing counts outwards by."""

    CLOSEST = 1
    CLOSE = 2
    FURTHER = 3


INNER_RINGS: Final = frozenset({Ring.CLOSEST, Ring.CLOSE})  # offered at "met wie?"


class HelpKind(StrEnum):
    """What someone helps with (several allowed), in this order everywhere."""

    PRACTICAL = "practical"
    LISTENING = "listening"
    ADVICE = "advice"
    COMPANY = "company"


class Reach(StrEnum):
    """Whether the person can reach someone when it counts."""

    OFTEN = "often"
    SOMETIMES = "sometimes"
    NOT_NOW = "not_now"


class Step(IntEnum):
    """The five screens of building the map, in order; DONE once the last one is passed."""

    WHO = 1
    RING = 2
    HELP = 3
    REACH = 4
    REFLECT = 5
    DONE = 6


class Problem(StrEnum):
    """Why a name, number or note was not taken; the web layer puts it into words."""

    NAME_EMPTY = "name_empty"
    NAME_TOO_LONG = "name_too_long"
    PHONE_INVALID = "phone_invalid"
    NOTE_TOO_LONG = "note_too_long"
    TOO_MANY = "too_many"


@dataclass(frozen=True)
class Person:
    """Someone on the map, as the person described them."""

    id: int
    name: str
    phone: str | None = None
    ring: Ring | None = None
    helps: frozenset[HelpKind] = frozenset()
    reach: Reach | None = None


def helps_from_text(text: str | None) -> frozenset[HelpKind]:
    """The stored, comma-joined kinds; unknown ones (from an older version) are skipped."""
    values = {kind.value for kind in HelpKind}
    return frozenset(HelpKind(p) for p in (text or "").split(",") if p in values)


def helps_to_text(helps: frozenset[HelpKind]) -> str:
    """Compact and in a fixed order, so the same set is always the same text."""
    return ",".join(kind.value for kind in HelpKind if kind in helps)


def check_name(text: str) -> str | Problem:
    """A name or nickname: spaces tidied, 1 to NAME_MAX_CHARS characters."""
    name = " ".join(text.split())
    if not name:
        return Problem.NAME_EMPTY
    if len(name) > NAME_MAX_CHARS:
        return Problem.NAME_TOO_LONG
    return name


# Loose on purpose: people type numbers as they know them (06-12345678, +31 6 1234 5678,
# (020) 123 45 67). Digits, spaces, dashes, dots, brackets and one leading plus.
_PHONE: Final = re.compile(r"\+?[0-9 ()./-]+")
_DIGITS_MIN: Final = 3  # 112 and 113 are numbers too; fewer digits is a typo
_DIGITS_MAX: Final = 15  # E.164's longest


def normalize_phone(text: str) -> str | Problem | None:
    """A number as a `tel:` link can dial it: an optional leading + and the digits. An empty
    field is no number (None); anything else that is not a number is a Problem."""
    raw = text.strip()
    if not raw:
        return None
    if len(raw) > PHONE_MAX_CHARS or not _PHONE.fullmatch(raw):
        return Problem.PHONE_INVALID
    digits = re.sub(r"[^0-9]", "", raw)
    if not _DIGITS_MIN <= len(digits) <= _DIGITS_MAX:
        return Problem.PHONE_INVALID
    return ("+" if raw.startswith("+") else "") + digits


def check_note(text: str) -> str | Problem:
    """A reflection note: line ends tidied, at most NOTE_MAX_CHARS characters."""
    note = text.replace("\r\n", "\n").strip()
    return Problem.NOTE_TOO_LONG if len(note) > NOTE_MAX_CHARS else note


def short_label(name: str, max_chars: int = 6, whole_chars: int = 8) -> str:
    """What the map writes in a person's bubble: a short name whole ("Oom Kees": "Oom" alone
    could be anyone's uncle), else its first word, cut to fit."""
    if len(name) <= whole_chars:
        return name
    first = name.split()[0] if name.split() else name
    return first if len(first) <= max_chars else first[: max_chars - 1] + "…"
