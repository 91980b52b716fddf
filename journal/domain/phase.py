"""Issue 22: the person's own recovery phase, what the diary shows in it, and the phase history.

The phase is only ever the person's choice (ideally made with their coach): nothing here
assigns, advances or suggests one. What this module computes are *observations*: counts and
means from the diary the person already keeps, never targets or scores. It returns ids and
numbers; journal.web.words.phases puts them into words.

Where a definition already exists it is reused, not redefined:

- rest that recharged: a rest day (B.2, ≥ 30 min) whose rest recharged "mostly" or "fully"
  (journal.domain.metrics.rest_day and recharged, as in D.1 item 5);
- sleep that restored: `refreshed` ("did your sleep recharge you?") at the same threshold,
  RECHARGED_FROM, since both questions share the 0–4 labels of A.3;
- a day with a walk: walk_outside_min ≥ 10 (D.1 item 8, C.7); it is a *calm* walk unless the
  person said the movement was intense (A.2 asks about walking or moving calmly outdoors);
- the next morning: a record's yesterday-fields and its morning belong together (see
  journal.domain.summary.highlights), so the energy after a walk is the same record's
  morning_energy; illness mornings are left out, as in D.1 item 10;
- the early signs: the EARLY_SIGNS rule (C.3) on `today`, its state and reasons as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Final

from journal.domain.checkin import CheckIn, Intensity
from journal.domain.metrics import RECHARGED_FROM, is_valid, recharged, rest_day
from journal.domain.rules import Reason, State
from journal.domain.rules.early_signs import early_signs
from journal.domain.rules.evaluate import diary_of
from journal.domain.summary.figures import WALK_DAY_FROM


class Phase(StrEnum):
    """The four choices; stored in `phase_changes.phase`."""

    SETTLING = "settling"  # Tot rust komen
    REBUILDING = "rebuilding"  # Weer opbouwen
    HOLDING = "holding"  # Vasthouden
    UNKNOWN = "unknown"  # Weet ik nog niet (the default)


class Dynamic(StrEnum):
    """The four dynamics of seed 003, one open question each on /reflect; never a label."""

    CONTEXT = "context"  # what happens around you
    OLD_PATTERNS = "old_patterns"  # something old that is touched again
    EMPTY_BODY = "empty_body"  # a body that is simply empty
    IDENTITY = "identity"  # who you are without what you do


class Seen(StrEnum):
    """What an observation is about; the web layer has one text per id."""

    NO_RECENT_CHECKINS = "no_recent_checkins"
    REST_RECHARGED = "rest_recharged"
    SLEEP_RESTORED = "sleep_restored"
    TALK_CAN_WAIT = "talk_can_wait"
    WALK_ENERGY = "walk_energy"
    WALK_ENERGY_TOO_FEW = "walk_energy_too_few"
    INTENSE_OFTEN = "intense_often"
    EARLY_SIGNS = "early_signs"
    WATCH_LIST = "watch_list"
    CHOOSE_PHASE = "choose_phase"


RECENT_DAYS: Final = 14  # "in 6 van de laatste 14 dagen"
WALK_WINDOW_DAYS: Final = 28  # four weeks give a calm walk a fair number of mornings
WALK_MIN_MORNINGS: Final = 3  # on each side of the walk comparison, or we say there are too few
INTENSE_OFTEN_DAYS: Final = 4  # intense movement on this many of the last 14 days: "often"
SLEEP_RESTORED_FROM: Final = RECHARGED_FROM  # the same 0–4 labels as rest_recharged (A.3)
WATCH_LIST_MAX_CHARS: Final = 500  # the person's own list for "Vasthouden"
REFLECT_MAX_CHARS: Final = 1000  # one "wat speelt er?" answer
HISTORY_WEEKS: Final = 8  # the coach's timeline


@dataclass(frozen=True, slots=True)
class PhaseChange:
    """One choice the person made, on their local date. Several may fall on one day."""

    phase: Phase
    on: date


@dataclass(frozen=True, slots=True)
class Observation:
    seen: Seen
    numbers: Mapping[str, int | Fraction] = field(default_factory=dict)
    signs: tuple[Reason, ...] = ()  # EARLY_SIGNS: the signs the diary shows now
    state: State | None = None  # EARLY_SIGNS: the rule's state on `today`
    items: tuple[str, ...] = ()  # WATCH_LIST: the person's own lines


# --- The history -----------------------------------------------------------------------------


def phase_on(history: Sequence[PhaseChange], day: date) -> Phase:
    """The phase in effect at the end of `day`: the last change made on or before it (in the
    order made), or UNKNOWN before any change."""
    found = Phase.UNKNOWN
    for change in history:
        if change.on <= day:
            found = change.phase
    return found


def daily_history(history: Sequence[PhaseChange]) -> tuple[PhaseChange, ...]:
    """Every change is kept, but a day shows once: with the phase the day ended with, and only
    when that differs from the day before (choosing and un-choosing on one day is no change).
    Newest first, as the page lists it."""
    last_of_day: dict[date, Phase] = {}
    for change in sorted(history, key=lambda c: c.on):  # stable: same-day order is kept
        last_of_day[change.on] = change.phase
    shown: list[PhaseChange] = []
    before = Phase.UNKNOWN
    for day in sorted(last_of_day):
        if last_of_day[day] is not before:
            shown.append(PhaseChange(last_of_day[day], day))
        before = last_of_day[day]
    return tuple(reversed(shown))


@dataclass(frozen=True, slots=True)
class WeekPhase:
    """The coach's row: the phase a week ended with, and whether it changed within the week."""

    week_start: date
    phase: Phase
    changed: bool


def weekly_phases(
    history: Sequence[PhaseChange], week_starts: Iterable[date], today: date
) -> tuple[WeekPhase, ...]:
    """One cell per week: the phase on the week's last day (its Sunday, cut off at today), and
    whether a shown change (see daily_history) fell inside it. A week may start on any day of
    its ISO week (a shared period that begins mid-week)."""
    changes = {c.on for c in daily_history(history)}
    cells = []
    for first in week_starts:
        last = min(first + timedelta(days=6 - first.weekday()), today)
        cells.append(
            WeekPhase(
                first,
                phase_on(history, last),
                any(first <= day <= last for day in changes),
            )
        )
    return tuple(cells)


# --- The observations ------------------------------------------------------------------------


def _recent(records: Iterable[CheckIn], today: date, days: int) -> list[CheckIn]:
    first = today - timedelta(days=days - 1)
    return [r for r in records if first <= r.date <= today]


def calm_walk(record: CheckIn) -> bool:
    """A walk or calm movement outdoors of 10 minutes or more, not described as intense."""
    return (
        record.walk_outside_min >= WALK_DAY_FROM
        and record.movement_intensity is not Intensity.INTENSE
    )


def settling(records: Sequence[CheckIn], today: date) -> tuple[Observation, ...]:
    """Rest that recharged and sleep that restored in the last 14 days, then the line that
    talking things through can wait."""
    recent = _recent(records, today, RECENT_DAYS)
    if not recent:
        return (
            Observation(Seen.NO_RECENT_CHECKINS, {"days": RECENT_DAYS}),
            Observation(Seen.TALK_CAN_WAIT),
        )
    common = {"days": RECENT_DAYS, "checkins": len(recent)}
    return (
        Observation(
            Seen.REST_RECHARGED,
            {**common, "n": sum(1 for r in recent if rest_day(r) and recharged(r))},
        ),
        Observation(
            Seen.SLEEP_RESTORED,
            {**common, "n": sum(1 for r in recent if r.refreshed >= SLEEP_RESTORED_FROM)},
        ),
        Observation(Seen.TALK_CAN_WAIT),
    )


def walk_energy(records: Sequence[CheckIn], today: date) -> Observation:
    """Mean morning energy after a calm walk against the other mornings of the last four
    weeks; with fewer than WALK_MIN_MORNINGS on either side it says there are too few."""
    mornings = [r for r in _recent(records, today, WALK_WINDOW_DAYS) if is_valid(r)]
    after = [r.morning_energy for r in mornings if calm_walk(r)]
    other = [r.morning_energy for r in mornings if not calm_walk(r)]
    counts = {"n_with": len(after), "n_without": len(other), "days": WALK_WINDOW_DAYS}
    if len(after) < WALK_MIN_MORNINGS or len(other) < WALK_MIN_MORNINGS:
        return Observation(Seen.WALK_ENERGY_TOO_FEW, {**counts, "min": WALK_MIN_MORNINGS})
    return Observation(
        Seen.WALK_ENERGY,
        {
            **counts,
            "mean_with": Fraction(sum(after), len(after)),
            "mean_without": Fraction(sum(other), len(other)),
        },
    )


def rebuilding(records: Sequence[CheckIn], today: date) -> tuple[Observation, ...]:
    """Calm walks and the next morning's energy; a quiet caution when movement was intense on
    INTENSE_OFTEN_DAYS or more of the last 14 days (hard exercise can add strain)."""
    found = [walk_energy(records, today)]
    intense = sum(
        1 for r in _recent(records, today, RECENT_DAYS) if r.movement_intensity is Intensity.INTENSE
    )
    if intense >= INTENSE_OFTEN_DAYS:
        found.append(Observation(Seen.INTENSE_OFTEN, {"n": intense, "days": RECENT_DAYS}))
    return tuple(found)


def holding(
    records: Sequence[CheckIn], today: date, watch_list: Sequence[str]
) -> tuple[Observation, ...]:
    """The early signs as the person's own signals (C.3 on today: its state and the signs it
    shows), and their own list of what they will watch for."""
    result = early_signs(diary_of([r for r in records if r.date <= today]), today)
    return (
        Observation(Seen.EARLY_SIGNS, state=result.state, signs=result.reasons),
        Observation(Seen.WATCH_LIST, items=tuple(watch_list)),
    )


def watch_items(text: str) -> tuple[str, ...]:
    """The person's list, one item per non-empty line, as they wrote it."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def observations(
    phase: Phase, records: Sequence[CheckIn], today: date, watch_list: str = ""
) -> tuple[Observation, ...]:
    """What matters in `phase`, from the records up to `today`; "don't know yet" has none,
    only the way to choose."""
    match phase:
        case Phase.SETTLING:
            return settling(records, today)
        case Phase.REBUILDING:
            return rebuilding(records, today)
        case Phase.HOLDING:
            return holding(records, today, watch_items(watch_list))
        case _:
            return (Observation(Seen.CHOOSE_PHASE),)
