"""Derived metrics of DOMAIN part B: per-record sleep and composites, personal baselines.

Everything is exact (C.14.1): sleep efficiency, RI, AI, medians and spreads are
:class:`~fractions.Fraction` values, so a threshold compared later is never decided by rounding.
Internally the composites are kept as scaled integers (RI × 3 is always an integer, AI always is),
which keeps the medians of the baselines cheap to compute for every date of a long diary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Final

from journal.domain.checkin import CheckIn, ContextTag

# --- B parameters (the C.0 table lists them too; they live with the metric they define) ---

REST_MIN: Final = 30  # B.2 rest_day: deliberate rest of at least this many minutes
RECHARGED_FROM: Final = 3  # rest_recharged "mostly" or "fully": rest that recharged (D.1, D.2)
LOAD_STRAIN: Final = 5  # B.2 strained_day: day_load at least this ...
RI_STRAIN: Final = 50  # ... while RI stays below this
DISTURBED_MIN: Final = 31  # B.1 disturbed_night: SOL or WASO of at least this (Lichstein 2003)
BASE_MIN_N: Final = 7  # B.3 values needed in the reference window before a baseline exists
REFERENCE_FIRST: Final = 34  # B.3 reference window D−34 …
REFERENCE_LAST: Final = 7  # … D−7: lagged, so a slow decline does not pull its own baseline down
MAD_SCALE: Final = Fraction("1.4826")  # makes the MAD comparable to a standard deviation
ANCHOR_N: Final = 14  # B.3 anchor baseline: the first 14 valid records, frozen

# Tags that take a record out of the reference window (B.3). Only illness makes it invalid (B.4).
REFERENCE_EXCLUDED: Final = frozenset({ContextTag.ILLNESS, ContextTag.TRAVEL_SHIFT})


class Metric(StrEnum):
    """The metrics that get a personal baseline (B.3)."""

    MORNING_ENERGY = "morning_energy"
    STARTUP_EFFORT = "startup_effort"
    REFRESHED = "refreshed"
    LETTING_GO = "letting_go"
    BEDTIME_TENSION = "bedtime_tension"
    DAY_LOAD = "day_load"
    RI = "ri"
    AI = "ai"
    TST = "tst"


# B.3 S_FLOOR: the smallest spread a baseline may have, in the metric's own unit.
S_FLOOR: Final[Mapping[Metric, Fraction]] = {
    Metric.MORNING_ENERGY: Fraction(1),
    Metric.STARTUP_EFFORT: Fraction(1),
    Metric.LETTING_GO: Fraction(1),
    Metric.BEDTIME_TENSION: Fraction(1),
    Metric.DAY_LOAD: Fraction(1),
    Metric.REFRESHED: Fraction(1, 2),
    Metric.RI: Fraction(8),
    Metric.AI: Fraction(8),
    Metric.TST: Fraction(30),
}

# The integer each metric is multiplied by to make every value an integer (RI has thirds).
SCALE: Final[Mapping[Metric, int]] = {metric: 3 if metric is Metric.RI else 1 for metric in Metric}


# --- B.1 sleep --------------------------------------------------------------------------------


def time_in_bed(record: CheckIn) -> int:
    """TIB in minutes, lights-out to out of bed, wrapping past midnight."""
    return record.time_in_bed


def terminal_wake(record: CheckIn) -> int:
    """Minutes between the final awakening and getting up; 0 when the final wake is not given."""
    return record.terminal_wake


def total_sleep_time(record: CheckIn) -> int:
    """TST in minutes; never negative, even for a record that slipped past validation."""
    return max(0, record.time_in_bed - record.sol_min - record.waso_min - record.terminal_wake)


def sleep_efficiency(record: CheckIn) -> Fraction:
    """SE in percent, exact."""
    tib = record.time_in_bed
    # Validation keeps TIB ≥ 60; the guard only keeps a hand-built record from dividing by zero.
    return Fraction(100 * total_sleep_time(record), tib) if tib else Fraction(0)


def disturbed_night(record: CheckIn) -> bool:
    """Sleep onset or wake after sleep onset of at least DISTURBED_MIN minutes."""
    return record.sol_min >= DISTURBED_MIN or record.waso_min >= DISTURBED_MIN


# --- B.2 daily composites ---------------------------------------------------------------------


def ri_times_3(record: CheckIn) -> int:
    """3 × RI, an integer, for exact comparisons without fractions."""
    return record.refreshed * 25 + record.morning_energy * 10 + (10 - record.startup_effort) * 10


def recovery_index(record: CheckIn) -> Fraction:
    """RI, 0–100, higher is better; a multiple of 1/3."""
    return Fraction(ri_times_3(record), 3)


def activation_index(record: CheckIn) -> Fraction:
    """AI, 0–100, higher is more activated; tension_now stays out so AI keeps one make-up."""
    return Fraction(record.bedtime_tension * 10 + (10 - record.letting_go) * 10, 2)


def rest_day(record: CheckIn) -> bool:
    return record.rest_minutes >= REST_MIN


def recharged(record: CheckIn) -> bool:
    """The rest of the day recharged ("mostly" or "fully")."""
    return record.rest_recharged is not None and record.rest_recharged >= RECHARGED_FROM


def rest_without_recharge(record: CheckIn) -> bool:
    """Rest was taken, yet it hardly recharged: rest without recovery on a single day."""
    return rest_day(record) and record.rest_recharged is not None and record.rest_recharged <= 1


def strained_day(record: CheckIn) -> bool:
    """A demanding day after which the morning's recovery stays low."""
    return record.day_load >= LOAD_STRAIN and ri_times_3(record) < RI_STRAIN * 3


# --- B.3 / B.4 validity, values, baselines ----------------------------------------------------


def is_valid(record: CheckIn) -> bool:
    """Valid for window counts: everything but illness (C.14.3); a flu week is not a pattern."""
    return ContextTag.ILLNESS not in record.context_tags


def in_reference(record: CheckIn) -> bool:
    """May feed a baseline: illness and travel/shift days are not anyone's normal."""
    return not (record.context_tags & REFERENCE_EXCLUDED)


def scaled_value(record: CheckIn, metric: Metric) -> int:
    """The metric's value times SCALE[metric]: an integer for every metric."""
    match metric:
        case Metric.RI:
            return ri_times_3(record)
        case Metric.AI:
            return 5 * (record.bedtime_tension + 10 - record.letting_go)
        case Metric.TST:
            return total_sleep_time(record)
        case _:
            value: int = getattr(record, metric.value)
            return value


def metric_value(record: CheckIn, metric: Metric) -> Fraction:
    return Fraction(scaled_value(record, metric), SCALE[metric])


def metric_mean(records: Sequence[CheckIn], metric: Metric) -> Fraction:
    """Exact mean of a metric over records (at least one)."""
    return Fraction(sum(scaled_value(r, metric) for r in records), len(records) * SCALE[metric])


def reference_window(on: date) -> tuple[date, date]:
    """The first and last date (inclusive) of the reference window for evaluation date `on`."""
    return on - timedelta(days=REFERENCE_FIRST), on - timedelta(days=REFERENCE_LAST)


@dataclass(frozen=True, slots=True)
class Baseline:
    """A personal normal: `median` B and robust spread S (never below the metric's floor)."""

    median: Fraction
    spread: Fraction
    n: int


def _twice_median(ordered: Sequence[Fraction | int]) -> Fraction | int:
    """2 × the median of sorted values: an integer for integers even when the count is even
    (C.14.2)."""
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return 2 * ordered[mid]
    return ordered[mid - 1] + ordered[mid]


def _distance(a: Fraction | int, b: Fraction | int) -> Fraction | int:
    """|a − b|, an integer for integers (abs() of the union loses the type for mypy)."""
    return a - b if a >= b else b - a


def mean(values: Sequence[Fraction | int]) -> Fraction | None:
    """Exact mean, or None for no values: a summary shows "not answered", never a zero."""
    return Fraction(sum(values, Fraction(0)), len(values)) if values else None


def median(values: Iterable[Fraction | int]) -> Fraction:
    """Median; of an even count, the mean of the two middle values (C.14.2)."""
    ordered = sorted(Fraction(v) for v in values)
    if not ordered:
        raise ValueError("median of no values")
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def robust_baseline(
    values: Sequence[Fraction | int], floor: Fraction, scale: int = 1
) -> Baseline | None:
    """Median and S = max(1.4826 × MAD, floor) of values that are `scale` × the metric's own,
    or None below BASE_MIN_N values.

    Integers (the scaled B.3 metrics the rules read for every date) keep the work in integer
    arithmetic; Fractions serve values with no common scale, such as SE (G.3).
    """
    if len(values) < BASE_MIN_N:
        return None
    ordered = sorted(values)
    m2 = _twice_median(ordered)
    # |2v − 2·med| = 2·|v − med|, so the same even-count rule applies inside the MAD exactly.
    deviations = sorted(_distance(2 * v, m2) for v in ordered)
    mad = Fraction(_twice_median(deviations), 4 * scale)
    return Baseline(
        median=Fraction(m2, 2 * scale),
        spread=max(MAD_SCALE * mad, floor),
        n=len(values),
    )


def baseline_from_scaled(values: Sequence[int], metric: Metric) -> Baseline | None:
    """B.3's baseline of a metric from its scaled values (see :func:`scaled_value`)."""
    return robust_baseline(values, S_FLOOR[metric], SCALE[metric])


def baseline_of(reference: Iterable[CheckIn], metric: Metric) -> Baseline | None:
    """Baseline from records already known to be in the reference window of one date."""
    return baseline_from_scaled(
        [scaled_value(r, metric) for r in reference if in_reference(r)], metric
    )


def baseline(records: Iterable[CheckIn], metric: Metric, on: date) -> Baseline | None:
    """The baseline of `metric` for evaluation date `on`, or None while not established."""
    first, last = reference_window(on)
    return baseline_of((r for r in records if first <= r.date <= last), metric)


def anchor_records(records: Iterable[CheckIn]) -> list[CheckIn] | None:
    """The first ANCHOR_N valid records, the anchor's ground ("compared to when you started").

    None until ANCHOR_N valid records exist: the anchor is frozen once complete, so a partial
    one would shift under the reader. Summaries only; never used in flags.
    """
    first = sorted((r for r in records if is_valid(r)), key=lambda r: r.date)[:ANCHOR_N]
    return first if len(first) == ANCHOR_N else None


def anchor_baseline(records: Iterable[CheckIn], metric: Metric) -> Fraction | None:
    """Median of the metric over :func:`anchor_records`, or None before there are enough."""
    first = anchor_records(records)
    return None if first is None else median(metric_value(r, metric) for r in first)


def robust_z(value: Fraction | int, base: Baseline) -> Fraction:
    """z = (value − B) / S; S is never zero thanks to its floor."""
    return (Fraction(value) - base.median) / base.spread
