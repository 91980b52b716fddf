"""DOMAIN D.2: the coach summary, as plain data (ids and exact numbers, no words).

:func:`coach_summary` is pure: it is handed the records, the person's signpost dismissals and
`today`, and returns a :class:`CoachSummary` with every part of D.2. The web layer words it (in
Dutch or English) for the coach page and the PDF, and :mod:`journal.web.coach_charts` draws it.

Readings where D.2 leaves room (each is also noted where it is computed):

- **The week is G.3's**: the ISO week of today, cut off at today, with every figure of it
  (check-ins, missing dates, the metrics table's mean, B, z, anchor and change from the previous
  week, rest, contact, movement, the pattern) taken from
  :func:`~journal.domain.summary.week_figures`, the computation behind the person's week page
  and `flask summary`. So the coach and the person see the same week and the same numbers.
  Today without a record is missing (G.3 includes the cut-off day); days before the first
  record are not. The pattern needs 4 check-ins in the week.
- **The flags end on :attr:`CoachSummary.last_day`**: today when today's check-in exists, else
  yesterday, so the flags are never judged on a day the person has not filled in yet. The flag
  timeline and the period end on that day too.
- **The trajectory's blocks are ISO weeks**, the last one this week (up to today), each from
  week_figures; the support and outdoor trends use the same blocks.
- **The period bounds everything.** The person chose 2, 4 or 8 weeks; nothing dated outside it
  is shown. So the 4-week flag timeline is 2 weeks long for a 2-week link, and the "8-week
  trajectory" has as many points as the period has weeks. Two figures are exceptions by nature,
  because D.2 asks for them: the personal baseline B (a median over the 28 days before the
  week) and the anchor baseline (the median of the first 14 valid records) are single numbers
  about the person's usual level, not days.
- **Rest minutes by type** (over the period): a record with two rest types splits its minutes
  evenly between them, so the per-type minutes add up to the total; its one rest_recharged
  answer counts for both types (the form asks once). The ratio by type is the share of days
  with that type on which the rest recharged (rest_recharged ≥ 3), the D.1 "rest that
  recharged" measure per type.
- **Flag states** are computed with :func:`~journal.domain.rules.evaluate_range`, from a
  lead-in of :data:`LEAD_IN_DAYS` before the first shown day so that an onset, escalation or
  resolution on the first shown days is told correctly; events in the lead-in are not shown.
- **Signposts** are told as episodes (onset to resolved, or still going) that were active on
  at least one day of the period, with the union of their reasons and the dismissals made
  during the episode.

Cost: the caller hands in the records dated :func:`window` plus the person's first record
(warm-up, CHECKIN_GAP) and their first :data:`~journal.domain.metrics.ANCHOR_N` valid records
(the anchor). Nothing here reads further, so the work is the same after five years as after
five weeks.

The parts: ``model`` (the plain data), ``period`` (the period, the week's check-ins and the
weekly blocks), ``rest`` (the rest profile of the period), ``timeline`` (flag lanes, chain
links, signpost episodes) and ``build`` (:func:`coach_summary`).
"""

from journal.domain.coach.build import coach_summary
from journal.domain.coach.model import (
    Block,
    Cell,
    ChainRow,
    Checkins,
    CoachSummary,
    Lane,
    RestProfile,
    RestTypeRow,
    Row,
    SharedNote,
    SignpostEpisode,
    Timeline,
)
from journal.domain.coach.period import (
    LEAD_IN_DAYS,
    PERIOD_WEEKS,
    TRAJECTORY_WEEKS,
    check_weeks,
    period_of,
    window,
)
from journal.domain.coach.rest import rest_profile
from journal.domain.coach.timeline import REASON_ORDER, TIMELINE_DAYS, signpost_episodes
from journal.domain.summary import ACTIVATED_FROM, LOW_RECOVERY_BELOW, Quadrant, quadrant

__all__ = [
    "ACTIVATED_FROM",
    "LEAD_IN_DAYS",
    "LOW_RECOVERY_BELOW",
    "PERIOD_WEEKS",
    "REASON_ORDER",
    "TIMELINE_DAYS",
    "TRAJECTORY_WEEKS",
    "Block",
    "Cell",
    "ChainRow",
    "Checkins",
    "CoachSummary",
    "Lane",
    "Quadrant",
    "RestProfile",
    "RestTypeRow",
    "Row",
    "SharedNote",
    "SignpostEpisode",
    "Timeline",
    "check_weeks",
    "coach_summary",
    "period_of",
    "quadrant",
    "rest_profile",
    "signpost_episodes",
    "window",
]
