"""The rule module of DOMAIN part C: which patterns a diary shows on a given date.

:func:`evaluate` is a pure function of the records and the date. It returns one
:class:`FlagResult` per :class:`Flag`, holding ids and numbers only; the web layer words them.

How it stays cheap on a long diary: the records are sorted once and windows are cut with
bisect; the per-date work every rule shares (windows, baselines, the adverse test of each
record, each flag's state without history) is memoised on a :class:`Diary`, and the look-backs
of C.14.11 read those history-free states, so no rule recurses further than D−21.
:func:`evaluate` only hands the diary the records the deepest look-back can reach
(:data:`HORIZON_DAYS`), so one date costs the same after five years as after five weeks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum, StrEnum
from fractions import Fraction
from itertools import pairwise
from typing import Any, Final, TypeVar

from journal.domain.checkin import CheckIn, ContextTag, Dozed, NightSignal, Social
from journal.domain.metrics import (
    REFERENCE_FIRST,
    REST_MIN,
    Baseline,
    Metric,
    baseline_of,
    disturbed_night,
    is_valid,
    metric_mean,
    reference_window,
    rest_day,
    rest_without_recharge,
    ri_times_3,
    scaled_value,
    sleep_efficiency,
    strained_day,
    total_sleep_time,
)

# --- C.0 parameters: every threshold of part C, in one place --------------------------------
# REST_MIN, LOAD_STRAIN, RI_STRAIN, DISTURBED_MIN, BASE_MIN_N and the reference window belong to
# the metrics they define (part B) and live in journal.domain.metrics.

MIN_VALID_7: Final = 5  # valid records needed in a 7-day window (B.4)
MIN_VALID_14: Final = 10  # valid records needed in a 14-day window (B.4)
WARM_UP_DAYS: Final = 6  # flags may fire once D − first_date ≥ this (C.0); SIGNPOST_DOCTOR always

# C.2 chain links
CHAIN_REST_DAYS: Final = 4  # R0: rest days in W7
CHAIN_STRAINED_DAYS: Final = 7  # L1: strained days in W14
CHAIN_ADVERSE_DAYS: Final = 4  # L2, L3, L4, L5: adverse mornings in W7
CHAIN_UNRECHARGED_DAYS: Final = 3  # L3, second arm: rest without recharge in W7
CHAIN_MIN_LINKS: Final = 2  # k needed besides R0 ∧ L4; level notice
CHAIN_ATTENTION_LINKS: Final = 3  # level attention from this k
CHAIN_ALL_LINKS: Final = 4  # the full chain, which can become persistent

# C.3 early signs
ES_EFFORT_MARGIN: Final = Fraction(3, 2)  # E1
ES_LETTING_GO_MARGIN: Final = Fraction(3, 2)  # E2
ES_REFRESHED_MARGIN: Final = Fraction(3, 4)  # E3
ES_LOAD_SLACK: Final = Fraction(1, 2)  # E4: load still at least B − this
ES_RI_MARGIN: Final = Fraction(10)  # E4
ES_SPREAD_SHARE: Final = Fraction(1, 2)  # margins grow to this share of S when S is large
ES_MIN_SIGNS: Final = 2
ES_ATTENTION_SIGNS: Final = 3

# C.4 sleep
SD_DISTURBED_NIGHTS: Final = 3
SE_LOW: Final = 85
TST_SHORT: Final = 360

# C.5 no room to recover
LOAD_HIGH: Final = 7
NR_HEAVY_DAYS: Final = 4
NR_SHORT_REST_DAYS: Final = 5
NR_RI_BELOW: Final = 60

# C.6 carrying alone
CA_NOT_MEANINGFUL_DAYS: Final = 5
CA_SUPPORT_FROM: Final = 3
CA_SUPPORTED_DAYS: Final = 3
CA_RI_BELOW: Final = 50

# C.7 outdoor movement
LOM_WALK_FROM: Final = 10
LOM_MAX_WALK_DAYS: Final = 1

# C.9 signpost doctor
DR_DOZING: Final = frozenset({Dozed.DURING_ACTIVITY, Dozed.WHILE_DRIVING})
DR_SLEEPINESS_TOP: Final = 9
DR_SLEEPINESS_TOP_DAYS: Final = 2
DR_SLEEPINESS_HIGH: Final = 8
DR_SLEEPINESS_HIGH_DAYS: Final = 4
DR_BREATHING_NIGHTS: Final = 2  # in W14
DR_LEGS_NIGHTS: Final = 3  # in W14
DR_LONG_SLEEP: Final = 540  # TST minutes
DR_LONG_UNREFRESHED: Final = 1  # refreshed at most this
DR_LONG_NIGHTS: Final = 4  # in W7
DR_MEDICATION_DAYS: Final = 4
DR_PHYSICAL_DAYS: Final = 4
DR_DISRUPTED_WEEKS: Final = 4  # SLEEP_DISRUPTED on D, D−7, D−14, D−21

# C.10 improving
IMPROVE_RI: Final = Fraction(8)
IMPROVE_TENSION: Final = Fraction(3, 2)
IMPROVE_REFRESHED: Final = Fraction(3, 4)
IMPROVE_RECHARGED_FROM: Final = 3
IMPROVE_RECHARGING_DAYS: Final = 3
IMPROVE_MIN_OTHER: Final = 2

# C.11 check-in gap
GAP_FROM_DAYS: Final = 13
GAP_MAX_RECORDS: Final = 3

# C.12 lifecycle (used by journal.domain.lifecycle)
RESOLVE_DAYS: Final = 3


@dataclass(frozen=True, slots=True)
class AdverseRule:
    """One row of the C.1 table, in the metric's own unit."""

    higher_is_better: bool
    absolute: int  # A: adverse whatever the baseline
    delta: int  # δ: smallest meaningful change from the baseline
    floor: int  # F: the relative arm only counts beyond this


ADVERSE: Final[Mapping[Metric, AdverseRule]] = {
    Metric.MORNING_ENERGY: AdverseRule(True, absolute=3, delta=2, floor=5),
    Metric.REFRESHED: AdverseRule(True, absolute=1, delta=1, floor=2),
    Metric.STARTUP_EFFORT: AdverseRule(False, absolute=7, delta=2, floor=5),
    Metric.LETTING_GO: AdverseRule(True, absolute=3, delta=2, floor=5),
    Metric.BEDTIME_TENSION: AdverseRule(False, absolute=7, delta=2, floor=5),
}

# The deepest date any rule reads, counted back from D. LOOK_FURTHER reads EARLY_SIGNS on D−14,
# whose baseline needs D−14−34; the chain on D−7 tests records back to D−13, each with its own
# baseline back to D−13−34 = D−47. Everything else stays within D−27.
HORIZON_DAYS: Final = max(14 + REFERENCE_FIRST, 7 + 6 + REFERENCE_FIRST)


# --- Public types --------------------------------------------------------------------------


class Flag(StrEnum):
    """The flags of C.2–C.11, in spec order."""

    REST_NO_RECOVERY = "REST_NO_RECOVERY"
    EARLY_SIGNS = "EARLY_SIGNS"
    SLEEP_DISRUPTED = "SLEEP_DISRUPTED"
    NO_ROOM_TO_RECOVER = "NO_ROOM_TO_RECOVER"
    CARRYING_ALONE = "CARRYING_ALONE"
    LITTLE_OUTDOOR_MOVEMENT = "LITTLE_OUTDOOR_MOVEMENT"
    SIGNPOST_LOOK_FURTHER = "SIGNPOST_LOOK_FURTHER"
    SIGNPOST_DOCTOR = "SIGNPOST_DOCTOR"
    IMPROVING = "IMPROVING"
    CHECKIN_GAP = "CHECKIN_GAP"


class State(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    INSUFFICIENT = "insufficient_data"


class Level(IntEnum):
    POSITIVE = -1
    INFO = 0
    NOTICE = 1
    ATTENTION = 2
    PERSISTENT = 3
    DOCTOR = 4

    @property
    def id(self) -> str:
        return self.name.lower()


LINK_IDS: Final = ("R0", "L1", "L2", "L3", "L4", "L5")

Links = Mapping[str, bool | None]
Numbers = Mapping[str, int | bool | str]


@dataclass(frozen=True)
class FlagResult:
    """One flag on one date. Not active ⇒ level None and no reasons (C.14.9)."""

    flag: Flag
    state: State
    level: Level | None
    reasons: tuple[str, ...]
    links: Links
    numbers: Numbers

    @property
    def active(self) -> bool:
        return self.state is State.ACTIVE


def result_to_json(result: FlagResult) -> dict[str, Any]:
    """The G.2 JSON object of one flag, plus its template numbers."""
    return {
        "flag": result.flag.value,
        "state": result.state.value,
        "level": None if result.level is None else result.level.id,
        "reasons": list(result.reasons),
        "links": dict(result.links),
        "numbers": dict(result.numbers),
    }


# --- C.1 --------------------------------------------------------------------------------------


def adverse(metric: Metric, value: int, base: Baseline | None) -> bool:
    """Beyond the absolute limit, or drifted from one's own normal by Δ = max(δ, S) and past the
    floor. The absolute arm catches a poor "normal", the relative arm catches drift. Inclusive
    at every bound, as in the C.1 example (baseline 7, S 1 → adverse at ≤ 5)."""
    rule = ADVERSE[metric]
    if rule.higher_is_better:
        if value <= rule.absolute:
            return True
        return (
            base is not None
            and value <= base.median - max(Fraction(rule.delta), base.spread)
            and value <= rule.floor
        )
    if value >= rule.absolute:
        return True
    return (
        base is not None
        and value >= base.median + max(Fraction(rule.delta), base.spread)
        and value >= rule.floor
    )


# --- The memoised diary -------------------------------------------------------------------------

_T = TypeVar("_T")
_DAY: Final = timedelta(days=1)


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _count(records: Iterable[CheckIn], test: Callable[[CheckIn], bool]) -> int:
    return sum(1 for r in records if test(r))


def _mean(values: Sequence[int]) -> Fraction:
    return Fraction(sum(values), len(values))


@dataclass(frozen=True, slots=True)
class _Chain:
    state: State  # without the level's look-back
    links: Mapping[str, bool | None]
    k: int
    rest_days: int
    unrecovered_days: int


@dataclass(frozen=True, slots=True)
class _Core:
    """A flag's state and reasons on one date, before any look-back at earlier dates."""

    state: State
    reasons: tuple[str, ...] = ()
    numbers: Numbers | None = None


class Diary:
    """Records sorted by date, with the per-date work every rule shares memoised.

    The flag functions below take a Diary and a date. Build one with :func:`diary_of` to ask
    several flags or dates about the same records; :func:`evaluate` builds its own.
    Records must have distinct dates.
    """

    def __init__(self, ordered: Sequence[CheckIn], first: date | None) -> None:
        self.records = ordered
        self.dates = [r.date for r in ordered]
        self.first = first
        self._memo: dict[tuple[str, object, date], object] = {}

    def memo(self, key: str, arg: object, day: date, compute: Callable[[], _T]) -> _T:
        slot = (key, arg, day)
        if slot in self._memo:
            return self._memo[slot]  # type: ignore[return-value]
        value = compute()
        self._memo[slot] = value
        return value

    def between(self, first: date, last: date) -> Sequence[CheckIn]:
        return self.records[bisect_left(self.dates, first) : bisect_right(self.dates, last)]

    def all_in(self, last: date, days: int) -> Sequence[CheckIn]:
        """Every record (illness included) in the `days`-day window ending on `last`."""
        return self.between(last - _days(days - 1), last)

    def valid_in(self, last: date, days: int) -> Sequence[CheckIn]:
        """The valid records (B.4) in the `days`-day window ending on `last`."""
        return self.memo(
            "valid", days, last, lambda: [r for r in self.all_in(last, days) if is_valid(r)]
        )

    def warming_up(self, day: date) -> bool:
        return self.first is None or (day - self.first).days < WARM_UP_DAYS

    def baseline(self, metric: Metric, day: date) -> Baseline | None:
        return self.memo(
            "baseline",
            metric,
            day,
            lambda: baseline_of(self.between(*reference_window(day)), metric),
        )

    def adverse(self, metric: Metric, record: CheckIn) -> bool:
        """C.1 for one record, judged against the baseline of the record's own date."""
        return self.memo(
            "adverse",
            metric,
            record.date,
            lambda: adverse(
                metric, scaled_value(record, metric), self.baseline(metric, record.date)
            ),
        )

    def unrecovered(self, record: CheckIn) -> bool:
        """The L4 morning: sleep did not recharge and/or energy stayed low; counted once."""
        return self.adverse(Metric.REFRESHED, record) or self.adverse(Metric.MORNING_ENERGY, record)


def _w7_ok(diary: Diary, day: date) -> bool:
    return len(diary.valid_in(day, 7)) >= MIN_VALID_7


def _gate(diary: Diary, day: date) -> bool:
    """The common entry test of C.3–C.7: past warm-up and ≥ MIN_VALID_7 valid records in W7."""
    return not diary.warming_up(day) and _w7_ok(diary, day)


def _inactive_or(active: bool) -> State:
    return State.ACTIVE if active else State.INACTIVE


# --- C.2 REST_NO_RECOVERY ---------------------------------------------------------------------


def _chain(diary: Diary, day: date) -> _Chain:
    return diary.memo("chain", None, day, lambda: _compute_chain(diary, day))


def _compute_chain(diary: Diary, day: date) -> _Chain:
    w7 = diary.valid_in(day, 7)
    w14 = diary.valid_in(day, 14)
    w7_ok = len(w7) >= MIN_VALID_7
    unrecovered_days = _count(w7, diary.unrecovered)
    rest_days = _count(w7, rest_day)

    def in_w7(holds: bool) -> bool | None:
        # C.14.5: a link is unknown only when its own window is short of data.
        return holds if w7_ok else None

    links: dict[str, bool | None] = {
        "R0": in_w7(rest_days >= CHAIN_REST_DAYS),
        "L1": (
            _count(w14, strained_day) >= CHAIN_STRAINED_DAYS if len(w14) >= MIN_VALID_14 else None
        ),
        "L2": in_w7(
            _count(w7, lambda r: diary.adverse(Metric.BEDTIME_TENSION, r)) >= CHAIN_ADVERSE_DAYS
        ),
        "L3": in_w7(
            _count(w7, lambda r: diary.adverse(Metric.LETTING_GO, r)) >= CHAIN_ADVERSE_DAYS
            or _count(w7, rest_without_recharge) >= CHAIN_UNRECHARGED_DAYS
        ),
        "L4": in_w7(unrecovered_days >= CHAIN_ADVERSE_DAYS),
        "L5": in_w7(
            _count(w7, lambda r: diary.adverse(Metric.STARTUP_EFFORT, r)) >= CHAIN_ADVERSE_DAYS
        ),
    }
    k = sum(1 for link in ("L1", "L2", "L3", "L5") if links[link])
    if diary.warming_up(day) or not w7_ok:
        state = State.INSUFFICIENT
    else:
        state = _inactive_or(bool(links["R0"] and links["L4"]) and k >= CHAIN_MIN_LINKS)
    return _Chain(state, links, k, rest_days, unrecovered_days)


def _chain_level(diary: Diary, day: date) -> Level | None:
    """The chain's level on `day`; its only look-back (D−7) uses the history-free part."""
    chain = _chain(diary, day)
    if chain.state is not State.ACTIVE:
        return None
    if chain.k < CHAIN_ATTENTION_LINKS:
        return Level.NOTICE
    if chain.k == CHAIN_ALL_LINKS:
        before = _chain(diary, day - _days(7))
        # "Level ≥ 2 on D−7" is k ≥ 3 there; it never needs D−14 (C.14.11).
        if before.state is State.ACTIVE and before.k >= CHAIN_ATTENTION_LINKS:
            return Level.PERSISTENT
    return Level.ATTENTION


def rest_no_recovery(diary: Diary, day: date) -> FlagResult:
    """Rest is taken (R0) yet mornings stay unrecovered (L4), with at least two more links of
    seed 004's chain present. Notice for two links, attention for three, or four without
    persistence; persistent when all four hold and the chain was at attention or higher a week
    ago. The links are reported on every date, also when the flag itself cannot be judged."""
    chain = _chain(diary, day)
    level = _chain_level(diary, day)
    numbers: Numbers = (
        {}
        if chain.state is State.INSUFFICIENT
        else {
            "rest_days": chain.rest_days,
            "unrecovered_days": chain.unrecovered_days,
            "links_present": chain.k,
        }
    )
    return FlagResult(Flag.REST_NO_RECOVERY, chain.state, level, (), chain.links, numbers)


# --- C.3 EARLY_SIGNS -----------------------------------------------------------------------


_ES_METRICS: Final = (  # the order unpacked in _compute_early
    Metric.STARTUP_EFFORT,
    Metric.LETTING_GO,
    Metric.REFRESHED,
    Metric.DAY_LOAD,
    Metric.RI,
)


def _margin(fixed: Fraction, base: Baseline) -> Fraction:
    return max(fixed, ES_SPREAD_SHARE * base.spread)


def _early(diary: Diary, day: date) -> _Core:
    return diary.memo("early", None, day, lambda: _compute_early(diary, day))


def _compute_early(diary: Diary, day: date) -> _Core:
    if not _gate(diary, day):
        return _Core(State.INSUFFICIENT)
    effort, letting_go, refreshed, load, ri = (diary.baseline(m, day) for m in _ES_METRICS)
    if effort is None or letting_go is None or refreshed is None or load is None or ri is None:
        return _Core(State.INSUFFICIENT)
    w7 = diary.valid_in(day, 7)

    def mean(metric: Metric) -> Fraction:
        return metric_mean(w7, metric)

    signs = {
        "E1": mean(Metric.STARTUP_EFFORT) >= effort.median + _margin(ES_EFFORT_MARGIN, effort),
        "E2": mean(Metric.LETTING_GO)
        <= letting_go.median - _margin(ES_LETTING_GO_MARGIN, letting_go),
        "E3": mean(Metric.REFRESHED) <= refreshed.median - _margin(ES_REFRESHED_MARGIN, refreshed),
        "E4": mean(Metric.DAY_LOAD) >= load.median - ES_LOAD_SLACK
        and mean(Metric.RI) <= ri.median - _margin(ES_RI_MARGIN, ri),
    }
    reasons = tuple(sign for sign, holds in signs.items() if holds)
    active = len(reasons) >= ES_MIN_SIGNS
    return _Core(_inactive_or(active), reasons if active else ())


def early_signs(diary: Diary, day: date) -> FlagResult:
    """Seed 004's four early signs, each a shift of this week's mean away from the person's own
    baseline; two signs give notice, three or four attention. Without all five baselines
    (about the first two weeks) the flag cannot be judged."""
    core = _early(diary, day)
    level = None
    if core.state is State.ACTIVE:
        level = Level.ATTENTION if len(core.reasons) >= ES_ATTENTION_SIGNS else Level.NOTICE
    return FlagResult(Flag.EARLY_SIGNS, core.state, level, core.reasons, {}, {})


# --- C.4 SLEEP_DISRUPTED ---------------------------------------------------------------------


def _sleep(diary: Diary, day: date) -> _Core:
    return diary.memo("sleep", None, day, lambda: _compute_sleep(diary, day))


def _compute_sleep(diary: Diary, day: date) -> _Core:
    if not _gate(diary, day):
        return _Core(State.INSUFFICIENT)
    w7 = diary.valid_in(day, 7)
    disturbed = _count(w7, disturbed_night)
    holds = {
        "disturbed_nights": disturbed >= SD_DISTURBED_NIGHTS,
        "low_efficiency": sum(sleep_efficiency(r) for r in w7) < SE_LOW * len(w7),
        "short_sleep": sum(total_sleep_time(r) for r in w7) < TST_SHORT * len(w7),
    }
    reasons = tuple(reason for reason, held in holds.items() if held)
    return _Core(_inactive_or(bool(reasons)), reasons, {"n": disturbed, "nights": len(w7)})


def sleep_disrupted(diary: Diary, day: date) -> FlagResult:
    """Three or more disturbed nights in the week (Lichstein's frequency), or a mean sleep
    efficiency below 85 %, or a mean sleep time under 6 hours. Notice; attention when it was
    already active a week before."""
    core = _sleep(diary, day)
    level = None
    if core.state is State.ACTIVE:
        before = _sleep(diary, day - _days(7))
        level = Level.ATTENTION if before.state is State.ACTIVE else Level.NOTICE
    return FlagResult(
        Flag.SLEEP_DISRUPTED,
        core.state,
        level,
        core.reasons if level is not None else (),
        {},
        core.numbers or {},
    )


# --- C.5 NO_ROOM_TO_RECOVER ------------------------------------------------------------------


def _no_room(diary: Diary, day: date) -> _Core:
    return diary.memo("no_room", None, day, lambda: _compute_no_room(diary, day))


def _compute_no_room(diary: Diary, day: date) -> _Core:
    if not _gate(diary, day):
        return _Core(State.INSUFFICIENT)
    w7 = diary.valid_in(day, 7)
    heavy = _count(w7, lambda r: r.day_load >= LOAD_HIGH)
    active = (
        heavy >= NR_HEAVY_DAYS
        and _count(w7, lambda r: r.rest_minutes < REST_MIN) >= NR_SHORT_REST_DAYS
        and sum(ri_times_3(r) for r in w7) < NR_RI_BELOW * 3 * len(w7)
    )
    return _Core(_inactive_or(active), (), {"n_heavy": heavy})


def no_room_to_recover(diary: Diary, day: date) -> FlagResult:
    """Going on without rest: heavy days on at least four mornings, little deliberate rest on
    at least five, and a low mean recovery. Notice. It cannot coincide with the chain, which
    needs four rest days."""
    core = _no_room(diary, day)
    level = Level.NOTICE if core.state is State.ACTIVE else None
    return FlagResult(Flag.NO_ROOM_TO_RECOVER, core.state, level, (), {}, core.numbers or {})


# --- C.6 CARRYING_ALONE ----------------------------------------------------------------------


def carrying_alone(diary: Diary, day: date) -> FlagResult:
    """Little contact that really helped (not meaningful on five or more days), no felt support
    on three or more days, during a strained week (chain, early signs or no room active today,
    or a mean recovery under 50). Felt support protects even when contact is brief. Notice."""
    if not _gate(diary, day):
        return FlagResult(Flag.CARRYING_ALONE, State.INSUFFICIENT, None, (), {}, {})
    w7 = diary.valid_in(day, 7)
    not_meaningful = _count(w7, lambda r: r.social_contact is not Social.MEANINGFUL)
    supported = _count(
        w7, lambda r: r.support_felt is not None and r.support_felt >= CA_SUPPORT_FROM
    )
    strained = (
        _chain(diary, day).state is State.ACTIVE
        or _early(diary, day).state is State.ACTIVE
        or _no_room(diary, day).state is State.ACTIVE
        or sum(ri_times_3(r) for r in w7) < CA_RI_BELOW * 3 * len(w7)
    )
    active = not_meaningful >= CA_NOT_MEANINGFUL_DAYS and supported < CA_SUPPORTED_DAYS and strained
    return FlagResult(
        Flag.CARRYING_ALONE,
        _inactive_or(active),
        Level.NOTICE if active else None,
        (),
        {},
        {"not_meaningful_days": not_meaningful, "supported_days": supported},
    )


# --- C.7 LITTLE_OUTDOOR_MOVEMENT -------------------------------------------------------------


def little_outdoor_movement(diary: Diary, day: date) -> FlagResult:
    """At most one day in the week with a calm walk outdoors of ten minutes or more. Info: an
    invitation, never a shortfall."""
    if not _gate(diary, day):
        return FlagResult(Flag.LITTLE_OUTDOOR_MOVEMENT, State.INSUFFICIENT, None, (), {}, {})
    walks = _count(diary.valid_in(day, 7), lambda r: r.walk_outside_min >= LOM_WALK_FROM)
    active = walks <= LOM_MAX_WALK_DAYS
    return FlagResult(
        Flag.LITTLE_OUTDOOR_MOVEMENT,
        _inactive_or(active),
        Level.INFO if active else None,
        (),
        {},
        {"walk_days": walks},
    )


# --- C.8 SIGNPOST_LOOK_FURTHER ---------------------------------------------------------------


def signpost_look_further(diary: Diary, day: date) -> FlagResult:
    """Points to the coach or another trusted professional when the full chain has persisted
    (chain at level 3) or early signs were active today, a week ago and two weeks ago.
    When not active it is insufficient_data if neither the chain nor the early signs could be
    judged today, so the signpost never "resolves" while someone is simply not checking in."""
    reasons = []
    if _chain_level(diary, day) is Level.PERSISTENT:
        reasons.append("chain_persistent")
    if all(_early(diary, day - _days(back)).state is State.ACTIVE for back in (0, 7, 14)):
        reasons.append("early_signs_3w")
    if reasons and not diary.warming_up(day):
        return FlagResult(
            Flag.SIGNPOST_LOOK_FURTHER, State.ACTIVE, Level.PERSISTENT, tuple(reasons), {}, {}
        )
    unjudged = diary.warming_up(day) or (
        _chain(diary, day).state is State.INSUFFICIENT
        and _early(diary, day).state is State.INSUFFICIENT
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
        or _count(w7, lambda r: r.sleepiness_peak >= DR_SLEEPINESS_TOP) >= DR_SLEEPINESS_TOP_DAYS
        or _count(w7, lambda r: r.sleepiness_peak >= DR_SLEEPINESS_HIGH) >= DR_SLEEPINESS_HIGH_DAYS
    )

    breathing = _count(w14, lambda r: NightSignal.BREATHING in r.night_signals)
    legs = _count(w14, lambda r: NightSignal.LEGS in r.night_signals)
    long_unrefreshed = _count(
        w7,
        lambda r: total_sleep_time(r) >= DR_LONG_SLEEP and r.refreshed <= DR_LONG_UNREFRESHED,
    )
    disrupted_weeks = all(
        _sleep(diary, day - _days(7 * week)).state is State.ACTIVE
        for week in range(DR_DISRUPTED_WEEKS)
    )
    details = {
        "breathing": breathing >= DR_BREATHING_NIGHTS,
        "legs": legs >= DR_LEGS_NIGHTS,
        "disrupted_weeks": disrupted_weeks,
        "long_unrefreshing": long_unrefreshed >= DR_LONG_NIGHTS,
    }

    medication_days = _count(w7, lambda r: ContextTag.SLEEP_MEDICATION in r.context_tags)
    medication_change = any(ContextTag.MEDICATION_CHANGE in r.context_tags for r in w7)
    health_concern = any(ContextTag.HEALTH_CONCERN in r.context_tags for r in w7)
    physical_days = _count(w7, lambda r: ContextTag.PHYSICAL_COMPLAINTS in r.context_tags)

    holds = {
        "sleepiness": sleepiness,
        "sleep_disorder_signs": any(details.values()),
        "medication": medication_days >= DR_MEDICATION_DAYS or medication_change,
        "medical": health_concern or physical_days >= DR_PHYSICAL_DAYS,
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
        _inactive_or(active),
        Level.DOCTOR if active else None,
        reasons,
        {},
        numbers,
    )


# --- C.10 IMPROVING --------------------------------------------------------------------------


def improving(diary: Diary, day: date) -> FlagResult:
    """Positive feedback when this week beats the week before: mornings clearly more recovered
    (enough on its own), or at least two of less bedtime tension, rest that recharges more
    often, sleep that refreshes more. May be active alongside concern flags."""
    w7 = diary.valid_in(day, 7)
    p7 = diary.valid_in(day - _days(7), 7)
    if diary.warming_up(day) or len(w7) < MIN_VALID_7 or len(p7) < MIN_VALID_7:
        return FlagResult(Flag.IMPROVING, State.INSUFFICIENT, None, (), {}, {})

    def mean(records: Sequence[CheckIn], value: Callable[[CheckIn], int]) -> Fraction:
        return _mean([value(r) for r in records])

    def recharged(records: Sequence[CheckIn]) -> int:
        return _count(
            records,
            lambda r: (
                rest_day(r)
                and r.rest_recharged is not None
                and r.rest_recharged >= IMPROVE_RECHARGED_FROM
            ),
        )

    c7, cp = recharged(w7), recharged(p7)
    holds = {
        "recovery_up": (mean(w7, ri_times_3) - mean(p7, ri_times_3)) / 3 >= IMPROVE_RI,
        "tension_down": mean(p7, lambda r: r.bedtime_tension)
        - mean(w7, lambda r: r.bedtime_tension)
        >= IMPROVE_TENSION,
        "rest_recharging": c7 >= IMPROVE_RECHARGING_DAYS and c7 > cp,
        "sleep_refreshing": mean(w7, lambda r: r.refreshed) - mean(p7, lambda r: r.refreshed)
        >= IMPROVE_REFRESHED,
    }
    reasons = tuple(reason for reason, held in holds.items() if held)
    active = holds["recovery_up"] or len(reasons) >= IMPROVE_MIN_OTHER
    return FlagResult(
        Flag.IMPROVING,
        _inactive_or(active),
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
        Flag.CHECKIN_GAP, _inactive_or(active), Level.INFO if active else None, (), {}, {"n": n}
    )


# --- Evaluation ---------------------------------------------------------------------------------

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
    lo = bisect_left(dates, today - _days(HORIZON_DAYS))
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
