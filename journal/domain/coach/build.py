"""DOMAIN D.2: the coach summary put together from its parts (see the package doc)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from journal.domain.checkin import CheckIn
from journal.domain.coach.model import CoachSummary, SharedNote
from journal.domain.coach.period import (
    LEAD_IN_DAYS,
    TRAJECTORY_WEEKS,
    blocks,
    checkins_of,
    period_of,
)
from journal.domain.coach.rest import rest_profile
from journal.domain.coach.timeline import (
    TIMELINE_DAYS,
    empty_results,
    signpost_episodes,
    timeline_of,
)
from journal.domain.lifecycle import DayState, Dismissal, by_priority, events
from journal.domain.rules import HORIZON_DAYS, Flag, FlagResult, evaluate_range
from journal.domain.summary import monday_of, week_figures


def coach_summary(
    records: Sequence[CheckIn],
    dismissals: Iterable[Dismissal],
    today: date,
    weeks: int,
    shared_notes: Iterable[date] = (),
) -> CoachSummary:
    """D.2 for the last `weeks` weeks as seen on `today`.

    `records` are the person's records dated :func:`window`, plus their first record and their
    first ANCHOR_N valid records (any order, at most one per date); records after today are
    ignored. `dismissals` are the person's signpost dismissals (any dates). `shared_notes` are
    the dates whose notes the person ticked for this link; a note is shown only when its date
    is among them and inside the period. Without ticks no note text leaves this function.
    """
    ordered = sorted((r for r in records if r.date <= today), key=lambda r: r.date)
    first_record = ordered[0].date if ordered else None
    checked_in_today = bool(ordered) and ordered[-1].date == today
    period_first, last_day = period_of(today, weeks, checked_in_today)
    # G.3: the same week, and the same figures, as the person's week page (its anchor reads
    # the whole diary, like `flask summary`; in the app nothing lies after today).
    week = week_figures(records, monday_of(today), today)

    # The rules get only the window they can reach, plus the first record (warm-up, gap).
    eval_first = period_first - timedelta(days=LEAD_IN_DAYS)
    reach = eval_first - timedelta(days=HORIZON_DAYS)
    reachable = [r for r in ordered if r.date >= reach or r is ordered[0]]
    results: Mapping[date, Sequence[FlagResult]] = (
        evaluate_range(reachable, eval_first, last_day)
        if reachable
        else empty_results(eval_first, last_day)
    )
    found = events(DayState.of(day, r) for day, day_results in results.items() for r in day_results)

    timeline_first = max(period_first, last_day - timedelta(days=TIMELINE_DAYS - 1))
    timeline_days = [
        timeline_first + timedelta(days=i) for i in range((last_day - timeline_first).days + 1)
    ]
    period_days = [d for d in results if d >= period_first]

    on_last: Sequence[FlagResult] = results[last_day]
    gap = next((r for r in on_last if r.flag is Flag.CHECKIN_GAP), None)
    shared = frozenset(shared_notes)
    notes = tuple(
        SharedNote(r.date, r.note)
        for r in ordered
        if r.note and r.date in shared and period_first <= r.date <= last_day
    )
    return CoachSummary(
        today=today,
        last_day=last_day,
        weeks=weeks,
        period_first=period_first,
        week=week,
        checkins=checkins_of(week, first_record, gap),
        active=tuple(by_priority(on_last)),
        timeline=timeline_of(results, found, timeline_days),
        rest_period=rest_profile(ordered, period_first, last_day),
        carrying_alone=any(
            r.flag is Flag.CARRYING_ALONE and r.active for d in period_days for r in results[d]
        ),
        blocks=blocks(records, week, today, min(weeks, TRAJECTORY_WEEKS)),
        signposts=signpost_episodes(results, found, dismissals, period_first, last_day),
        notes=notes,
    )
