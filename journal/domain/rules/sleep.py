"""DOMAIN C.4 SLEEP_DISRUPTED: disturbed, inefficient or short sleep over the week.

The state without history is memoised on the Diary, because SIGNPOST_DOCTOR reads it on four
weekly dates.
"""

from __future__ import annotations

from datetime import date

from journal.domain.metrics import disturbed_night, sleep_efficiency, total_sleep_time
from journal.domain.rules.diary import Core, Diary, active_if, count, days, gate
from journal.domain.rules.model import Flag, FlagResult, Level, Reason, State
from journal.domain.rules.parameters import SD_DISTURBED_NIGHTS, SE_LOW, TST_SHORT


def sleep(diary: Diary, day: date) -> Core:
    return diary.memo("sleep", None, day, lambda: _compute_sleep(diary, day))


def _compute_sleep(diary: Diary, day: date) -> Core:
    if not gate(diary, day):
        return Core(State.INSUFFICIENT)
    w7 = diary.valid_in(day, 7)
    disturbed = count(w7, disturbed_night)
    holds = {
        Reason.DISTURBED_NIGHTS: disturbed >= SD_DISTURBED_NIGHTS,
        Reason.LOW_EFFICIENCY: sum(sleep_efficiency(r) for r in w7) < SE_LOW * len(w7),
        Reason.SHORT_SLEEP: sum(total_sleep_time(r) for r in w7) < TST_SHORT * len(w7),
    }
    reasons = tuple(reason for reason, held in holds.items() if held)
    return Core(active_if(bool(reasons)), reasons, {"n": disturbed, "nights": len(w7)})


def sleep_disrupted(diary: Diary, day: date) -> FlagResult:
    """Three or more disturbed nights in the week (Lichstein's frequency), or a mean sleep
    efficiency below 85 %, or a mean sleep time under 6 hours. Notice; attention when it was
    already active a week before."""
    core = sleep(diary, day)
    level = None
    if core.state is State.ACTIVE:
        before = sleep(diary, day - days(7))
        level = Level.ATTENTION if before.state is State.ACTIVE else Level.NOTICE
    return FlagResult(
        Flag.SLEEP_DISRUPTED,
        core.state,
        level,
        core.reasons if level is not None else (),
        {},
        core.numbers or {},
    )
