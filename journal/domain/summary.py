"""DOMAIN D.1: the person's weekly summary, as plain data (ids and exact numbers, no words).

:func:`week_summary` is pure: it is handed the records and `today`, and returns a
:class:`WeekSummary` whose parts follow D.1 in order. The web layer words it and
:mod:`journal.web.charts` turns its day series into SVG geometry.

Readings where D.1 leaves room (each is also noted where it is computed):

- **Which records.** "Records dated in that week" (D intro): a record belongs to the week of its
  own `date`, even though its yesterday-fields (load, rest, evening, contact, walk) describe the
  day before. So Monday's record brings the Sunday evening before the week; that is how the
  check-in is built (A.1) and the charts put every answer on the morning it was given.
- **Illness.** Means, counts and day series use every record of the week, illness-tagged ones
  included: this is a description of the week as the person reported it, not a rule. Only the
  baselines leave illness and travel/shift days out (B.3), and "what may have helped" leaves
  illness mornings out (see below).
- **Arrows** compare the week's mean with the baseline (B.3) of the week's **last day**, Sunday.
  The reference window of Sunday is Sunday−34 … Sunday−7, which is exactly the 28 days before
  the week's Monday: the week is compared with the four weeks before it and never with itself,
  and every day of the week (also a current week) gets the same yardstick. z = (mean − B) / S;
  |z| ≥ 0.5 (the "smallest worthwhile change" of B.3) gives ↑ or ↓, otherwise →.
- **What stood out** reads the flags on the week's last *evaluated* day: Sunday for a past
  week, today for the current one. The chain and the early signs merge into one item as on the
  cards (C.12); at most three items, signposts first by priority, IMPROVING last.
- **What may have helped.** A record's yesterday-fields (walk, contact, rest) describe the day
  before its date, and the same record's RI is the morning after that day. So "the next-morning
  RI after a walk" is the RI of the very record that reports the walk; no pairing of records
  across dates is needed, and a missing day cannot pair the wrong morning. Groups are the records
  of the week (illness-tagged mornings left out: a flu morning would otherwise read as "no walk,
  low recovery"), split by the factor: walk ≥ 20 min vs the rest, meaningful contact vs the rest,
  a rest day whose rest recharged (≥ 3) vs the rest. A comparison is kept only when each side has
  ≥ 2 mornings and the factor's side is at least 5 RI points *higher*: the section is "what may
  have helped", so a factor that went with lower mornings is not listed there.
- **Heaviest day** is the day the load describes: the record's date − 1 (day_load asks about
  yesterday). Ties go to the earliest.
- **Rest per type**: a record with two rest types lends its one rest_recharged answer to both
  (the form asks once); types are counted over records with rest (> 0 min), listed from most to
  least recharging.

Cost: the caller hands in the records dated :func:`window` (week_start − 49 days … Sunday) plus
the person's very first record (the rules' warm-up and CHECKIN_GAP read the first date). This
covers the 8-week series (7 weeks back), the baseline of Sunday (28 days back) and the flags of
the last evaluated day (:data:`~journal.domain.rules.HORIZON_DAYS` back). Nothing here reads
further, so the work per week is the same after five years as after five weeks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Final

from journal.domain.checkin import CheckIn, Intensity, RestType, Social
from journal.domain.lifecycle import SIGNPOSTS, by_priority
from journal.domain.metrics import (
    RECHARGED_FROM,
    REFERENCE_FIRST,
    Baseline,
    Metric,
    baseline,
    disturbed_night,
    is_valid,
    metric_mean,
    recharged,
    recovery_index,
    rest_day,
    robust_z,
    sleep_efficiency,
    total_sleep_time,
)
from journal.domain.metrics import mean as mean_of
from journal.domain.rules import HORIZON_DAYS, Flag, FlagResult, Level, Links, Numbers, evaluate

WEEK_DAYS: Final = 7
TREND_WEEKS: Final = 8  # the overview of weekly means, this week included
ARROW_Z: Final = Fraction(1, 2)  # |z| from which the week differs from the usual (B.3, 0.5 SD)
REST_TYPE_MIN_DAYS: Final = 2  # a rest type is described once used on this many days
WALK_DAY_FROM: Final = 10  # D.1 item 8: a day with a walk
WALK_HELPED_FROM: Final = 20  # D.1 item 10: a walk that may have helped
HELPED_MIN_MORNINGS: Final = 2  # each side of a comparison
HELPED_MIN_DIFFERENCE: Final = 5  # RI points
MAX_STOOD_OUT: Final = 3

MORNING_METRICS: Final = (
    Metric.RI,
    Metric.MORNING_ENERGY,
    Metric.REFRESHED,
    Metric.STARTUP_EFFORT,
)
EVENING_METRICS: Final = (Metric.BEDTIME_TENSION, Metric.LETTING_GO)

_DAY: Final = timedelta(days=1)


def week_end(week_start: date) -> date:
    return week_start + timedelta(days=WEEK_DAYS - 1)


def window(week_start: date) -> tuple[date, date]:
    """The dates (inclusive) whose records :func:`week_summary` reads, besides the first record.

    The earliest of: the 8-week series (7 weeks back), the flags of the last evaluated day
    (HORIZON_DAYS back from a day that is at least the Monday), Sunday's baseline reference
    (REFERENCE_FIRST back from Sunday). Today that is week_start − 49 days.
    """
    last = week_end(week_start)
    first = min(
        week_start - timedelta(weeks=TREND_WEEKS - 1),
        week_start - timedelta(days=HORIZON_DAYS),
        last - timedelta(days=REFERENCE_FIRST),
    )
    return first, last


# --- The parts of D.1 -------------------------------------------------------------------------


class Trend(StrEnum):
    """Where the week's mean sits against the person's own usual level."""

    UP = "up"
    SAME = "same"
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class Measure:
    """A metric's weekly mean against its baseline. `trend` is None without a mean or baseline."""

    metric: Metric
    mean: Fraction | None
    baseline: Baseline | None
    z: Fraction | None
    trend: Trend | None


@dataclass(frozen=True, slots=True)
class Sleep:
    """Means over the nights reported this week; minutes except SE (percent)."""

    nights: int
    tst: Fraction | None
    sol: Fraction | None
    waso: Fraction | None
    se: Fraction | None
    disturbed_nights: int
    tst_measure: Measure


@dataclass(frozen=True, slots=True)
class RestTypeMean:
    rest_type: RestType
    days: int
    mean_recharged: Fraction


@dataclass(frozen=True, slots=True)
class Rest:
    rest_days: int  # rest_minutes ≥ REST_MIN (B.2)
    total_minutes: int  # every answer, short rests included
    recharged_days: int  # rest days with rest_recharged ≥ 3
    recharged_ratio: Fraction | None  # recharged_days / rest_days; None without rest days
    by_type: tuple[RestTypeMean, ...]  # "what recharges you": types used on ≥ 2 days


@dataclass(frozen=True, slots=True)
class HeaviestDay:
    day: date  # the day the load describes (the record's date − 1)
    record_date: date
    load: int


@dataclass(frozen=True, slots=True)
class Load:
    mean: Fraction | None
    heaviest: HeaviestDay | None
    measure: Measure


@dataclass(frozen=True, slots=True)
class Contact:
    meaningful_days: int
    support_answered: int
    support_mean: Fraction | None


@dataclass(frozen=True, slots=True)
class Movement:
    walk_days: int  # walk_outside_min ≥ 10
    total_minutes: int
    intensity: tuple[tuple[Intensity, int], ...]  # every intensity, in A.3 order
    intensity_answered: int


@dataclass(frozen=True, slots=True)
class StoodOut:
    """One active flag on the last evaluated day, with what its card text needs."""

    flag: Flag
    level: Level | None
    reasons: tuple[str, ...]
    numbers: Numbers
    links: Links
    early_signs: tuple[str, ...] = ()  # the chain item carries the early signs when both hold

    @property
    def signpost(self) -> bool:
        return self.flag in SIGNPOSTS


class Factor(StrEnum):
    """What a "may have helped" comparison splits the mornings by."""

    WALK = "walk"
    CONTACT = "contact"
    RECHARGING_REST = "recharging_rest"


@dataclass(frozen=True, slots=True)
class Helped:
    factor: Factor
    with_mean: Fraction  # mean RI of the mornings after a day with the factor
    without_mean: Fraction
    with_n: int
    without_n: int

    @property
    def difference(self) -> Fraction:
        return self.with_mean - self.without_mean


@dataclass(frozen=True, slots=True)
class Day:
    """One column of the charts. Values are None on a day without a record; never 0."""

    date: date
    future: bool  # after today, in the current week: not missing, just not there yet
    checked_in: bool
    ri: Fraction | None = None
    morning_energy: int | None = None
    refreshed: int | None = None
    startup_effort: int | None = None
    bedtime_tension: int | None = None
    letting_go: int | None = None
    tst: int | None = None
    se: Fraction | None = None
    sol: int | None = None
    waso: int | None = None
    day_load: int | None = None
    rest_minutes: int | None = None
    rest_recharged: int | None = None
    social_contact: Social | None = None

    @property
    def missing(self) -> bool:
        return not self.checked_in and not self.future

    @property
    def recharged(self) -> bool | None:
        """Rest that recharged (≥ 3) on a rest day; None without a rest day or record."""
        if self.rest_minutes is None or self.rest_minutes == 0 or self.rest_recharged is None:
            return None
        return self.rest_recharged >= RECHARGED_FROM


@dataclass(frozen=True, slots=True)
class WeekPoint:
    """One week of the 8-week overview; means are None for a week without records."""

    week_start: date
    checkins: int
    ri: Fraction | None
    ai: Fraction | None
    current: bool  # the week this summary is about


@dataclass(frozen=True, slots=True)
class WeekSummary:
    week_start: date
    week_end: date
    last_day: date  # the last evaluated day: Sunday, or today in the current week
    current: bool
    checkins: int  # D.1 item 1: records dated in the week
    days_so_far: int  # 7 for a past week; up to and including today for the current one
    morning: tuple[Measure, ...]  # item 2, in MORNING_METRICS order
    evening: tuple[Measure, ...]  # item 3, in EVENING_METRICS order
    sleep: Sleep  # item 4
    rest: Rest  # item 5
    load: Load  # item 6
    contact: Contact  # item 7
    movement: Movement  # item 8
    stood_out: tuple[StoodOut, ...]  # item 9 (signposts among them are pinned, item 12)
    helped: tuple[Helped, ...]  # item 10, in Factor order
    days: tuple[Day, ...]  # Monday … Sunday
    weeks: tuple[WeekPoint, ...]  # oldest first; the last one is this week

    @property
    def has_baseline(self) -> bool:
        """Whether any personal usual level exists yet (about two weeks after starting)."""
        return any(m.baseline is not None for m in (*self.morning, *self.evening))

    @property
    def signposts(self) -> tuple[StoodOut, ...]:
        return tuple(s for s in self.stood_out if s.signpost)


# --- Computing it -------------------------------------------------------------------------------


def _measure(
    records: Sequence[CheckIn], metric: Metric, history: Sequence[CheckIn], sunday: date
) -> Measure:
    mean = metric_mean(records, metric) if records else None
    base = baseline(history, metric, sunday)
    if mean is None or base is None:
        return Measure(metric, mean, base, None, None)
    z = robust_z(mean, base)
    trend = Trend.UP if z >= ARROW_Z else Trend.DOWN if z <= -ARROW_Z else Trend.SAME
    return Measure(metric, mean, base, z, trend)


def _sleep(week: Sequence[CheckIn], history: Sequence[CheckIn], sunday: date) -> Sleep:
    return Sleep(
        nights=len(week),
        tst=mean_of([total_sleep_time(r) for r in week]),
        sol=mean_of([r.sol_min for r in week]),
        waso=mean_of([r.waso_min for r in week]),
        # The mean of the per-night SE values, as C.14.12 reads mean(SE).
        se=mean_of([sleep_efficiency(r) for r in week]),
        disturbed_nights=sum(1 for r in week if disturbed_night(r)),
        tst_measure=_measure(week, Metric.TST, history, sunday),
    )


def _rest(week: Sequence[CheckIn]) -> Rest:
    rest_days = [r for r in week if rest_day(r)]
    recharged_days = sum(1 for r in rest_days if recharged(r))
    by_type = []
    for rest_type in RestType:
        answers = [
            r.rest_recharged
            for r in week
            if r.rest_minutes > 0 and rest_type in r.rest_types and r.rest_recharged is not None
        ]
        if len(answers) >= REST_TYPE_MIN_DAYS:
            by_type.append(
                RestTypeMean(rest_type, len(answers), Fraction(sum(answers), len(answers)))
            )
    # Most recharging first; sorted() is stable, so ties keep the A.3 order.
    by_type.sort(key=lambda t: -t.mean_recharged)
    return Rest(
        rest_days=len(rest_days),
        total_minutes=sum(r.rest_minutes for r in week),
        recharged_days=recharged_days,
        recharged_ratio=Fraction(recharged_days, len(rest_days)) if rest_days else None,
        by_type=tuple(by_type),
    )


def _load(week: Sequence[CheckIn], history: Sequence[CheckIn], sunday: date) -> Load:
    heaviest = None
    for r in week:  # in date order, so a tie keeps the earliest
        if heaviest is None or r.day_load > heaviest.load:
            heaviest = HeaviestDay(r.date - _DAY, r.date, r.day_load)
    return Load(
        mean=mean_of([r.day_load for r in week]),
        heaviest=heaviest,
        measure=_measure(week, Metric.DAY_LOAD, history, sunday),
    )


def contact_of(week: Sequence[CheckIn]) -> Contact:
    """Contact and felt support over some days (D.1 item 7; the coach's D.2 uses it too)."""
    support = [r.support_felt for r in week if r.support_felt is not None]
    return Contact(
        meaningful_days=sum(1 for r in week if r.social_contact is Social.MEANINGFUL),
        support_answered=len(support),
        support_mean=mean_of(support),
    )


def movement_of(week: Sequence[CheckIn]) -> Movement:
    """Outdoor movement over some days (D.1 item 8; the coach's D.2 uses it too)."""
    answered = [r.movement_intensity for r in week if r.movement_intensity is not None]
    return Movement(
        walk_days=sum(1 for r in week if r.walk_outside_min >= WALK_DAY_FROM),
        total_minutes=sum(r.walk_outside_min for r in week),
        intensity=tuple((level, answered.count(level)) for level in Intensity),
        intensity_answered=len(answered),
    )


def _stood_out(results: Sequence[FlagResult]) -> tuple[StoodOut, ...]:
    active = by_priority(results)
    flags = {r.flag for r in active}
    merge = Flag.REST_NO_RECOVERY in flags and Flag.EARLY_SIGNS in flags
    early = next((r.reasons for r in active if r.flag is Flag.EARLY_SIGNS), ())
    items = [
        StoodOut(
            r.flag,
            r.level,
            r.reasons,
            r.numbers,
            r.links,
            early if merge and r.flag is Flag.REST_NO_RECOVERY else (),
        )
        for r in active
        # Both chain flags active: one item, the chain, with the early signs inside (C.12).
        if not (merge and r.flag is Flag.EARLY_SIGNS)
    ]
    return tuple(items[:MAX_STOOD_OUT])


_FACTORS: Final[dict[Factor, Callable[[CheckIn], bool]]] = {
    Factor.WALK: lambda r: r.walk_outside_min >= WALK_HELPED_FROM,
    Factor.CONTACT: lambda r: r.social_contact is Social.MEANINGFUL,
    Factor.RECHARGING_REST: lambda r: rest_day(r) and recharged(r),
}


def _helped(week: Sequence[CheckIn]) -> tuple[Helped, ...]:
    # Each record pairs its own yesterday (the factor) with its own morning (RI): see the module
    # docstring. Illness-tagged mornings are left out.
    mornings = [r for r in week if is_valid(r)]
    found = []
    for factor, holds in _FACTORS.items():
        with_ri = [recovery_index(r) for r in mornings if holds(r)]
        without_ri = [recovery_index(r) for r in mornings if not holds(r)]
        if len(with_ri) < HELPED_MIN_MORNINGS or len(without_ri) < HELPED_MIN_MORNINGS:
            continue
        with_mean = Fraction(sum(with_ri, Fraction(0)), len(with_ri))
        without_mean = Fraction(sum(without_ri, Fraction(0)), len(without_ri))
        if with_mean - without_mean >= HELPED_MIN_DIFFERENCE:
            found.append(Helped(factor, with_mean, without_mean, len(with_ri), len(without_ri)))
    return tuple(found)


def _day(day: date, record: CheckIn | None, today: date) -> Day:
    if record is None:
        return Day(day, future=day > today, checked_in=False)
    return Day(
        day,
        future=False,
        checked_in=True,
        ri=recovery_index(record),
        morning_energy=record.morning_energy,
        refreshed=record.refreshed,
        startup_effort=record.startup_effort,
        bedtime_tension=record.bedtime_tension,
        letting_go=record.letting_go,
        tst=total_sleep_time(record),
        se=sleep_efficiency(record),
        sol=record.sol_min,
        waso=record.waso_min,
        day_load=record.day_load,
        rest_minutes=record.rest_minutes,
        rest_recharged=record.rest_recharged,
        social_contact=record.social_contact,
    )


def _weeks(
    ordered: Sequence[CheckIn], dates: Sequence[date], week_start: date
) -> tuple[WeekPoint, ...]:
    points = []
    for back in range(TREND_WEEKS - 1, -1, -1):
        start = week_start - timedelta(weeks=back)
        records = ordered[bisect_left(dates, start) : bisect_right(dates, week_end(start))]
        points.append(
            WeekPoint(
                start,
                len(records),
                metric_mean(records, Metric.RI) if records else None,
                metric_mean(records, Metric.AI) if records else None,
                current=back == 0,
            )
        )
    return tuple(points)


def week_summary(records: Sequence[CheckIn], week_start: date, today: date) -> WeekSummary:
    """D.1 for the ISO week starting on `week_start` (a Monday), as seen on `today`.

    `records` are the person's records dated :func:`window` plus their first record (any order,
    at most one per date); records after today are ignored. A week that has not started by
    `today` has nothing to summarise and is refused with ValueError.
    """
    if week_start.weekday() != 0:
        raise ValueError(f"{week_start.isoformat()} is not a Monday")
    if week_start > today:
        raise ValueError(f"the week of {week_start.isoformat()} has not started yet")
    sunday = week_end(week_start)
    last_day = min(sunday, today)

    ordered = sorted((r for r in records if r.date <= today), key=lambda r: r.date)
    dates = [r.date for r in ordered]
    week = ordered[bisect_left(dates, week_start) : bisect_right(dates, sunday)]
    by_date = {r.date: r for r in week}
    # Sunday's reference window lies wholly before the week; hand the baseline only that stretch.
    history = ordered[: bisect_left(dates, week_start)]

    def measures(metrics: Sequence[Metric]) -> tuple[Measure, ...]:
        return tuple(_measure(week, m, history, sunday) for m in metrics)

    days = tuple(
        _day(week_start + i * _DAY, by_date.get(week_start + i * _DAY), today)
        for i in range(WEEK_DAYS)
    )
    results = evaluate(ordered, last_day) if ordered else []
    return WeekSummary(
        week_start=week_start,
        week_end=sunday,
        last_day=last_day,
        current=sunday >= today,
        checkins=len(week),
        days_so_far=(last_day - week_start).days + 1,
        morning=measures(MORNING_METRICS),
        evening=measures(EVENING_METRICS),
        sleep=_sleep(week, history, sunday),
        rest=_rest(week),
        load=_load(week, history, sunday),
        contact=contact_of(week),
        movement=movement_of(week),
        stood_out=_stood_out(results),
        helped=_helped(week),
        days=days,
        weeks=_weeks(ordered, dates, week_start),
    )
