"""DOMAIN D.1's time frame: the ISO week, the records it reads, its day columns and the
8-week overview.

A record belongs to the week of its own `date`, even though its yesterday-fields (load, rest,
evening, contact, walk) describe the day before: the charts put every answer on the morning it
was given.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final

from journal.domain.checkin import CheckIn
from journal.domain.metrics import (
    REFERENCE_FIRST,
    recovery_index,
    sleep_efficiency,
    total_sleep_time,
)
from journal.domain.rules import HORIZON_DAYS
from journal.domain.summary.figures import week_end, week_mean
from journal.domain.summary.model import Day, WeekMetric, WeekPoint

TREND_WEEKS: Final = 8  # the overview of weekly means, this week included


def window(week_start: date) -> tuple[date, date]:
    """The dates (inclusive) whose records :func:`week_summary` reads, besides the first record
    and the first ANCHOR_N valid ones (the anchor of the week's figures).

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


def day_of(day: date, record: CheckIn | None, today: date, missing: bool) -> Day:
    """One chart column: the record's answers, or a day without one (missing, in the future,
    or before the first record)."""
    if record is None:
        return Day(day, future=day > today, checked_in=False, missing=missing)
    return Day(
        day,
        future=False,
        checked_in=True,
        missing=False,
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


def week_points(
    ordered: Sequence[CheckIn], dates: Sequence[date], week_start: date
) -> tuple[WeekPoint, ...]:
    """The 8-week overview ending with the week of `week_start`, oldest first."""
    points = []
    for back in range(TREND_WEEKS - 1, -1, -1):
        start = week_start - timedelta(weeks=back)
        records = ordered[bisect_left(dates, start) : bisect_right(dates, week_end(start))]
        points.append(
            WeekPoint(
                start,
                len(records),
                week_mean(records, WeekMetric.RI),
                week_mean(records, WeekMetric.AI),
                current=back == 0,
            )
        )
    return tuple(points)
