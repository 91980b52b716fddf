"""DOMAIN D.2: the coach summary, as plain data (ids and exact numbers, no words).

:func:`coach_summary` is pure: it is handed the records, the person's signpost dismissals and
`today`, and returns a :class:`CoachSummary` with every part of D.2. The web layer words it (in
Dutch or English) for the coach page and the PDF, and :mod:`journal.web.coach_charts` draws it.

Readings where D.2 leaves room (each is also noted where it is computed):

- **The week is rolling.** A share link is rolling ("the coach always sees the latest"), so
  "the week" is the last seven days ending on :attr:`CoachSummary.last_day`, not an ISO week.
  That day is today when today's check-in exists, else yesterday: a coach who opens the link
  before the person has filled in today should not read "missing: today". Every 7-day block of
  the period (the pattern-mix trajectory, the support and outdoor trends) ends on that day too.
- **The period bounds everything.** The person chose 2, 4 or 8 weeks; nothing dated outside it
  is shown. So the 4-week flag timeline is 2 weeks long for a 2-week link, and the "8-week
  trajectory" has as many points as the period has weeks. Two figures are exceptions by nature,
  because D.2 asks for them: the personal baseline B (a median over the 28 days before the
  week) and the anchor baseline (the median of the first 14 valid records) are single numbers
  about the person's usual level, not days.
- **Means describe the week as reported**: every record counts, illness-tagged ones too, as in
  the person's own weekly view (journal.domain.summary). Only baselines leave illness and
  travel/shift days out (B.3), and the anchor uses valid records (B.3).
- **SOL, WASO and SE** have no baseline in B.3, but D.2 asks for B and z of them. They get one
  by exactly the B.3 method (same window, exclusions, BASE_MIN_N, median and 1.4826 × MAD) with
  spread floors chosen here in the spirit of S_FLOOR (:data:`EXTRA_S_FLOOR`).
- **Rest minutes by type**: a record with two rest types splits its minutes evenly between them,
  so the per-type minutes add up to the total; its one rest_recharged answer counts for both
  types (the form asks once). The ratio by type is the share of days with that type on which
  the rest recharged (rest_recharged ≥ 3), the D.1 "rest that recharged" measure per type.
- **Flag states** are computed here with :func:`~journal.domain.rules.evaluate_range`, from a
  lead-in of :data:`LEAD_IN_DAYS` before the first shown day so that an onset, escalation or
  resolution on the first shown days is told correctly; events in the lead-in are not shown.
- **Signposts** are told as episodes (onset to resolved, or still going) that were active on
  at least one day of the period, with the union of their reasons and the dismissals made
  during the episode.

Cost: the caller hands in the records dated :func:`window` plus the person's first record
(warm-up, CHECKIN_GAP) and their first :data:`~journal.domain.metrics.ANCHOR_N` valid records
(the anchor). Nothing here reads further, so the work is the same after five years as after
five weeks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Final

from journal.domain.checkin import CheckIn, RestType
from journal.domain.lifecycle import (
    PRIORITY,
    DayState,
    Dismissal,
    Event,
    EventKind,
    by_priority,
    events,
)
from journal.domain.metrics import (
    BASE_MIN_N,
    MAD_SCALE,
    Baseline,
    Metric,
    anchor_records,
    baseline,
    in_reference,
    median,
    metric_value,
    recharged,
    reference_window,
    rest_day,
    robust_z,
    sleep_efficiency,
)
from journal.domain.metrics import mean as mean_of
from journal.domain.rules import (
    HORIZON_DAYS,
    LINK_IDS,
    Flag,
    FlagResult,
    Level,
    State,
    evaluate_range,
)
from journal.domain.summary import WEEK_DAYS, Contact, Movement, contact_of, movement_of

PERIOD_WEEKS: Final = (2, 4, 8)  # what a person can share
TIMELINE_DAYS: Final = 28  # D.2: the flag timeline covers the last 4 weeks
TRAJECTORY_WEEKS: Final = 8  # D.2: the pattern mix is shown with its 8-week trajectory
LEAD_IN_DAYS: Final = 14  # evaluated before the first shown day, never shown (see module doc)
ACTIVATED_FROM: Final = 50  # weekly mean AI at or above this: activated (D.2)
LOW_RECOVERY_BELOW: Final = 50  # weekly mean RI below this: low recovery (D.2)


class Row(StrEnum):
    """The rows of the D.2 metrics table, in D.2 order."""

    RI = "ri"
    AI = "ai"
    MORNING_ENERGY = "morning_energy"
    REFRESHED = "refreshed"
    STARTUP_EFFORT = "startup_effort"
    LETTING_GO = "letting_go"
    BEDTIME_TENSION = "bedtime_tension"
    DAY_LOAD = "day_load"
    TST = "tst"
    SOL = "sol"
    WASO = "waso"
    SE = "se"


# Rows with a B.3 baseline use journal.domain.metrics itself, so the coach and the rules agree.
ROW_METRIC: Final[Mapping[Row, Metric]] = {
    Row.RI: Metric.RI,
    Row.AI: Metric.AI,
    Row.MORNING_ENERGY: Metric.MORNING_ENERGY,
    Row.REFRESHED: Metric.REFRESHED,
    Row.STARTUP_EFFORT: Metric.STARTUP_EFFORT,
    Row.LETTING_GO: Metric.LETTING_GO,
    Row.BEDTIME_TENSION: Metric.BEDTIME_TENSION,
    Row.DAY_LOAD: Metric.DAY_LOAD,
    Row.TST: Metric.TST,
}
# Spread floors for the rows B.3 gives no baseline (see the module doc). About a third of a
# typical night's SOL or WASO, and an SE change of the size that TST's 30-minute floor makes.
EXTRA_S_FLOOR: Final[Mapping[Row, Fraction]] = {
    Row.SOL: Fraction(10),
    Row.WASO: Fraction(10),
    Row.SE: Fraction(5),
}

# Reason ids in the order the spec lists them, for the union over a signpost's episode.
REASON_ORDER: Final[Mapping[Flag, tuple[str, ...]]] = {
    Flag.SIGNPOST_LOOK_FURTHER: ("chain_persistent", "early_signs_3w"),
    Flag.SIGNPOST_DOCTOR: ("sleepiness", "sleep_disorder_signs", "medication", "medical"),
}

_DAY: Final = timedelta(days=1)


def row_value(record: CheckIn, row: Row) -> Fraction:
    """One record's value in the row's unit (minutes for sleep times, percent for SE)."""
    metric = ROW_METRIC.get(row)
    if metric is not None:
        return metric_value(record, metric)
    if row is Row.SOL:
        return Fraction(record.sol_min)
    if row is Row.WASO:
        return Fraction(record.waso_min)
    return sleep_efficiency(record)


# --- Plain data -----------------------------------------------------------------------------


class Quadrant(StrEnum):
    """D.2 pattern mix: weekly mean AI (≥ 50 activated) × weekly mean RI (< 50 low recovery)."""

    ACTIVATED_LOW_RECOVERY = "activated_low_recovery"  # rest doesn't land, the mind keeps scanning
    LOW_ACTIVATION_LOW_RECOVERY = "low_activation_low_recovery"  # depleted, energy first
    ACTIVATED_RECOVERING = "activated_recovering"
    SETTLED = "settled"


def quadrant(ai: Fraction, ri: Fraction) -> Quadrant:
    activated = ai >= ACTIVATED_FROM
    if ri < LOW_RECOVERY_BELOW:
        return (
            Quadrant.ACTIVATED_LOW_RECOVERY if activated else Quadrant.LOW_ACTIVATION_LOW_RECOVERY
        )
    return Quadrant.ACTIVATED_RECOVERING if activated else Quadrant.SETTLED


@dataclass(frozen=True, slots=True)
class Checkins:
    """D.2 check-ins: n of the week's 7 days, and the dates without a record."""

    n: int
    days: int  # 7
    missing: tuple[date, ...]  # from the first record on; earlier days are "not started yet"
    started: date | None  # the first record's date when it falls inside the week
    gap: bool  # CHECKIN_GAP active on the last day


@dataclass(frozen=True, slots=True)
class MetricRow:
    """One row of the metrics table. None wherever there is nothing to compute from."""

    row: Row
    mean: Fraction | None  # the week's mean
    n: int  # records in the week
    baseline: Baseline | None  # personal baseline B (and S) of the last day
    z: Fraction | None  # robust z of the week's mean against B
    anchor: Fraction | None  # "since start": median of the first 14 valid records
    previous: Fraction | None  # the previous week's mean
    change: Fraction | None  # mean − previous


@dataclass(frozen=True, slots=True)
class Cell:
    state: State
    level: Level | None


@dataclass(frozen=True, slots=True)
class Lane:
    """One flag across the timeline's days (only flags active at least once are given)."""

    flag: Flag
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class ChainRow:
    """One row of the chain-link matrix: a link (R0–L5) by day; None = unknown."""

    link: str
    values: tuple[bool | None, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    days: tuple[date, ...]
    events: tuple[Event, ...]  # onset, escalation and resolved events on the shown days
    lanes: tuple[Lane, ...]  # in C.12 priority, IMPROVING last
    chain: tuple[ChainRow, ...]  # R0, L1 … L5


@dataclass(frozen=True, slots=True)
class RestTypeRow:
    rest_type: RestType
    days: int  # records with rest (> 0 min) of this type
    minutes: Fraction  # the type's share of those records' rest minutes
    recharged_days: int  # of those days, rest_recharged ≥ 3
    ratio: Fraction  # recharged_days / days
    mean_recharged: Fraction | None


@dataclass(frozen=True, slots=True)
class RestProfile:
    first: date
    last: date
    rest_days: int  # rest_minutes ≥ REST_MIN (B.2)
    total_minutes: int
    recharged_days: int  # rest days with rest_recharged ≥ 3
    ratio: Fraction | None  # recharged_days / rest_days (D.1's "rest that recharged")
    by_type: tuple[RestTypeRow, ...]  # types used at least once, in A.3 order


@dataclass(frozen=True, slots=True)
class Block:
    """One rolling 7-day block of the period: the trajectory and the weekly trends."""

    first: date
    last: date
    checkins: int
    ri: Fraction | None
    ai: Fraction | None
    quadrant: Quadrant | None
    support_mean: Fraction | None
    meaningful_days: int
    outdoor_minutes: int
    walk_days: int


@dataclass(frozen=True, slots=True)
class SignpostEpisode:
    """A signpost from onset to resolution (or still going) that touched the period."""

    flag: Flag
    onset: date
    resolved: date | None
    first_active: date  # first and last active day inside the period
    last_active: date
    active_now: bool  # active on the last day
    reasons: tuple[str, ...]  # every reason seen in the episode, in spec order
    while_driving: bool  # SIGNPOST_DOCTOR: dozing at the wheel was reported
    dismissals: tuple[Dismissal, ...]  # made during the episode, oldest first

    @property
    def started_before_period(self) -> bool:
        return self.onset < self.first_active


@dataclass(frozen=True, slots=True)
class SharedNote:
    date: date
    text: str


@dataclass(frozen=True, slots=True)
class CoachSummary:
    today: date
    last_day: date  # the last day shown: today if checked in, else yesterday
    weeks: int  # the shared period in weeks
    period_first: date
    week_first: date  # the week is week_first … last_day
    checkins: Checkins
    metrics: tuple[MetricRow, ...]  # in Row order
    active: tuple[FlagResult, ...]  # active on the last day, by C.12 priority
    timeline: Timeline
    rest_week: RestProfile
    rest_period: RestProfile
    contact_week: Contact  # the week's; the period's weeks are in `blocks`
    movement_week: Movement
    carrying_alone: bool  # CARRYING_ALONE active on a day of the period: the network prompt
    blocks: tuple[Block, ...]  # oldest first; the last one is the week
    signposts: tuple[SignpostEpisode, ...]  # by first active day
    notes: tuple[SharedNote, ...]  # only the notes the person ticked, inside the period

    @property
    def pattern(self) -> Quadrant | None:
        """The week's quadrant; None for a week without check-ins."""
        return self.blocks[-1].quadrant if self.blocks else None

    def metric(self, row: Row) -> MetricRow:
        return next(m for m in self.metrics if m.row is row)


# --- Windows --------------------------------------------------------------------------------


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
    # The baseline reference of the last day and the previous week lie well inside this.
    return first, today


def period_of(today: date, weeks: int, checked_in_today: bool) -> tuple[date, date]:
    """The first and last day shown for a period of `weeks` weeks."""
    last_day = today if checked_in_today else today - _DAY
    return last_day - timedelta(days=WEEK_DAYS * check_weeks(weeks) - 1), last_day


# --- Parts ----------------------------------------------------------------------------------


def _between(records: Sequence[CheckIn], first: date, last: date) -> list[CheckIn]:
    return [r for r in records if first <= r.date <= last]


def _extra_baseline(records: Sequence[CheckIn], row: Row, on: date) -> Baseline | None:
    """B.3's method for a row B.3 does not list: same window, exclusions and minimum."""
    first, last = reference_window(on)
    values = [row_value(r, row) for r in records if first <= r.date <= last and in_reference(r)]
    if len(values) < BASE_MIN_N:
        return None
    centre = median(values)
    mad = median(abs(v - centre) for v in values)
    return Baseline(median=centre, spread=max(MAD_SCALE * mad, EXTRA_S_FLOOR[row]), n=len(values))


def _row_baseline(records: Sequence[CheckIn], row: Row, on: date) -> Baseline | None:
    metric = ROW_METRIC.get(row)
    if metric is not None:
        return baseline(records, metric, on)
    return _extra_baseline(records, row, on)


def _metrics(
    ordered: Sequence[CheckIn], week: Sequence[CheckIn], previous: Sequence[CheckIn], last: date
) -> tuple[MetricRow, ...]:
    first_valid = anchor_records(ordered)
    rows = []
    for row in Row:
        mean = mean_of([row_value(r, row) for r in week])
        before = mean_of([row_value(r, row) for r in previous])
        base = _row_baseline(ordered, row, last)
        rows.append(
            MetricRow(
                row=row,
                mean=mean,
                n=len(week),
                baseline=base,
                z=robust_z(mean, base) if mean is not None and base is not None else None,
                anchor=None
                if first_valid is None
                else median(row_value(r, row) for r in first_valid),
                previous=before,
                change=mean - before if mean is not None and before is not None else None,
            )
        )
    return tuple(rows)


def rest_profile(records: Sequence[CheckIn], first: date, last: date) -> RestProfile:
    """Rest by type over first … last: where rest did and did not become recovery."""
    span = _between(records, first, last)
    rest_days = [r for r in span if rest_day(r)]
    recharged_days = sum(1 for r in rest_days if recharged(r))
    by_type = []
    for rest_type in RestType:
        used = [r for r in span if r.rest_minutes > 0 and rest_type in r.rest_types]
        if not used:
            continue
        answers = [r.rest_recharged for r in used if r.rest_recharged is not None]
        days_recharged = sum(1 for r in used if recharged(r))
        by_type.append(
            RestTypeRow(
                rest_type=rest_type,
                days=len(used),
                minutes=sum(
                    (Fraction(r.rest_minutes, len(r.rest_types)) for r in used), Fraction(0)
                ),
                recharged_days=days_recharged,
                ratio=Fraction(days_recharged, len(used)),
                mean_recharged=mean_of(answers),
            )
        )
    return RestProfile(
        first=first,
        last=last,
        rest_days=len(rest_days),
        total_minutes=sum(r.rest_minutes for r in span),
        recharged_days=recharged_days,
        ratio=Fraction(recharged_days, len(rest_days)) if rest_days else None,
        by_type=tuple(by_type),
    )


def _blocks(records: Sequence[CheckIn], last_day: date, count: int) -> tuple[Block, ...]:
    blocks = []
    for back in range(count - 1, -1, -1):
        last = last_day - timedelta(days=WEEK_DAYS * back)
        first = last - timedelta(days=WEEK_DAYS - 1)
        span = _between(records, first, last)
        ri = mean_of([row_value(r, Row.RI) for r in span])
        ai = mean_of([row_value(r, Row.AI) for r in span])
        people = contact_of(span)
        moved = movement_of(span)
        blocks.append(
            Block(
                first=first,
                last=last,
                checkins=len(span),
                ri=ri,
                ai=ai,
                quadrant=quadrant(ai, ri) if ai is not None and ri is not None else None,
                support_mean=people.support_mean,
                meaningful_days=people.meaningful_days,
                outdoor_minutes=moved.total_minutes,
                walk_days=moved.walk_days,
            )
        )
    return tuple(blocks)


def _checkins(
    week: Sequence[CheckIn],
    first_record: date | None,
    week_first: date,
    last_day: date,
    gap: FlagResult | None,
) -> Checkins:
    have = {r.date for r in week}
    missing = []
    day = week_first
    while day <= last_day:
        if day not in have and first_record is not None and day >= first_record:
            missing.append(day)
        day += _DAY
    started = first_record if first_record is not None and first_record > week_first else None
    return Checkins(
        n=len(week),
        days=WEEK_DAYS,
        missing=tuple(missing),
        started=started,
        gap=gap is not None and gap.active,
    )


def _timeline(
    results: Mapping[date, Sequence[FlagResult]], found: Sequence[Event], days: Sequence[date]
) -> Timeline:
    def on(day: date, flag: Flag) -> FlagResult:
        return next(r for r in results[day] if r.flag is flag)

    shown = set(days)
    lanes = []
    for flag in (*PRIORITY, Flag.IMPROVING):
        cells = tuple(Cell(on(d, flag).state, on(d, flag).level) for d in days)
        if any(c.state is State.ACTIVE for c in cells):
            lanes.append(Lane(flag, cells))
    chain = tuple(
        ChainRow(link, tuple(on(d, Flag.REST_NO_RECOVERY).links.get(link) for d in days))
        for link in LINK_IDS
    )
    return Timeline(
        days=tuple(days),
        events=tuple(e for e in found if e.day in shown),
        lanes=tuple(lanes),
        chain=chain,
    )


def _signposts(
    results: Mapping[date, Sequence[FlagResult]],
    found: Sequence[Event],
    dismissals: Iterable[Dismissal],
    period_first: date,
    last_day: date,
) -> tuple[SignpostEpisode, ...]:
    episodes: list[SignpostEpisode] = []
    dismissed = sorted(dismissals, key=lambda d: d.day)
    days = sorted(results)
    for flag in (Flag.SIGNPOST_DOCTOR, Flag.SIGNPOST_LOOK_FURTHER):
        onsets = [e.day for e in found if e.flag is flag and e.kind is EventKind.ONSET]
        resolutions = [e.day for e in found if e.flag is flag and e.kind is EventKind.RESOLVED]
        now_active = next(r for r in results[last_day] if r.flag is flag).active
        end: date | None = None
        for onset in onsets:
            if end is not None and onset <= end:
                continue  # active again before it resolved: the same episode goes on (C.12)
            resolved = next((day for day in resolutions if day > onset), None)
            end = resolved if resolved is not None else last_day
            active = [
                (day, result)
                for day in days
                if onset <= day <= end and day >= period_first
                for result in results[day]
                if result.flag is flag and result.active
            ]
            if not active:
                continue  # the episode lies wholly before the period
            seen = {reason for _, result in active for reason in result.reasons}
            episodes.append(
                SignpostEpisode(
                    flag=flag,
                    onset=onset,
                    resolved=resolved,
                    first_active=active[0][0],
                    last_active=active[-1][0],
                    active_now=resolved is None and now_active,
                    reasons=tuple(r for r in REASON_ORDER[flag] if r in seen),
                    while_driving=any(bool(r.numbers.get("while_driving")) for _, r in active),
                    dismissals=tuple(
                        d for d in dismissed if d.flag is flag and onset <= d.day <= end
                    ),
                )
            )
    return tuple(
        sorted(episodes, key=lambda e: (e.first_active, e.flag is not Flag.SIGNPOST_DOCTOR))
    )


def _empty_results(first: date, last: date) -> dict[date, list[FlagResult]]:
    """What evaluate_range would say about a diary without records: nothing can be judged."""
    out: dict[date, list[FlagResult]] = {}
    day = first
    while day <= last:
        out[day] = [
            FlagResult(
                flag,
                State.INACTIVE if flag is Flag.SIGNPOST_DOCTOR else State.INSUFFICIENT,
                None,
                (),
                dict.fromkeys(LINK_IDS) if flag is Flag.REST_NO_RECOVERY else {},
                {},
            )
            for flag in Flag
        ]
        day += _DAY
    return out


# --- The summary ----------------------------------------------------------------------------


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
    week_first = last_day - timedelta(days=WEEK_DAYS - 1)
    previous_first = week_first - timedelta(days=WEEK_DAYS)

    # The rules get only the window they can reach, plus the first record (warm-up, gap).
    eval_first = period_first - timedelta(days=LEAD_IN_DAYS)
    reach = eval_first - timedelta(days=HORIZON_DAYS)
    reachable = [r for r in ordered if r.date >= reach or r is ordered[0]]
    results: Mapping[date, Sequence[FlagResult]] = (
        evaluate_range(reachable, eval_first, last_day)
        if reachable
        else _empty_results(eval_first, last_day)
    )
    found = events(DayState.of(day, r) for day, day_results in results.items() for r in day_results)

    timeline_first = max(period_first, last_day - timedelta(days=TIMELINE_DAYS - 1))
    timeline_days = [
        timeline_first + timedelta(days=i) for i in range((last_day - timeline_first).days + 1)
    ]
    period_days = [d for d in results if d >= period_first]

    week = _between(ordered, week_first, last_day)
    previous = _between(ordered, previous_first, week_first - _DAY)
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
        week_first=week_first,
        checkins=_checkins(week, first_record, week_first, last_day, gap),
        metrics=_metrics(ordered, week, previous, last_day),
        active=tuple(by_priority(on_last)),
        timeline=_timeline(results, found, timeline_days),
        rest_week=rest_profile(ordered, week_first, last_day),
        rest_period=rest_profile(ordered, period_first, last_day),
        contact_week=contact_of(week),
        movement_week=movement_of(week),
        carrying_alone=any(
            r.flag is Flag.CARRYING_ALONE and r.active for d in period_days for r in results[d]
        ),
        blocks=_blocks(ordered, last_day, min(weeks, TRAJECTORY_WEEKS)),
        signposts=_signposts(results, found, dismissals, period_first, last_day),
        notes=notes,
    )
