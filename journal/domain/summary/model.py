"""DOMAIN G.3 and D.1 as plain data: the week's figures and the person's weekly summary built
on them; ids and exact numbers, no words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Final

from journal.domain.checkin import Intensity, RestType, Social
from journal.domain.lifecycle import SIGNPOSTS
from journal.domain.metrics import RECHARGED_FROM, Baseline, Metric
from journal.domain.rules import Flag, Level, Links, Numbers, Reason

ACTIVATED_FROM: Final = 50  # weekly mean AI at or above this: activated (D.2)
LOW_RECOVERY_BELOW: Final = 50  # weekly mean RI below this: low recovery (D.2)


class Trend(StrEnum):
    """G.3's arrow: the sign of z once |z| ≥ 0.5, also where higher is worse."""

    UP = "up"
    FLAT = "flat"
    DOWN = "down"


class WeekMetric(StrEnum):
    """The metrics of a week's figures, in G.3 order; the values are G.3's JSON keys."""

    RI = "RI"
    AI = "AI"
    MORNING_ENERGY = "morning_energy"
    REFRESHED = "refreshed"
    STARTUP_EFFORT = "startup_effort"
    LETTING_GO = "letting_go"
    BEDTIME_TENSION = "bedtime_tension"
    DAY_LOAD = "day_load"
    TST = "TST"
    SOL = "SOL"
    WASO = "WASO"
    SE = "SE"


class Quadrant(StrEnum):
    """D.2 pattern mix: weekly mean AI (≥ 50 activated) × weekly mean RI (< 50 low recovery)."""

    ACTIVATED_LOW_RECOVERY = "activated_low_recovery"  # rest doesn't land, the mind keeps scanning
    LOW_ACTIVATION_LOW_RECOVERY = "low_activation_low_recovery"  # depleted, energy first
    ACTIVATED_RECOVERING = "activated_recovering"
    SETTLED = "settled"


def quadrant(ai: Fraction, ri: Fraction) -> Quadrant:
    """Exact bounds (G.3): a mean AI of exactly 50 is activated, a mean RI of 50 is not low."""
    activated = ai >= ACTIVATED_FROM
    if ri < LOW_RECOVERY_BELOW:
        return (
            Quadrant.ACTIVATED_LOW_RECOVERY if activated else Quadrant.LOW_ACTIVATION_LOW_RECOVERY
        )
    return Quadrant.ACTIVATED_RECOVERING if activated else Quadrant.SETTLED


@dataclass(frozen=True, slots=True)
class Measure:
    """A metric of the week page, with the figures of :class:`MetricFigures` keyed by the B.3
    metric the page's charts are keyed by."""

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
    days: int  # rest days (≥ REST_MIN) with this type
    mean_recharged: Fraction  # the mean rest_recharged of those days


@dataclass(frozen=True, slots=True)
class Rest:
    rest_days: int  # rest_minutes ≥ REST_MIN (B.2)
    total_minutes: int  # every answer, short rests included
    recharged_days: int  # rest days with rest_recharged ≥ 3
    recharged_ratio: Fraction | None  # recharged_days / rest_days; None without rest days
    by_type: tuple[RestTypeMean, ...]  # types used on ≥ 2 rest days, in A.3 order


@dataclass(frozen=True, slots=True)
class HeaviestDay:
    record_date: date
    load: int

    @property
    def day(self) -> date:
        """The day the load describes: day_load asks about yesterday (A.1)."""
        return self.record_date - timedelta(days=1)


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
class MetricFigures:
    """One metric of a week (G.3). None wherever there is nothing to compute from."""

    metric: WeekMetric
    mean: Fraction | None  # over the week's records up to `through`
    n: int  # the records the mean is taken over
    baseline: Baseline | None  # B and S over Monday−28 … Monday−1
    z: Fraction | None  # (mean − B) / S
    arrow: Trend | None
    anchor: Fraction | None  # median of the first 14 valid records of the whole diary
    previous_mean: Fraction | None  # the whole previous ISO week

    @property
    def change(self) -> Fraction | None:
        """The change from the previous week."""
        if self.mean is None or self.previous_mean is None:
            return None
        return self.mean - self.previous_mean


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """The figures of one ISO week (G.3): what the person's week page, the coach page, the PDF
    and `flask summary` all show."""

    start: date  # Monday
    end: date  # Sunday
    through: date  # min(today, Sunday): the records after it are left out
    checkins: int
    missing_dates: tuple[date, ...]  # from the diary's first record on, up to `through`
    metrics: tuple[MetricFigures, ...]  # in WeekMetric order
    disturbed_nights: int
    rest: Rest
    heaviest_load: HeaviestDay | None
    contact: Contact
    movement: Movement
    pattern: Quadrant | None  # None with fewer than 4 check-ins

    @property
    def days(self) -> int:
        """The days that count: from the first record (or Monday) through `through`."""
        return self.checkins + len(self.missing_dates)

    def metric(self, metric: WeekMetric) -> MetricFigures:
        return self.metrics[list(WeekMetric).index(metric)]


@dataclass(frozen=True, slots=True)
class StoodOut:
    """One active flag on the last evaluated day, with what its card text needs."""

    flag: Flag
    level: Level | None
    reasons: tuple[Reason, ...]
    numbers: Numbers
    links: Links
    early_signs: tuple[Reason, ...] = ()  # the chain item carries the early signs when both hold

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
    missing: bool  # no record, on or after the first record and not in the future (G.3)
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
    figures: WeekFigures  # G.3: every figure below is taken from these
    checkins: int  # D.1 item 1: records dated in the week
    days_so_far: int  # 7 for a past week; up to and including today for the current one
    days_counted: int  # days_so_far without the days before the first record
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
