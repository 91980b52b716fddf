"""The check-in form: its questions by name, the sentence for each validation error, reading
the posted answers, and the words of a stored check-in.

The questions themselves are in checkin_questions.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from journal.domain.checkin import (
    INT_RANGES,
    NOTE_MAX_CHARS,
    SET_FIELDS,
    TIME_FIELDS,
    CheckIn,
    Error,
    to_raw,
)
from journal.web.checkin_questions import MORE, SECTIONS, Field, Label

# MORE and SECTIONS are re-exported: the views read the form's layout from this module.
__all__ = [
    "FIELDS",
    "MORE",
    "SECTIONS",
    "answer_labels",
    "answer_texts",
    "error_message",
    "normalise_time",
    "raw_from_form",
    "typed_texts",
]

FIELDS: Mapping[str, Field] = {f.name: f for s in SECTIONS for f in s.fields}


def answer_labels(name: str) -> dict[str, Label]:
    """The A.3 words of one question's answers, by answer id, so every page that names an
    answer uses the words the person tapped."""
    return {choice.value: choice.label for choice in FIELDS[name].choices}


def error_message(name: str, error: Error, length: int | None = None) -> Label:
    """The sentence shown under a field for a validation error id; `length` is the note's
    length, so a note that is too long says by how much."""
    if error is Error.TOO_LONG and length is not None:
        return _l(
            "Your note has %(count)s characters; %(max)s fit. Everything you wrote is still "
            "here: could you shorten it?",
            count=length,
            max=NOTE_MAX_CHARS,
        )
    if error is Error.OUT_OF_RANGE and name in INT_RANGES:
        low, high, _ = INT_RANGES[name]
        return _l("Please choose a number from %(low)s to %(high)s.", low=low, high=high)
    messages = {
        Error.REQUIRED: _l("Please answer this question."),
        Error.NOT_A_NUMBER: _l("Please enter a whole number."),
        Error.OUT_OF_RANGE: _l("This number is outside the possible range."),
        Error.NOT_A_TIME: _l("Please enter a time like 23:15."),
        Error.INVALID_CHOICE: _l("Please choose one of the options."),
        Error.TIME_IN_BED: _l(
            "Is the time right? From lights out to getting up should be between 1 and 16 hours."
        ),
        Error.EXCEEDS_TIME_IN_BED: _l(
            "Falling asleep and lying awake add up to more than your time in bed. "
            "Could you check the minutes?"
        ),
        Error.FINAL_WAKE_OUTSIDE: _l("This time should lie between lights out and getting up."),
        Error.MUST_BE_EMPTY: _l("Leave this empty when it does not apply."),
        Error.TOO_LONG: _l("Please keep this under 500 characters."),
        Error.INVALID_CHARACTERS: _l("This text holds a character that cannot be stored."),
    }
    return messages[error]


def raw_from_form(form: MultiDict[str, str]) -> dict[str, str | list[str]]:
    """The form's answers keyed by DOMAIN id.

    Minute questions send a chip and an "other" box under the same name; a typed number wins
    over a tapped chip because typing is the more deliberate act.
    """
    # One pass over what was sent: the form is parsed on every save, and most of its
    # questions arrive once or not at all.
    raw: dict[str, str | list[str]] = {name: "" for name in FIELDS}
    for name in SET_FIELDS:
        raw[name] = []
    for name, values in form.lists():
        if name not in raw:
            continue
        if name in SET_FIELDS:
            raw[name] = [v for v in values if v.strip()]
        elif name in TIME_FIELDS:
            raw[name] = normalise_time(_last_answer(values))
        else:
            raw[name] = _last_answer(values)
    return raw


# What people type for a time on a phone's number pad: 7:30, 07:30, 0730, 730, 7.30, 7u30,
# or just the hour (23). A ":00" of seconds (an old type=time input) is allowed too.
_TYPED_TIME: Final = re.compile(r"(\d{1,2})(?:\s*[:.,hHuU]\s*(\d{2})|(\d{2}))?(?::00)?")


def normalise_time(text: str) -> str:
    """A typed time as HH:MM (24 h); anything else is returned as typed, so the validation
    names it and the box keeps what the person wrote."""
    match = _TYPED_TIME.fullmatch(text.strip())
    if match is None:
        return text
    hour = int(match.group(1))
    minute = int(match.group(2) or match.group(3) or 0)
    if hour > 23 or minute > 59:
        return text
    return f"{hour:02d}:{minute:02d}"


def _last_answer(values: list[str]) -> str:
    for value in reversed(values):
        if value.strip():
            return value
    return ""


def answer_texts(checkin: CheckIn) -> dict[str, str]:
    """Each answered field as the words the person chose, for a read-only view."""
    raw = to_raw(checkin)
    return typed_texts({k: v.split(";") if k in SET_FIELDS and v else v for k, v in raw.items()})


def typed_texts(raw: Mapping[str, str | list[str]]) -> dict[str, str]:
    """Each field of answers as sent (valid or not) in the words of the form: what a person
    typed is shown back in their own terms, also when it could not be saved."""
    texts: dict[str, str] = {}
    for name, f in FIELDS.items():
        value = raw.get(name) or ""
        if not value:
            texts[name] = ""
            continue
        labels = {c.value: str(c.label) for c in f.choices}
        if isinstance(value, list):
            texts[name] = ", ".join(labels.get(v, v) for v in value)
        elif f.widget in ("choice", "multi"):
            texts[name] = labels.get(value, value)
        elif f.widget == "minutes":
            texts[name] = str(_l("%(n)s min", n=value))
        else:
            texts[name] = value
    return texts
