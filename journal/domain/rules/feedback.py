"""DOMAIN C.10–C.11: the flags about the diary's course rather than a strain.

IMPROVING gives positive feedback when this week beats the one before; CHECKIN_GAP notices a
week with few check-ins, so the person is welcomed back and the coach sees the count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from fractions import Fraction

from journal.domain.checkin import CheckIn
from journal.domain.metrics import rest_day, ri_times_3
from journal.domain.rules.diary import Diary, active_if, count, days
from journal.domain.rules.model import Flag, FlagResult, Level, Reason, State
from journal.domain.rules.parameters import (
    GAP_FROM_DAYS,
    GAP_MAX_RECORDS,
    IMPROVE_MIN_OTHER,
    IMPROVE_RECHARGED_FROM,
    IMPROVE_RECHARGING_DAYS,
    IMPROVE_REFRESHED,
    IMPROVE_RI,
    IMPROVE_TENSION,
    MIN_VALID_7,
)

# --- C.10 IMPROVING --------------------------------------------------------------------------


def improving(diary: Diary, day: date) -> FlagResult:
    """Positive feedback when this week beats the week before: mornings clearly more recovered
    (enough on its own), or at least two of less bedtime tension, rest that recharges more
    often, sleep that refreshes more. May be active alongside concern flags."""
    w7 = diary.valid_in(day, 7)
    p7 = diary.valid_in(day - days(7), 7)
    if diary.warming_up(day) or len(w7) < MIN_VALID_7 or len(p7) < MIN_VALID_7:
        return FlagResult(Flag.IMPROVING, State.INSUFFICIENT, None, (), {}, {})

    def mean(records: Sequence[CheckIn], value: Callable[[CheckIn], int]) -> Fraction:
        return Fraction(sum(value(r) for r in records), len(records))

    def recharged(records: Sequence[CheckIn]) -> int:
        return count(
            records,
            lambda r: (
                rest_day(r)
                and r.rest_recharged is not None
                and r.rest_recharged >= IMPROVE_RECHARGED_FROM
            ),
        )

    c7, cp = recharged(w7), recharged(p7)
    holds = {
        Reason.RECOVERY_UP: (mean(w7, ri_times_3) - mean(p7, ri_times_3)) / 3 >= IMPROVE_RI,
        Reason.TENSION_DOWN: mean(p7, lambda r: r.bedtime_tension)
        - mean(w7, lambda r: r.bedtime_tension)
        >= IMPROVE_TENSION,
        Reason.REST_RECHARGING: c7 >= IMPROVE_RECHARGING_DAYS and c7 > cp,
        Reason.SLEEP_REFRESHING: mean(w7, lambda r: r.refreshed) - mean(p7, lambda r: r.refreshed)
        >= IMPROVE_REFRESHED,
    }
    reasons = tuple(reason for reason, held in holds.items() if held)
    active = holds[Reason.RECOVERY_UP] or len(reasons) >= IMPROVE_MIN_OTHER
    return FlagResult(
        Flag.IMPROVING,
        active_if(active),
        Level.POSITIVE if active else None,
        reasons if active else (),
        {},
        {},
    )


# --- C.11 CHECKIN_GAP ------------------------------------------------------------------------


def checkin_gap(diary: Diary, day: date) -> FlagResult:
    """From the 14th calendar day on, a week with at most three check-ins (illness-tagged ones
    count). Info; the user gets a welcome back, the coach the count. Between warm-up and day 14
    it is simply inactive: there is no second warm-up."""
    if diary.warming_up(day):
        return FlagResult(Flag.CHECKIN_GAP, State.INSUFFICIENT, None, (), {}, {})
    n = len(diary.all_in(day, 7))
    assert diary.first is not None  # warming_up is true without records
    active = (day - diary.first).days >= GAP_FROM_DAYS and n <= GAP_MAX_RECORDS
    return FlagResult(
        Flag.CHECKIN_GAP, active_if(active), Level.INFO if active else None, (), {}, {"n": n}
    )
