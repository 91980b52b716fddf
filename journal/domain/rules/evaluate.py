"""DOMAIN C.0: evaluate a diary on a date, or on every date of a range.

:func:`evaluate` only hands the Diary the records the deepest look-back can reach
(:data:`HORIZON_DAYS`), so one date costs the same after five years as after five weeks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from itertools import pairwise
from typing import Final

from journal.domain.checkin import CheckIn
from journal.domain.metrics import REFERENCE_FIRST
from journal.domain.rules.chain import rest_no_recovery
from journal.domain.rules.daily_life import (
    carrying_alone,
    little_outdoor_movement,
    no_room_to_recover,
)
from journal.domain.rules.diary import Diary
from journal.domain.rules.early_signs import early_signs
from journal.domain.rules.feedback import checkin_gap, improving
from journal.domain.rules.model import Flag, FlagResult
from journal.domain.rules.signposts import signpost_doctor, signpost_look_further
from journal.domain.rules.sleep import sleep_disrupted

# The deepest date any rule reads, counted back from D. LOOK_FURTHER reads EARLY_SIGNS on D−14,
# whose baseline needs D−14−34; the chain on D−7 tests records back to D−13, each with its own
# baseline back to D−13−34 = D−47. Everything else stays within D−27.
HORIZON_DAYS: Final = max(14 + REFERENCE_FIRST, 7 + 6 + REFERENCE_FIRST)

RULES: Final[Mapping[Flag, Callable[[Diary, date], FlagResult]]] = {
    Flag.REST_NO_RECOVERY: rest_no_recovery,
    Flag.EARLY_SIGNS: early_signs,
    Flag.SLEEP_DISRUPTED: sleep_disrupted,
    Flag.NO_ROOM_TO_RECOVER: no_room_to_recover,
    Flag.CARRYING_ALONE: carrying_alone,
    Flag.LITTLE_OUTDOOR_MOVEMENT: little_outdoor_movement,
    Flag.SIGNPOST_LOOK_FURTHER: signpost_look_further,
    Flag.SIGNPOST_DOCTOR: signpost_doctor,
    Flag.IMPROVING: improving,
    Flag.CHECKIN_GAP: checkin_gap,
}

_DAY: Final = timedelta(days=1)


def _sorted(records: Sequence[CheckIn]) -> list[CheckIn]:
    ordered = sorted(records, key=lambda r: r.date)
    for before, after in pairwise(ordered):
        if before.date == after.date:
            raise ValueError(f"two check-ins dated {after.date.isoformat()}")
    return ordered


def diary_of(records: Sequence[CheckIn]) -> Diary:
    """A Diary over all the records, in any order; refuses two records on one date."""
    ordered = _sorted(records)
    return Diary(ordered, ordered[0].date if ordered else None)


def _evaluate_on(diary: Diary, day: date) -> list[FlagResult]:
    return [rule(diary, day) for rule in RULES.values()]


def evaluate(records: Sequence[CheckIn], today: date) -> list[FlagResult]:
    """Every flag's result on `today`, in Flag order, from the diary as it stood on that date.

    Records may come in any order; records dated after `today` are ignored. Only the records
    the rules can reach (HORIZON_DAYS back) are handed on, plus the first record's date for
    the warm-up and CHECKIN_GAP, so the cost does not grow with the length of the diary.
    """
    ordered = _sorted(records)
    first = ordered[0].date if ordered else None
    dates = [r.date for r in ordered]
    lo = bisect_left(dates, today - timedelta(days=HORIZON_DAYS))
    hi = bisect_right(dates, today)
    return _evaluate_on(Diary(ordered[lo:hi], first), today)


def evaluate_range(
    records: Sequence[CheckIn], first: date, last: date
) -> dict[date, list[FlagResult]]:
    """evaluate() for every calendar date first…last, sharing the per-date work between dates."""
    diary = diary_of(records)
    results: dict[date, list[FlagResult]] = {}
    day = first
    while day <= last:
        results[day] = _evaluate_on(diary, day)
        day += _DAY
    return results
