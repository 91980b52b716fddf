"""DOMAIN D.2's time frame: the shared period, the week, its check-ins and weekly blocks.

A share link is rolling ("the coach always sees the latest"): the period and the flag timeline
end on the last day shown. The week is G.3's, the ISO week of today cut off at today, the same
week as the person's week page; the trajectory's blocks are the ISO weeks of the period, the
last one being that week.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final

from journal.domain.checkin import CheckIn
from journal.domain.coach.model import Block, Checkins
from journal.domain.rules import HORIZON_DAYS, FlagResult
from journal.domain.summary import WEEK_DAYS, WeekFigures, WeekMetric, week_figures

PERIOD_WEEKS: Final = (2, 4, 8)  # what a person can share
TRAJECTORY_WEEKS: Final = 8  # D.2: the pattern mix is shown with its 8-week trajectory
LEAD_IN_DAYS: Final = 14  # evaluated before the first shown day, never shown (see the package doc)

_DAY: Final = timedelta(days=1)


def check_weeks(weeks: int) -> int:
    if weeks not in PERIOD_WEEKS:
        raise ValueError(f"a shared period is 2, 4 or 8 weeks, not {weeks}")
    return weeks


def window(today: date, weeks: int) -> tuple[date, date]:
    """The dates (inclusive) whose records :func:`coach_summary` reads, besides the first
    record and the first ANCHOR_N valid ones.

    The deepest read is the rules' horizon (HORIZON_DAYS) before the lead-in before the
    period's first day, with the period ending on yesterday at the earliest.
    """
    check_weeks(weeks)
    earliest_last_day = today - _DAY
    period_first = earliest_last_day - timedelta(days=WEEK_DAYS * weeks - 1)
    first = period_first - timedelta(days=LEAD_IN_DAYS + HORIZON_DAYS)
    # This week's baseline reference (Monday−28 …) and the previous week lie well inside this.
    return first, today


def period_of(today: date, weeks: int, checked_in_today: bool) -> tuple[date, date]:
    """The first and last day shown for a period of `weeks` weeks."""
    last_day = today if checked_in_today else today - _DAY
    return last_day - timedelta(days=WEEK_DAYS * check_weeks(weeks) - 1), last_day


def between(records: Sequence[CheckIn], first: date, last: date) -> list[CheckIn]:
    return [r for r in records if first <= r.date <= last]


def blocks(
    records: Sequence[CheckIn], week: WeekFigures, today: date, count: int
) -> tuple[Block, ...]:
    """The last `count` ISO weeks, oldest first; the last is `week` (this week, up to today).

    Each block takes its figures from week_figures, so the pattern needs 4 check-ins there too.
    The baselines those figures hold are not used (they need history the caller need not load).
    """
    found = []
    for back in range(count - 1, -1, -1):
        monday = week.start - timedelta(weeks=back)
        f = week if back == 0 else week_figures(records, monday, today)
        found.append(
            Block(
                first=f.start,
                last=f.through,
                checkins=f.checkins,
                ri=f.metric(WeekMetric.RI).mean,
                ai=f.metric(WeekMetric.AI).mean,
                quadrant=f.pattern,
                support_mean=f.contact.support_mean,
                meaningful_days=f.contact.meaningful_days,
                outdoor_minutes=f.movement.total_minutes,
                walk_days=f.movement.walk_days,
            )
        )
    return tuple(found)


def checkins_of(week: WeekFigures, first_record: date | None, gap: FlagResult | None) -> Checkins:
    """The week's check-ins (G.3); days before the person's first record are not missing."""
    started = first_record if first_record is not None and first_record > week.start else None
    return Checkins(
        n=week.checkins,
        days=week.days,
        missing=week.missing_dates,
        started=started,
        gap=gap is not None and gap.active,
    )
