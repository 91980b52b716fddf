"""DOMAIN D.2 as plain data: the coach summary's parts, ids and exact numbers, no words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from journal.domain.checkin import RestType
from journal.domain.lifecycle import Dismissal, Event
from journal.domain.rules import Flag, FlagResult, Level, Link, Reason, State
from journal.domain.summary import (
    Contact,
    MetricFigures,
    Movement,
    Quadrant,
    Rest,
    WeekFigures,
    WeekMetric,
)

# The rows of the D.2 metrics table are G.3's metrics, in the same order.
Row = WeekMetric


@dataclass(frozen=True, slots=True)
class Checkins:
    """D.2 check-ins: n of the week's days so far, and the dates without a record (G.3)."""

    n: int
    days: int  # the days that count: from the first record (or Monday) through today
    missing: tuple[date, ...]  # from the first record on; earlier days are "not started yet"
    started: date | None  # the first record's date when it falls inside the week
    gap: bool  # CHECKIN_GAP active on the last day


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

    link: Link
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
    """One ISO week of the period (the last one cut off at today): the trajectory and the
    weekly trends, each figure taken from that week's G.3 figures."""

    first: date
    last: date
    checkins: int
    ri: Fraction | None
    ai: Fraction | None
    quadrant: Quadrant | None  # None with fewer than 4 check-ins (G.3)
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
    reasons: tuple[Reason, ...]  # every reason seen in the episode, in spec order
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
    week: WeekFigures  # G.3: the ISO week of today, cut off at today
    checkins: Checkins
    active: tuple[FlagResult, ...]  # active on the last day, by C.12 priority
    timeline: Timeline
    rest_period: RestProfile
    carrying_alone: bool  # CARRYING_ALONE active on a day of the period: the network prompt
    blocks: tuple[Block, ...]  # oldest first; the last one is the week
    signposts: tuple[SignpostEpisode, ...]  # by first active day
    notes: tuple[SharedNote, ...]  # only the notes the person ticked, inside the period

    @property
    def week_first(self) -> date:
        return self.week.start

    @property
    def metrics(self) -> tuple[MetricFigures, ...]:
        """The metrics table, in Row order: the week's G.3 figures."""
        return self.week.metrics

    @property
    def rest_week(self) -> Rest:
        return self.week.rest

    @property
    def contact_week(self) -> Contact:
        return self.week.contact

    @property
    def movement_week(self) -> Movement:
        return self.week.movement

    @property
    def pattern(self) -> Quadrant | None:
        """The week's quadrant; None with fewer than 4 check-ins (G.3)."""
        return self.week.pattern

    def metric(self, row: Row) -> MetricFigures:
        return self.week.metric(row)
