"""DOMAIN G.3 and D.1: one ISO week's figures, and the person's weekly summary built on them.

:func:`week_figures` (G.3) is the one computation of a week's numbers: the person's week page,
the coach page and its PDF (journal.domain.coach) and `flask summary` all take their week from
it, so they cannot disagree. Its module doc lists G.3's readings as followed.
:mod:`.report` writes the figures as G.3's JSON or a plain table.

:func:`week_summary` (D.1) is pure: it is handed the records and `today`, and returns a
:class:`WeekSummary` whose parts follow D.1 in order, every figure taken from
:func:`week_figures`. The web layer words it and :mod:`journal.web.charts` turns its day series
into SVG geometry.

Readings where D.1 leaves room (each is also noted where it is computed):

- **Which records.** "Records dated in that week" (D intro, G.3): a record belongs to the week
  of its own `date`, even though its yesterday-fields (load, rest, evening, contact, walk)
  describe the day before. So Monday's record brings the Sunday evening before the week; that
  is how the check-in is built (A.1) and the charts put every answer on the morning it was given.
- **Illness.** Means, counts and day series use every record of the week, illness-tagged ones
  included (G.3). Only the baselines leave illness and travel/shift days out (B.3), and "what
  may have helped" leaves illness mornings out (see below).
- **Arrows** are G.3's: the week's mean against B and S of the 28 days before the week's
  Monday; |z| ≥ 0.5 gives ↑ or ↓ by the sign of z, otherwise →.
- **Missing days** start at the person's first record: a new person is not counted against
  days before they began (G.3). `days_counted` is the days that count so far.
- **What stood out** reads the flags on the week's last *evaluated* day: Sunday for a past
  week, today for the current one. The chain and the early signs merge into one item as on the
  cards (C.12); at most three items, signposts first by priority, IMPROVING last.
- **What may have helped.** A record's yesterday-fields (walk, contact, rest) describe the day
  before its date, and the same record's RI is the morning after that day. So "the next-morning
  RI after a walk" is the RI of the very record that reports the walk; no pairing of records
  across dates is needed, and a missing day cannot pair the wrong morning. Groups are the records
  of the week (illness-tagged mornings left out: a flu morning would otherwise read as "no walk,
  low recovery"), split by the factor: walk ≥ 20 min vs the rest, meaningful contact vs the rest,
  a rest day whose rest recharged (≥ 3) vs the rest. A comparison is kept only when each side has
  ≥ 2 mornings and the factor's side is at least 5 RI points *higher*: the section is "what may
  have helped", so a factor that went with lower mornings is not listed there.
- **Heaviest day** is G.3's heaviest record (earliest on a tie); the page names the day its load
  describes, the record's date − 1 (day_load asks about yesterday).
- **Rest per type** is G.3's (types used on ≥ 2 rest days), listed from most to least recharging.

Cost: the caller hands in the records dated :func:`window` (week_start − 49 days … Sunday) plus
the person's very first record (the rules' warm-up, CHECKIN_GAP, the first missing day) and
their first ANCHOR_N valid records (the anchor). This covers the 8-week series (7 weeks back),
the baselines (28 days back), the previous week and the flags of the last evaluated day
(:data:`~journal.domain.rules.HORIZON_DAYS` back). Nothing here reads further, so the work per
week is the same after five years as after five weeks.

The parts: ``model`` (the plain data), ``figures`` (G.3: :func:`week_figures`), ``report``
(its JSON and table), ``period`` (the records a week reads, the day columns and the 8-week
overview), ``highlights`` (D.1 items 9–10) and ``build`` (:func:`week_summary`).
"""

from journal.domain.summary.build import (
    EVENING_METRICS,
    MORNING_METRICS,
    week_summary,
)
from journal.domain.summary.figures import (
    ARROW_Z,
    BASELINE_METRIC,
    PATTERN_MIN_CHECKINS,
    REST_TYPE_MIN_DAYS,
    SPREAD_FLOOR,
    WALK_DAY_FROM,
    WEEK_DAYS,
    contact_of,
    iso_week,
    monday_of,
    movement_of,
    parse_week,
    scaled_values,
    week_end,
    week_figures,
    week_mean,
)
from journal.domain.summary.highlights import (
    HELPED_MIN_DIFFERENCE,
    HELPED_MIN_MORNINGS,
    MAX_STOOD_OUT,
    WALK_HELPED_FROM,
)
from journal.domain.summary.model import (
    ACTIVATED_FROM,
    LOW_RECOVERY_BELOW,
    Contact,
    Day,
    Factor,
    HeaviestDay,
    Helped,
    Load,
    Measure,
    MetricFigures,
    Movement,
    Quadrant,
    Rest,
    RestTypeMean,
    Sleep,
    StoodOut,
    Trend,
    WeekFigures,
    WeekMetric,
    WeekPoint,
    WeekSummary,
    quadrant,
)
from journal.domain.summary.period import TREND_WEEKS, window

__all__ = [
    "ACTIVATED_FROM",
    "ARROW_Z",
    "BASELINE_METRIC",
    "EVENING_METRICS",
    "HELPED_MIN_DIFFERENCE",
    "HELPED_MIN_MORNINGS",
    "LOW_RECOVERY_BELOW",
    "MAX_STOOD_OUT",
    "MORNING_METRICS",
    "PATTERN_MIN_CHECKINS",
    "REST_TYPE_MIN_DAYS",
    "SPREAD_FLOOR",
    "TREND_WEEKS",
    "WALK_DAY_FROM",
    "WALK_HELPED_FROM",
    "WEEK_DAYS",
    "Contact",
    "Day",
    "Factor",
    "HeaviestDay",
    "Helped",
    "Load",
    "Measure",
    "MetricFigures",
    "Movement",
    "Quadrant",
    "Rest",
    "RestTypeMean",
    "Sleep",
    "StoodOut",
    "Trend",
    "WeekFigures",
    "WeekMetric",
    "WeekPoint",
    "WeekSummary",
    "contact_of",
    "iso_week",
    "monday_of",
    "movement_of",
    "parse_week",
    "quadrant",
    "scaled_values",
    "week_end",
    "week_figures",
    "week_mean",
    "week_summary",
    "window",
]
