"""DOMAIN G.3: the figures of one ISO week, the single source of every weekly number.

The person's week page (D.1), the coach page and its PDF (D.2) and `flask summary` all take
their week from :func:`week_figures`. G.3's definitions and "Readings" are followed literally:

- **The week** is the ISO week Monday–Sunday of the records' own dates, cut off at
  ``through = min(today, Sunday)``; records after `through` are left out of everything in the
  week (means, counts, heaviest load, pattern).
- **Means** are over the week's records (illness days included); per-record values are B.1/B.2's
  (SE per record, then averaged).
- **Baseline and spread** are B.3's median and ``max(1.4826 × MAD, floor)`` over the records
  dated Monday−28 … Monday−1 that are not tagged illness or travel_shift, and need 7 of them.
  That is the reference window of the week's Sunday (Sunday−34 … Sunday−7), so the rules'
  :func:`~journal.domain.metrics.reference_window` gives it. SOL, WASO and SE get floors of
  10 min, 10 min and 5 %.
- **z and arrow**: ``z = (mean − B) / S``; the arrow is the sign of z once ``|z| ≥ 0.5``
  (exactly 0.5 is not flat), also where higher is worse.
- **Anchor**: the median of the first 14 records not tagged illness in the whole diary, after
  the week or after today too; travel_shift counts here.
- **Previous mean**: the whole previous ISO week, illness included, never cut off.
- **Missing dates** run from the diary's earliest record (whatever its tags) to `through`,
  the cut-off day included; a week wholly before the first record has none.

Everything is exact (fractions); only the JSON writer (:mod:`.report`) turns numbers into floats.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Final

from journal.domain.checkin import CheckIn, Intensity, RestType, Social
from journal.domain.metrics import (
    S_FLOOR,
    SCALE,
    Metric,
    anchor_records,
    disturbed_night,
    in_reference,
    median,
    recharged,
    reference_window,
    rest_day,
    robust_baseline,
    robust_z,
    scaled_value,
    sleep_efficiency,
)
from journal.domain.metrics import mean as mean_of
from journal.domain.summary.model import (
    Contact,
    HeaviestDay,
    MetricFigures,
    Movement,
    Quadrant,
    Rest,
    RestTypeMean,
    Trend,
    WeekFigures,
    WeekMetric,
    quadrant,
)

WEEK_DAYS: Final = 7
WEEK_RE: Final = re.compile(r"([0-9]{4})-W([0-9]{2})")  # ASCII digits only, as G.3 writes it
ARROW_Z: Final = Fraction(1, 2)  # |z| from which the week differs from the usual (B.3, 0.5 SD)
REST_TYPE_MIN_DAYS: Final = 2  # a rest type is described once used on this many rest days
WALK_DAY_FROM: Final = 10  # D.1 item 8: a day with a walk
PATTERN_MIN_CHECKINS: Final = 4  # G.3: fewer check-ins in the week give no pattern

# The week's metrics that have a B.3 baseline: their values are the rules' own.
BASELINE_METRIC: Final[Mapping[WeekMetric, Metric]] = {
    WeekMetric.RI: Metric.RI,
    WeekMetric.AI: Metric.AI,
    WeekMetric.MORNING_ENERGY: Metric.MORNING_ENERGY,
    WeekMetric.REFRESHED: Metric.REFRESHED,
    WeekMetric.STARTUP_EFFORT: Metric.STARTUP_EFFORT,
    WeekMetric.LETTING_GO: Metric.LETTING_GO,
    WeekMetric.BEDTIME_TENSION: Metric.BEDTIME_TENSION,
    WeekMetric.DAY_LOAD: Metric.DAY_LOAD,
    WeekMetric.TST: Metric.TST,
}
# The smallest spread per metric: B.3's S_FLOOR, and G.3's floors for SOL, WASO and SE.
SPREAD_FLOOR: Final[Mapping[WeekMetric, Fraction]] = {
    **{week: S_FLOOR[metric] for week, metric in BASELINE_METRIC.items()},
    WeekMetric.SOL: Fraction(10),
    WeekMetric.WASO: Fraction(10),
    WeekMetric.SE: Fraction(5),
}


def week_end(week_start: date) -> date:
    return week_start + timedelta(days=WEEK_DAYS - 1)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def iso_week(monday: date) -> str:
    """'2026-W11': the ISO year and week of a date (the ISO year can differ from the date's)."""
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str) -> date | None:
    """The Monday of an ISO week written as YYYY-Www (two-digit week), or None for anything
    else, a week that does not exist (2025-W53, W00) included."""
    match = WEEK_RE.fullmatch(text)
    if match is None:
        return None
    try:
        return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:  # week 00, week 53 of a 52-week year, year 0
        return None


def scaled_values(
    records: Iterable[CheckIn], metric: WeekMetric
) -> tuple[Sequence[Fraction | int], int]:
    """A metric's per-record values (B.1/B.2; minutes for TST, SOL and WASO, percent for SE)
    times a scale: integers for every metric that has one (RI × 3, the rules' own scaled
    values), exact fractions for SE. Exact either way; integers sort fast."""
    base = BASELINE_METRIC.get(metric)
    if base is not None:
        return [scaled_value(r, base) for r in records], SCALE[base]
    if metric is WeekMetric.SOL:
        return [r.sol_min for r in records], 1
    if metric is WeekMetric.WASO:
        return [r.waso_min for r in records], 1
    return [sleep_efficiency(r) for r in records], 1


def week_mean(records: Sequence[CheckIn], metric: WeekMetric) -> Fraction | None:
    """The mean of a metric over some records; None without records (never a zero)."""
    values, scale = scaled_values(records, metric)
    return Fraction(sum(values, Fraction(0)), len(values) * scale) if values else None


def arrow_of(z: Fraction) -> Trend:
    return Trend.UP if z >= ARROW_Z else Trend.DOWN if z <= -ARROW_Z else Trend.FLAT


def week_figures(
    records: Iterable[CheckIn], week_start: date, today: date | None = None
) -> WeekFigures:
    """G.3's figures of the ISO week starting on `week_start`, cut off at `today`.

    `records` is the diary (any order, at most one per date). Everything but the anchor reads
    the records dated from week_start − 28 days to the week's cut-off and the diary's first
    date; the anchor reads the first 14 valid records. A caller that loads a window must hand
    in those too. Raises ValueError when `week_start` is not a Monday or `today` lies before it.
    """
    if week_start.weekday() != 0:
        raise ValueError(f"{week_start.isoformat()} is not a Monday")
    sunday = week_end(week_start)
    through = sunday if today is None else min(today, sunday)
    if through < week_start:
        raise ValueError(f"today lies before the week of {week_start.isoformat()}")
    ordered = sorted(records, key=lambda r: r.date)
    week = [r for r in ordered if week_start <= r.date <= through]
    previous_start = week_start - timedelta(days=WEEK_DAYS)
    previous = [r for r in ordered if previous_start <= r.date < week_start]
    # Sunday's reference window (Sunday−34 … Sunday−7) is exactly Monday−28 … Monday−1.
    first_ref, last_ref = reference_window(sunday)
    reference = [r for r in ordered if first_ref <= r.date <= last_ref and in_reference(r)]
    first_valid = anchor_records(ordered)
    metrics = tuple(
        _metric_figures(metric, week, previous, reference, first_valid) for metric in WeekMetric
    )
    means = {m.metric: m.mean for m in metrics}
    ri, ai = means[WeekMetric.RI], means[WeekMetric.AI]
    pattern: Quadrant | None = None
    if len(week) >= PATTERN_MIN_CHECKINS and ri is not None and ai is not None:
        pattern = quadrant(ai, ri)
    return WeekFigures(
        start=week_start,
        end=sunday,
        through=through,
        checkins=len(week),
        missing_dates=_missing(week, ordered[0].date if ordered else None, week_start, through),
        metrics=metrics,
        disturbed_nights=sum(1 for r in week if disturbed_night(r)),
        rest=rest_of(week),
        heaviest_load=heaviest_of(week),
        contact=contact_of(week),
        movement=movement_of(week),
        pattern=pattern,
    )


def _metric_figures(
    metric: WeekMetric,
    week: Sequence[CheckIn],
    previous: Sequence[CheckIn],
    reference: Sequence[CheckIn],
    first_valid: Sequence[CheckIn] | None,
) -> MetricFigures:
    mean = week_mean(week, metric)
    values, scale = scaled_values(reference, metric)
    base = robust_baseline(values, SPREAD_FLOOR[metric], scale)
    z = robust_z(mean, base) if mean is not None and base is not None else None
    anchor = None
    if first_valid is not None:
        anchor_values, scale = scaled_values(first_valid, metric)
        anchor = median(anchor_values) / scale
    return MetricFigures(
        metric=metric,
        mean=mean,
        n=len(week),
        baseline=base,
        z=z,
        arrow=None if z is None else arrow_of(z),
        anchor=anchor,
        previous_mean=week_mean(previous, metric),
    )


def _missing(
    week: Sequence[CheckIn], first_record: date | None, week_start: date, through: date
) -> tuple[date, ...]:
    """The dates without a record from the first record (or Monday) up to `through`."""
    if first_record is None:
        return ()
    have = {r.date for r in week}
    day = max(week_start, first_record)
    found = []
    while day <= through:
        if day not in have:
            found.append(day)
        day += timedelta(days=1)
    return tuple(found)


def rest_of(week: Sequence[CheckIn]) -> Rest:
    """Rest days (≥ 30 min), all rest minutes, and per type used on ≥ 2 rest days the mean
    rest_recharged of those days; a rest day with two types counts for both (the form asks
    once how the rest recharged)."""
    rest_days = [r for r in week if rest_day(r)]
    recharged_days = sum(1 for r in rest_days if recharged(r))
    by_type = []
    for rest_type in RestType:
        answers = [
            r.rest_recharged
            for r in rest_days
            if rest_type in r.rest_types and r.rest_recharged is not None
        ]
        if len(answers) >= REST_TYPE_MIN_DAYS:
            by_type.append(
                RestTypeMean(rest_type, len(answers), Fraction(sum(answers), len(answers)))
            )
    return Rest(
        rest_days=len(rest_days),
        total_minutes=sum(r.rest_minutes for r in week),
        recharged_days=recharged_days,
        recharged_ratio=Fraction(recharged_days, len(rest_days)) if rest_days else None,
        by_type=tuple(by_type),
    )


def heaviest_of(week: Sequence[CheckIn]) -> HeaviestDay | None:
    """The record with the highest day_load, the earliest on a tie; its load describes the
    day before its date."""
    heaviest = None
    for r in week:  # in date order, so a tie keeps the earliest
        if heaviest is None or r.day_load > heaviest.load:
            heaviest = HeaviestDay(r.date, r.day_load)
    return heaviest


def contact_of(week: Sequence[CheckIn]) -> Contact:
    """Days with meaningful contact, and the mean support_felt where answered."""
    support = [r.support_felt for r in week if r.support_felt is not None]
    return Contact(
        meaningful_days=sum(1 for r in week if r.social_contact is Social.MEANINGFUL),
        support_answered=len(support),
        support_mean=mean_of(support),
    )


def movement_of(week: Sequence[CheckIn]) -> Movement:
    """Days with a walk of ≥ 10 minutes, all outdoor minutes, and the intensity split."""
    answered = [r.movement_intensity for r in week if r.movement_intensity is not None]
    return Movement(
        walk_days=sum(1 for r in week if r.walk_outside_min >= WALK_DAY_FROM),
        total_minutes=sum(r.walk_outside_min for r in week),
        intensity=tuple((level, answered.count(level)) for level in Intensity),
        intensity_answered=len(answered),
    )
