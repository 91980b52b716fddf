"""A client's week at a glance for the caseload (issue 20): G.3's check-ins, Herstelscore
(RI) figures and pattern of one ISO week, and when a stored glance may stand in for one
computed from the records (journal.store.week_glances keeps them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from journal.domain.checkin import CheckIn
from journal.domain.metrics import (
    Baseline,
    in_reference,
    reference_window,
    robust_baseline,
    robust_z,
)
from journal.domain.summary import (
    PATTERN_MIN_CHECKINS,
    SPREAD_FLOOR,
    MetricFigures,
    Quadrant,
    WeekMetric,
    quadrant,
    scaled_values,
    week_end,
    week_mean,
)
from journal.domain.summary.figures import arrow_of


@dataclass(frozen=True)
class Glance:
    """What a row shows of one ISO week: G.3's check-ins, Herstelscore figures and pattern.

    The same numbers as week_figures (tests/domain/test_caseload.py checks that), for the two
    metrics a row needs instead of all twelve with their anchors: a caseload computes one
    per client.
    """

    start: date
    checkins: int
    recovery: MetricFigures
    pattern: Quadrant | None


def glance(records: Sequence[CheckIn], week_start: date, today: date) -> Glance:
    """G.3's figures of the week starting on `week_start` (cut off at `today`), for RI and the
    pattern only; `records` must hold :func:`glance_reads_from` … the cut-off."""
    through = min(today, week_end(week_start))
    week = [r for r in records if week_start <= r.date <= through]
    first_ref, last_ref = reference_window(week_end(week_start))
    reference = [r for r in records if first_ref <= r.date <= last_ref and in_reference(r)]
    ri = week_mean(week, WeekMetric.RI)
    scaled, scale = scaled_values(reference, WeekMetric.RI)
    base = robust_baseline(scaled, SPREAD_FLOOR[WeekMetric.RI], scale)
    ai = week_mean(week, WeekMetric.AI)
    pattern = None
    if len(week) >= PATTERN_MIN_CHECKINS and ri is not None and ai is not None:
        pattern = quadrant(ai, ri)
    return glance_of(week_start, len(week), ri, base, pattern)


def glance_reads_from(week_start: date) -> date:
    """The earliest date :func:`glance` reads for a week: the first day of its baseline."""
    return min(week_start, reference_window(week_end(week_start))[0])


def glance_of(
    week_start: date,
    checkins: int,
    ri: Fraction | None,
    base: Baseline | None,
    pattern: Quadrant | None,
) -> Glance:
    """A glance from its parts: what :func:`glance` computes, or what was stored of it
    (journal.store.week_glances); z and the arrow follow from them the same way for both."""
    z = robust_z(ri, base) if ri is not None and base is not None else None
    recovery = MetricFigures(
        metric=WeekMetric.RI,
        mean=ri,
        n=checkins,
        baseline=base,
        z=z,
        arrow=None if z is None else arrow_of(z),
        anchor=None,  # not a row's business: "since start" is on the summary
        previous_mean=None,
    )
    return Glance(week_start, checkins, recovery, pattern)


@dataclass(frozen=True)
class KeptGlance:
    """A glance stored when the client's flags were last evaluated, with the last day it had
    (min(today, Sunday) then): journal.store.week_glances."""

    glance: Glance
    through: date


def kept_glance(
    kept: Mapping[date, KeptGlance] | None,
    week_start: date,
    today: date,
    start: date | None,
    stale_from: date | None,
) -> Glance | None:
    """The stored glance of the week, if it is what :func:`glance` gives on the records in
        scope now: the scope reaches back over every day it read, no save since touched its days
        (`stale_from`, the client's mark of days to evaluate again), and it was not stored on a
        day still to come (a clock set back). `start` is the scope's first day (None: everything),
    `today` the client's. Else None: compute it from the records."""
    found = (kept or {}).get(week_start)
    if found is None:
        return None
    holds = (
        found.through <= min(today, week_end(week_start))
        and (start is None or start <= glance_reads_from(week_start))
        and (stale_from is None or stale_from > week_end(week_start))
    )
    return found.glance if holds else None
