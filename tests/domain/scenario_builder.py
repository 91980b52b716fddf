"""Build diaries the way part E describes them: a default day, overridden per range of days.

Day 1 is the first record. A value may be a constant, ``alt(x, y)`` (x on odd days, y on even
days, E's "x/y"), or a function of the day number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import Any

from journal.domain.checkin import (
    DOZED_ASKED_FROM,
    CheckIn,
    ContextTag,
    Dozed,
    NightSignal,
    RestType,
    Social,
)

DAY_1 = date(2026, 3, 2)


@dataclass(frozen=True)
class Alt:
    odd: Any
    even: Any


def alt(odd: Any, even: Any) -> Alt:
    return Alt(odd, even)


Value = Any  # a constant, an Alt, or a Callable[[int], Any]


def day_date(n: int) -> date:
    return DAY_1 + timedelta(days=n - 1)


def default_day(n: int) -> CheckIn:
    """E's default day: 23:00 → 07:00, SOL 15, WASO 10, everything calm and steady."""
    return CheckIn(
        date=day_date(n),
        lights_out_time=time(23, 0),
        sol_min=15,
        waso_min=10,
        final_wake_time=None,
        out_of_bed_time=time(7, 0),
        awakenings_n=None,
        refreshed=3,
        sleep_quality=None,
        morning_energy=7,
        startup_effort=3,
        tension_now=None,
        day_load=5,
        rest_minutes=30,
        rest_types=frozenset({RestType.QUIET_ACTIVITY}),
        rest_recharged=3,
        letting_go=7,
        bedtime_tension=3,
        sleepiness_peak=4,
        dozed_unintended=None,
        social_contact=Social.MEANINGFUL,
        support_felt=3,
        walk_outside_min=30,
        movement_intensity=None,
    )


def _resolve(value: Value, n: int) -> Any:
    if isinstance(value, Alt):
        return value.odd if n % 2 else value.even
    if callable(value) and not isinstance(value, type):
        return value(n)
    return value


def _coerce(name: str, value: Any) -> Any:
    if name.endswith("_time") and isinstance(value, str):
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    if name == "context_tags":
        return frozenset(ContextTag(v) for v in value)
    if name == "night_signals":
        return frozenset(NightSignal(v) for v in value)
    if name == "rest_types":
        return frozenset(RestType(v) for v in value)
    if name == "social_contact":
        return Social(value)
    if name == "dozed_unintended" and value is not None:
        return Dozed(value)
    return value


def make_day(n: int, overrides: Mapping[str, Value]) -> CheckIn:
    """One day of a scenario, with E's conventions for the conditional fields."""
    record = default_day(n)
    changes = {name: _coerce(name, _resolve(v, n)) for name, v in overrides.items()}
    record = replace(record, **changes)
    if record.rest_minutes == 0:
        record = replace(record, rest_types=frozenset(), rest_recharged=None)
    if record.sleepiness_peak >= DOZED_ASKED_FROM and record.dozed_unintended is None:
        record = replace(record, dozed_unintended=Dozed.NONE)
    if record.sleepiness_peak < DOZED_ASKED_FROM:
        record = replace(record, dozed_unintended=None)
    return record


Segment = tuple[int, int, Mapping[str, Value]]


def build(days: int, *segments: Segment, skip: Sequence[int] = ()) -> list[CheckIn]:
    """Days 1…days; later segments override earlier ones; days in `skip` have no record."""
    records = []
    for n in range(1, days + 1):
        if n in skip:
            continue
        overrides: dict[str, Value] = {}
        for first, last, values in segments:
            if first <= n <= last:
                overrides.update(values)
        records.append(make_day(n, overrides))
    return records
