"""DOMAIN D.1: the person's weekly summary put together from its parts (see the package doc).

Every figure of the week (check-ins, means, arrows, baselines, sleep, rest, load, contact,
movement, missing days) is taken from :func:`~journal.domain.summary.figures.week_figures`, the
computation the coach page and `flask summary` use too; this module only arranges them for the
page and adds what only the person's page has (day columns, the 8 weeks, flags, what helped).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Final

from journal.domain.checkin import CheckIn
from journal.domain.metrics import Metric
from journal.domain.rules import evaluate
from journal.domain.summary.figures import BASELINE_METRIC, WEEK_DAYS, week_end, week_figures
from journal.domain.summary.highlights import helped, stood_out
from journal.domain.summary.model import (
    Load,
    Measure,
    Rest,
    Sleep,
    WeekFigures,
    WeekMetric,
    WeekSummary,
)
from journal.domain.summary.period import day_of, week_points

MORNING_METRICS: Final = (
    Metric.RI,
    Metric.MORNING_ENERGY,
    Metric.REFRESHED,
    Metric.STARTUP_EFFORT,
)
EVENING_METRICS: Final = (Metric.BEDTIME_TENSION, Metric.LETTING_GO)
_WEEK_METRIC: Final = {metric: week for week, metric in BASELINE_METRIC.items()}


def week_summary(records: Sequence[CheckIn], week_start: date, today: date) -> WeekSummary:
    """D.1 for the ISO week starting on `week_start` (a Monday), as seen on `today`.

    `records` are the person's records dated :func:`window` plus their first record and their
    first ANCHOR_N valid ones (any order, at most one per date); records after today are
    ignored. A week that has not started by `today` has nothing to summarise and is refused
    with ValueError.
    """
    if week_start.weekday() != 0:
        raise ValueError(f"{week_start.isoformat()} is not a Monday")
    if week_start > today:
        raise ValueError(f"the week of {week_start.isoformat()} has not started yet")
    sunday = week_end(week_start)
    last_day = min(sunday, today)

    ordered = sorted((r for r in records if r.date <= today), key=lambda r: r.date)
    # The anchor reads the whole diary (G.3); records after today do not exist in the app.
    figures = week_figures(records, week_start, today)
    dates = [r.date for r in ordered]
    week = ordered[bisect_left(dates, week_start) : bisect_right(dates, sunday)]
    by_date = {r.date: r for r in week}
    missing = frozenset(figures.missing_dates)

    def measures(metrics: Sequence[Metric]) -> tuple[Measure, ...]:
        return tuple(measure(figures, _WEEK_METRIC[m]) for m in metrics)

    days = tuple(
        day_of(day, by_date.get(day), today, day in missing)
        for day in (week_start + timedelta(days=i) for i in range(WEEK_DAYS))
    )
    results = evaluate(ordered, last_day) if ordered else []
    return WeekSummary(
        week_start=week_start,
        week_end=sunday,
        last_day=last_day,
        current=sunday >= today,
        figures=figures,
        checkins=figures.checkins,
        days_so_far=(last_day - week_start).days + 1,
        days_counted=figures.days,
        morning=measures(MORNING_METRICS),
        evening=measures(EVENING_METRICS),
        sleep=Sleep(
            nights=figures.checkins,
            tst=figures.metric(WeekMetric.TST).mean,
            sol=figures.metric(WeekMetric.SOL).mean,
            waso=figures.metric(WeekMetric.WASO).mean,
            se=figures.metric(WeekMetric.SE).mean,
            disturbed_nights=figures.disturbed_nights,
            tst_measure=measure(figures, WeekMetric.TST),
        ),
        rest=_most_recharging_first(figures.rest),
        load=Load(
            mean=figures.metric(WeekMetric.DAY_LOAD).mean,
            heaviest=figures.heaviest_load,
            measure=measure(figures, WeekMetric.DAY_LOAD),
        ),
        contact=figures.contact,
        movement=figures.movement,
        stood_out=stood_out(results),
        helped=helped(week),
        days=days,
        weeks=week_points(ordered, dates, week_start),
    )


def measure(figures: WeekFigures, metric: WeekMetric) -> Measure:
    """A metric of the week as the page shows it, keyed by its B.3 metric."""
    f = figures.metric(metric)
    return Measure(BASELINE_METRIC[metric], f.mean, f.baseline, f.z, f.arrow)


def _most_recharging_first(rest: Rest) -> Rest:
    """The page lists the kinds of rest from most to least recharging (ties in A.3 order)."""
    return replace(rest, by_type=tuple(sorted(rest.by_type, key=lambda t: -t.mean_recharged)))
