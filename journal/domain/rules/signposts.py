"""DOMAIN C.8–C.9: the signposts, which point beyond the diary.

SIGNPOST_LOOK_FURTHER points to the coach or another trusted professional when a pattern has
lasted; SIGNPOST_DOCTOR points to the GP on signs the diary cannot explain. Both stay pinned
until the person closes them (C.12, journal.domain.lifecycle).
"""

from __future__ import annotations

from datetime import date

from journal.domain.checkin import ContextTag, Dozed, NightSignal
from journal.domain.metrics import total_sleep_time
from journal.domain.rules.chain import chain, chain_level
from journal.domain.rules.diary import Diary, active_if, count, days
from journal.domain.rules.early_signs import early
from journal.domain.rules.model import Flag, FlagResult, Level, Reason, State
from journal.domain.rules.parameters import (
    DR_BREATHING_NIGHTS,
    DR_DISRUPTED_WEEKS,
    DR_DOZING,
    DR_LEGS_NIGHTS,
    DR_LONG_NIGHTS,
    DR_LONG_SLEEP,
    DR_LONG_UNREFRESHED,
    DR_MEDICATION_DAYS,
    DR_PHYSICAL_DAYS,
    DR_SLEEPINESS_HIGH,
    DR_SLEEPINESS_HIGH_DAYS,
    DR_SLEEPINESS_TOP,
    DR_SLEEPINESS_TOP_DAYS,
)
from journal.domain.rules.sleep import sleep

# --- C.8 SIGNPOST_LOOK_FURTHER ---------------------------------------------------------------


def signpost_look_further(diary: Diary, day: date) -> FlagResult:
    """Points to the coach or another trusted professional when the full chain has persisted
    (chain at level 3) or early signs were active today, a week ago and two weeks ago.
    When not active it is insufficient_data if neither the chain nor the early signs could be
    judged today, so the signpost never "resolves" while someone is simply not checking in."""
    reasons = []
    if chain_level(diary, day) is Level.PERSISTENT:
        reasons.append(Reason.CHAIN_PERSISTENT)
    if all(early(diary, day - days(back)).state is State.ACTIVE for back in (0, 7, 14)):
        reasons.append(Reason.EARLY_SIGNS_3W)
    if reasons and not diary.warming_up(day):
        return FlagResult(
            Flag.SIGNPOST_LOOK_FURTHER, State.ACTIVE, Level.PERSISTENT, tuple(reasons), {}, {}
        )
    unjudged = diary.warming_up(day) or (
        chain(diary, day).state is State.INSUFFICIENT
        and early(diary, day).state is State.INSUFFICIENT
    )
    state = State.INSUFFICIENT if unjudged else State.INACTIVE
    return FlagResult(Flag.SIGNPOST_LOOK_FURTHER, state, None, (), {}, {})


# --- C.9 SIGNPOST_DOCTOR ---------------------------------------------------------------------


def signpost_doctor(diary: Diary, day: date) -> FlagResult:
    """Suggests the GP on marked daytime sleepiness (unintended dozing during an activity or at
    the wheel fires the same day), signs of a sleep disorder, sleep medication or a medication
    change, or doubts about a physical cause. No warm-up and no minimum: every record counts,
    illness included, and it is never insufficient_data. Dozing at the wheel is not a reason of
    its own; it sets `while_driving` so the text adds the no-driving line."""
    w7 = diary.all_in(day, 7)
    w14 = diary.all_in(day, 14)

    dozing = [r.dozed_unintended for r in w7 if r.dozed_unintended in DR_DOZING]
    while_driving = Dozed.WHILE_DRIVING in dozing
    sleepiness = (
        bool(dozing)
        or count(w7, lambda r: r.sleepiness_peak >= DR_SLEEPINESS_TOP) >= DR_SLEEPINESS_TOP_DAYS
        or count(w7, lambda r: r.sleepiness_peak >= DR_SLEEPINESS_HIGH) >= DR_SLEEPINESS_HIGH_DAYS
    )

    breathing = count(w14, lambda r: NightSignal.BREATHING in r.night_signals)
    legs = count(w14, lambda r: NightSignal.LEGS in r.night_signals)
    long_unrefreshed = count(
        w7,
        lambda r: total_sleep_time(r) >= DR_LONG_SLEEP and r.refreshed <= DR_LONG_UNREFRESHED,
    )
    disrupted_weeks = all(
        sleep(diary, day - days(7 * week)).state is State.ACTIVE
        for week in range(DR_DISRUPTED_WEEKS)
    )
    details = {
        "breathing": breathing >= DR_BREATHING_NIGHTS,
        "legs": legs >= DR_LEGS_NIGHTS,
        "disrupted_weeks": disrupted_weeks,
        "long_unrefreshing": long_unrefreshed >= DR_LONG_NIGHTS,
    }

    medication_days = count(w7, lambda r: ContextTag.SLEEP_MEDICATION in r.context_tags)
    medication_change = any(ContextTag.MEDICATION_CHANGE in r.context_tags for r in w7)
    health_concern = any(ContextTag.HEALTH_CONCERN in r.context_tags for r in w7)
    physical_days = count(w7, lambda r: ContextTag.PHYSICAL_COMPLAINTS in r.context_tags)

    holds = {
        Reason.SLEEPINESS: sleepiness,
        Reason.SLEEP_DISORDER_SIGNS: any(details.values()),
        Reason.MEDICATION: medication_days >= DR_MEDICATION_DAYS or medication_change,
        Reason.MEDICAL: health_concern or physical_days >= DR_PHYSICAL_DAYS,
    }
    reasons = tuple(reason for reason, held in holds.items() if held)
    active = bool(reasons)
    numbers: dict[str, int | bool | str] = {
        # The most serious dozing in the week, for the {dozed_clause}; "none" when the
        # sleepiness came from the sleepiness ratings alone.
        "dozed": (
            Dozed.WHILE_DRIVING.value
            if while_driving
            else Dozed.DURING_ACTIVITY.value
            if dozing
            else Dozed.NONE.value
        ),
        "while_driving": while_driving,
        "breathing_nights": breathing,
        "legs_nights": legs,
        "long_unrefreshing_nights": long_unrefreshed,
        **{f"detail_{name}": held for name, held in details.items()},
        "n": medication_days,
        "medication_change": medication_change,
        "health_concern": health_concern,
        "physical_complaints_days": physical_days,
    }
    return FlagResult(
        Flag.SIGNPOST_DOCTOR,
        active_if(active),
        Level.DOCTOR if active else None,
        reasons,
        {},
        numbers,
    )
