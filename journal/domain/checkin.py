"""The daily check-in of DOMAIN part A: the record, its vocabulary and its validation (A.5).

Pure Python: the web form, the diary CSV and the JSON API all hand raw strings to
:func:`parse_checkin` and get back either a :class:`CheckIn` or field errors as ids. The web
layer turns the ids into words in the user's language. Clock times are in
:mod:`journal.domain.times`, a raw answer's shapes in :mod:`journal.domain.raw` and the A.4
time prefill in :mod:`journal.domain.prefill`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum
from typing import Final

from journal.domain.raw import RawValue, as_items, as_text, storable
from journal.domain.times import format_time, parse_time, terminal_wake, time_in_bed


class RestType(StrEnum):
    PASSIVE = "passive"
    NAP = "nap"
    SCREEN = "screen"
    RELAXATION = "relaxation"
    QUIET_ACTIVITY = "quiet_activity"
    OUTDOORS = "outdoors"
    OTHER = "other"


class Dozed(StrEnum):
    NONE = "none"
    AT_REST = "at_rest"
    DURING_ACTIVITY = "during_activity"
    WHILE_DRIVING = "while_driving"


class Social(StrEnum):
    NONE = "none"
    BRIEF = "brief"
    MEANINGFUL = "meaningful"


class Intensity(StrEnum):
    CALM = "calm"
    MODERATE = "moderate"
    INTENSE = "intense"


class ContextTag(StrEnum):
    ILLNESS = "illness"
    ALCOHOL = "alcohol"
    LATE_CAFFEINE = "late_caffeine"
    SLEEP_MEDICATION = "sleep_medication"
    MEDICATION_CHANGE = "medication_change"
    TRAVEL_SHIFT = "travel_shift"
    PHYSICAL_COMPLAINTS = "physical_complaints"
    HEALTH_CONCERN = "health_concern"
    SPECIAL_EVENT = "special_event"


class NightSignal(StrEnum):
    BREATHING = "breathing"
    LEGS = "legs"
    DREAM_MOVEMENT = "dream_movement"
    NOTHING = "nothing"


REST_MINUTES_CHOICES: Final = (0, 15, 30, 60, 90, 120, 180)
WALK_MINUTES_CHOICES: Final = (0, 10, 20, 30, 45, 60)
NOTE_MAX_CHARS: Final = 500
TIB_MIN: Final = 60
TIB_MAX: Final = 960
DOZED_ASKED_FROM: Final = 7  # sleepiness_peak at which dozed_unintended is asked (A.5)

# The A.2 ids in table order: the CSV columns (G.1) and the form's field names.
FIELD_ORDER: Final = (
    "lights_out_time",
    "sol_min",
    "waso_min",
    "final_wake_time",
    "out_of_bed_time",
    "awakenings_n",
    "refreshed",
    "sleep_quality",
    "morning_energy",
    "startup_effort",
    "tension_now",
    "day_load",
    "rest_minutes",
    "rest_types",
    "rest_recharged",
    "letting_go",
    "bedtime_tension",
    "sleepiness_peak",
    "dozed_unintended",
    "social_contact",
    "support_felt",
    "walk_outside_min",
    "movement_intensity",
    "context_tags",
    "night_signals",
    "note",
)

TIME_FIELDS: Final = frozenset({"lights_out_time", "final_wake_time", "out_of_bed_time"})
SET_FIELDS: Final = frozenset({"rest_types", "context_tags", "night_signals"})

# Integer fields: (lowest, highest, required). Conditionals are handled in validation.
INT_RANGES: Final[Mapping[str, tuple[int, int, bool]]] = {
    "sol_min": (0, 300, True),
    "waso_min": (0, 480, True),
    "awakenings_n": (0, 20, False),
    "refreshed": (0, 4, True),
    "sleep_quality": (1, 5, False),
    "morning_energy": (0, 10, True),
    "startup_effort": (0, 10, True),
    "tension_now": (0, 10, False),
    "day_load": (0, 10, True),
    "rest_recharged": (0, 4, False),
    "letting_go": (0, 10, True),
    "bedtime_tension": (0, 10, True),
    "sleepiness_peak": (1, 9, True),
    "support_felt": (0, 4, False),
}
CHOICE_INTS: Final[Mapping[str, tuple[int, ...]]] = {
    "rest_minutes": REST_MINUTES_CHOICES,
    "walk_outside_min": WALK_MINUTES_CHOICES,
}
ENUMS: Final[Mapping[str, type[StrEnum]]] = {
    "dozed_unintended": Dozed,
    "social_contact": Social,
    "movement_intensity": Intensity,
}
SET_ENUMS: Final[Mapping[str, type[StrEnum]]] = {
    "rest_types": RestType,
    "context_tags": ContextTag,
    "night_signals": NightSignal,
}
# Each set's values in A.3 order, so stored text is stable whatever order the answers came in.
_SET_ORDER: Final[Mapping[str, tuple[str, ...]]] = {
    name: tuple(member.value for member in enum) for name, enum in SET_ENUMS.items()
}
REQUIRED_FIELDS: Final = frozenset(
    {"lights_out_time", "out_of_bed_time", "social_contact", *CHOICE_INTS}
    | {name for name, (_, _, required) in INT_RANGES.items() if required}
)


class Error(StrEnum):
    """Why a field was refused; the web layer words each one for the user."""

    REQUIRED = "required"
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"
    NOT_A_TIME = "not_a_time"
    INVALID_CHOICE = "invalid_choice"
    TIME_IN_BED = "time_in_bed"  # A.5: "Klopt de tijd?"
    EXCEEDS_TIME_IN_BED = "exceeds_time_in_bed"
    FINAL_WAKE_OUTSIDE = "final_wake_outside"
    MUST_BE_EMPTY = "must_be_empty"
    TOO_LONG = "too_long"
    INVALID_CHARACTERS = "invalid_characters"


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One morning's entry; `date` is the local date of that morning (A.1)."""

    date: date
    lights_out_time: time
    sol_min: int
    waso_min: int
    final_wake_time: time | None
    out_of_bed_time: time
    awakenings_n: int | None
    refreshed: int
    sleep_quality: int | None
    morning_energy: int
    startup_effort: int
    tension_now: int | None
    day_load: int
    rest_minutes: int
    rest_types: frozenset[RestType]
    rest_recharged: int | None
    letting_go: int
    bedtime_tension: int
    sleepiness_peak: int
    dozed_unintended: Dozed | None
    social_contact: Social
    support_felt: int | None
    walk_outside_min: int
    movement_intensity: Intensity | None
    context_tags: frozenset[ContextTag] = field(default_factory=frozenset)
    night_signals: frozenset[NightSignal] = field(default_factory=frozenset)
    note: str | None = None
    backfilled: bool = False

    @property
    def time_in_bed(self) -> int:
        return time_in_bed(self.lights_out_time, self.out_of_bed_time)

    @property
    def terminal_wake(self) -> int:
        return terminal_wake(self.final_wake_time, self.out_of_bed_time)


_INT_RE: Final = re.compile(r"^[+-]?\d{1,6}$")


@dataclass(frozen=True, slots=True)
class ParseResult:
    checkin: CheckIn | None
    errors: Mapping[str, Error]

    @property
    def ok(self) -> bool:
        return self.checkin is not None


def parse_checkin(
    raw: Mapping[str, RawValue],
    *,
    on: date,
    backfilled: bool = False,
    strict: bool = True,
) -> ParseResult:
    """Check raw answers against A.2 and A.5 and build the record, or say what is wrong.

    `strict` is for stored data (CSV import, API): a conditional answer given where it does
    not apply is an error (C.14.14). The form passes `strict=False`: there a hidden
    conditional answer that no longer applies is quietly dropped, because the person never
    saw it once it was hidden.
    """
    errors: dict[str, Error] = {}
    values: dict[str, object] = {}

    for name in TIME_FIELDS:
        text = as_text(raw.get(name))
        if not text:
            values[name] = None
            if name in REQUIRED_FIELDS:
                errors[name] = Error.REQUIRED
            continue
        parsed = parse_time(text)
        if parsed is None:
            errors[name] = Error.NOT_A_TIME
        values[name] = parsed

    for name, (low, high, required) in INT_RANGES.items():
        values[name] = _parse_int(raw.get(name), name, low, high, required, errors)

    for name, choices in CHOICE_INTS.items():
        number = _parse_int(raw.get(name), name, min(choices), max(choices), True, errors)
        if number is not None and number not in choices:
            errors[name] = Error.INVALID_CHOICE
            number = None
        values[name] = number

    for name, enum in ENUMS.items():
        text = as_text(raw.get(name))
        values[name] = None
        if not text:
            if name in REQUIRED_FIELDS:
                errors[name] = Error.REQUIRED
        elif text in enum._value2member_map_:
            # The member map, not enum(text): this runs for every save of the form.
            values[name] = enum._value2member_map_[text]
        else:
            errors[name] = Error.INVALID_CHOICE

    for name, enum in SET_ENUMS.items():
        members = enum._value2member_map_
        items = as_items(raw.get(name))
        if all(item in members for item in items):
            values[name] = frozenset(members[item] for item in items)
        else:
            errors[name] = Error.INVALID_CHOICE
            values[name] = frozenset()

    note = as_text(raw.get("note"))
    if len(note) > NOTE_MAX_CHARS:
        errors["note"] = Error.TOO_LONG
    elif not storable(note):
        # No keyboard types a NUL or a lone surrogate, but a broken client or an attacker
        # can send one; neither can be stored (see journal.domain.raw.storable).
        errors["note"] = Error.INVALID_CHARACTERS
    values["note"] = note or None

    _check_conditionals(values, errors, strict)
    _check_sleep_times(values, errors)

    if errors:
        return ParseResult(None, errors)
    return ParseResult(CheckIn(date=on, backfilled=backfilled, **values), {})  # type: ignore[arg-type]


def _parse_int(
    value: RawValue, name: str, low: int, high: int, required: bool, errors: dict[str, Error]
) -> int | None:
    text = as_text(value)
    if not text:
        if required:
            errors[name] = Error.REQUIRED
        return None
    if not _INT_RE.match(text):
        errors[name] = Error.NOT_A_NUMBER
        return None
    number = int(text)
    if not low <= number <= high:
        errors[name] = Error.OUT_OF_RANGE
        return None
    return number


def _check_conditionals(values: dict[str, object], errors: dict[str, Error], strict: bool) -> None:
    rest = values.get("rest_minutes")
    if isinstance(rest, int):
        if rest > 0:
            if not values["rest_types"] and "rest_types" not in errors:
                errors["rest_types"] = Error.REQUIRED
            if values["rest_recharged"] is None and "rest_recharged" not in errors:
                errors["rest_recharged"] = Error.REQUIRED
        else:
            _clear_inapplicable(values, errors, ("rest_types", "rest_recharged"), strict)

    sleepiness = values.get("sleepiness_peak")
    if isinstance(sleepiness, int):
        if sleepiness >= DOZED_ASKED_FROM:
            if values["dozed_unintended"] is None and "dozed_unintended" not in errors:
                errors["dozed_unintended"] = Error.REQUIRED
        else:
            _clear_inapplicable(values, errors, ("dozed_unintended",), strict)


def _clear_inapplicable(
    values: dict[str, object], errors: dict[str, Error], names: tuple[str, ...], strict: bool
) -> None:
    for name in names:
        given = values[name] not in (None, frozenset()) or name in errors
        if given and strict:
            errors[name] = Error.MUST_BE_EMPTY
        else:
            errors.pop(name, None)
            values[name] = frozenset() if name in SET_FIELDS else None


def _check_sleep_times(values: dict[str, object], errors: dict[str, Error]) -> None:
    lights_out, out_of_bed = values["lights_out_time"], values["out_of_bed_time"]
    if not isinstance(lights_out, time) or not isinstance(out_of_bed, time):
        return
    tib = time_in_bed(lights_out, out_of_bed)
    if not TIB_MIN <= tib <= TIB_MAX:
        errors["out_of_bed_time"] = Error.TIME_IN_BED
        return
    final_wake = values["final_wake_time"]
    if isinstance(final_wake, time) and time_in_bed(lights_out, final_wake) > tib:
        errors["final_wake_time"] = Error.FINAL_WAKE_OUTSIDE
        return
    sol, waso = values["sol_min"], values["waso_min"]
    if isinstance(sol, int) and isinstance(waso, int):
        wake = terminal_wake(final_wake if isinstance(final_wake, time) else None, out_of_bed)
        if sol + waso + wake > tib:
            errors["waso_min"] = Error.EXCEEDS_TIME_IN_BED


def to_raw(checkin: CheckIn) -> dict[str, str]:
    """The record as the strings a form or a CSV row would hold (sets joined by ';')."""
    raw: dict[str, str] = {}
    for name in FIELD_ORDER:
        value = getattr(checkin, name)
        if value is None:
            raw[name] = ""
        elif isinstance(value, time):
            raw[name] = format_time(value)
        elif isinstance(value, frozenset):
            raw[name] = join_set(name, value)
        else:
            raw[name] = str(value)
    return raw


def join_set(name: str, members: frozenset[StrEnum]) -> str:
    """A set answer as text: its values in A.3 order, joined by ';' ("" when empty)."""
    # A StrEnum member is equal to, and hashes as, its value.
    return ";".join(value for value in _SET_ORDER[name] if value in members)
