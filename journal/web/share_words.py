"""The coach summary's words and numbers in the reader's language, and the share page's words.

Everything here renders inside the locale that is active (the coach's, or the person's for
their own PDF): the tables are lazy strings, the helpers format with Flask-Babel. A flag's,
reason's, level's or chain link's words are not here: they come from `journal.web.words`, the
same place the person's cards take theirs from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from fractions import Fraction
from typing import Any, Final
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import format_datetime as babel_format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from journal.domain.coach import CoachSummary, Quadrant, Row
from journal.domain.lifecycle import SIGNPOSTS
from journal.domain.rules import FlagResult
from journal.domain.summary import MetricFigures, Movement, Trend
from journal.store.share_links import LinkStatus, ViewKind
from journal.web import charts, coach_charts, share_tables, words
from journal.web.checkin_form import answer_labels
from journal.web.numbers import clock, number, signed

# --- The coach summary's words ------------------------------------------------------------------


class Kind(StrEnum):
    """How a measure's numbers are written."""

    SCORE = "score"
    MINUTES = "minutes"
    CLOCK = "clock"  # h:mm
    PERCENT = "percent"


@dataclass(frozen=True)
class RowInfo:
    """A measure of the metrics table in plain words: no coach has to know the abbreviations."""

    label: LazyString  # its plain name
    explain: LazyString  # one line under the name: its scale and which way is better
    kind: Kind
    places: int
    abbr: str = ""  # RI, AI: letters a coach meets elsewhere, shown with `explain` as title

    @property
    def duration(self) -> bool:
        """Longer and shorter, not higher and lower."""
        return self.kind in (Kind.MINUTES, Kind.CLOCK)


ROWS: Final[Mapping[Row, RowInfo]] = {
    Row.RI: RowInfo(
        _l("Recovery score"),
        _l(
            "0–100, from three morning answers: sleep recharged, energy, ease of getting going; "
            "higher is better"
        ),
        Kind.SCORE,
        0,
        "RI",
    ),
    Row.AI: RowInfo(
        _l("Evening activation"),
        _l("0–100, from tension at bedtime and how hard letting go was; higher is more tense"),
        Kind.SCORE,
        0,
        "AI",
    ),
    Row.MORNING_ENERGY: RowInfo(_l("Morning energy"), _l("0–10; higher is better"), Kind.SCORE, 1),
    Row.REFRESHED: RowInfo(_l("Sleep recharged"), _l("0–4; higher is better"), Kind.SCORE, 1),
    Row.STARTUP_EFFORT: RowInfo(
        _l("Effort to get going"), _l("0–10; higher is harder"), Kind.SCORE, 1
    ),
    Row.LETTING_GO: RowInfo(
        _l("Letting go in the evening"), _l("0–10; higher is better"), Kind.SCORE, 1
    ),
    Row.BEDTIME_TENSION: RowInfo(
        _l("Tension at bedtime"), _l("0–10; higher is more tense"), Kind.SCORE, 1
    ),
    Row.DAY_LOAD: RowInfo(_l("Load of the day"), _l("0–10; higher is heavier"), Kind.SCORE, 1),
    Row.TST: RowInfo(
        _l("Total sleep"), _l("hours:minutes: the time in bed minus the time awake"), Kind.CLOCK, 0
    ),
    Row.SOL: RowInfo(_l("Time to fall asleep"), _l("minutes; lower is better"), Kind.MINUTES, 0),
    Row.WASO: RowInfo(
        _l("Awake after falling asleep"), _l("minutes; lower is better"), Kind.MINUTES, 0
    ),
    Row.SE: RowInfo(
        _l("Sleep efficiency"),
        _l("percent of the time in bed spent asleep; higher is better"),
        Kind.PERCENT,
        0,
    ),
}


class Deviation(StrEnum):
    """The week against the client's usual level, in words instead of z: G.3's arrow gives the
    direction (|z| ≥ 0.5), and from |z| ≥ CLEARLY_FROM it is "clearly" so."""

    CLEARLY_LOWER = "clearly_lower"
    LOWER = "lower"
    AS_USUAL = "as_usual"
    HIGHER = "higher"
    CLEARLY_HIGHER = "clearly_higher"


# Three times B.3's smallest worthwhile change (0.5): far enough to say "clearly".
CLEARLY_FROM: Final = Fraction(3, 2)
MOVED_MOST: Final = 4  # the figures the glance names: what a coach takes in at once

DEVIATIONS: Final[Mapping[Deviation, LazyString]] = {
    Deviation.CLEARLY_LOWER: _l("clearly lower"),
    Deviation.LOWER: _l("lower"),
    Deviation.AS_USUAL: _l("as usual"),
    Deviation.HIGHER: _l("higher"),
    Deviation.CLEARLY_HIGHER: _l("clearly higher"),
}
DURATION_DEVIATIONS: Final[Mapping[Deviation, LazyString]] = {
    Deviation.CLEARLY_LOWER: _l("clearly shorter"),
    Deviation.LOWER: _l("shorter"),
    Deviation.AS_USUAL: _l("as usual"),
    Deviation.HIGHER: _l("longer"),
    Deviation.CLEARLY_HIGHER: _l("clearly longer"),
}

QUADRANTS: Final = {
    Quadrant.ACTIVATED_LOW_RECOVERY: _l("activated, low recovery"),
    Quadrant.LOW_ACTIVATION_LOW_RECOVERY: _l("low activation, low recovery"),
    Quadrant.ACTIVATED_RECOVERING: _l("activated, recovering"),
    Quadrant.SETTLED: _l("settled"),
}
# The week's pattern in plain words, D.2's gloss included: what the glance says.
PATTERN_SAID: Final = {
    Quadrant.ACTIVATED_LOW_RECOVERY: _l(
        "Tense evenings and mornings with little recovery: rest doesn't land, the mind keeps "
        "scanning."
    ),
    Quadrant.LOW_ACTIVATION_LOW_RECOVERY: _l(
        "Calm evenings, yet mornings with little recovery: depleted, energy comes first."
    ),
    Quadrant.ACTIVATED_RECOVERING: _l("Tense evenings, yet mornings that recover."),
    Quadrant.SETTLED: _l("Calm evenings and recovered mornings."),
}
REST_TYPES: Final = answer_labels("rest_types")
INTENSITIES: Final = answer_labels("movement_intensity")
BROWSER_NAMES: Final = {
    "Chrome": "Chrome",
    "Firefox": "Firefox",
    "Safari": "Safari",
    "Edge": "Edge",
    "other": _l("other browser"),
}
VIEW_KINDS: Final = {ViewKind.PAGE: _l("page"), ViewKind.PDF: _l("PDF")}
STATUS: Final = {
    LinkStatus.OPEN: _l("open"),
    LinkStatus.REVOKED: _l("revoked"),
    LinkStatus.EXPIRED: _l("expired"),
}


# --- Numbers in the reader's language ------------------------------------------------------------


def _formatted(value: Fraction | None, info: RowInfo, change: bool = False) -> str:
    if info.kind is Kind.CLOCK:
        return clock(value, sign=change)
    return signed(value, info.places) if change else number(value, info.places)


def with_unit(value: Fraction | None, info: RowInfo) -> str:
    """A figure as a sentence says it: "10 min", "95%", "7:30", "5,5"."""
    text = _formatted(value, info)
    if value is None:
        return text
    if info.kind is Kind.MINUTES:
        return str(_("%(n)s min", n=text))
    if info.kind is Kind.PERCENT:
        return str(_("%(n)s%%", n=text))
    return text


def deviation(m: MetricFigures) -> Deviation | None:
    """None without a usual level (or without a mean) to compare with."""
    if m.z is None or m.arrow is None:
        return None
    clearly = abs(m.z) >= CLEARLY_FROM
    if m.arrow is Trend.UP:
        return Deviation.CLEARLY_HIGHER if clearly else Deviation.HIGHER
    if m.arrow is Trend.DOWN:
        return Deviation.CLEARLY_LOWER if clearly else Deviation.LOWER
    return Deviation.AS_USUAL


def deviation_words(m: MetricFigures) -> str:
    found = deviation(m)
    if found is None:
        return "–"
    return str((DURATION_DEVIATIONS if ROWS[m.metric].duration else DEVIATIONS)[found])


def row_cells(summary: CoachSummary) -> list[dict[str, Any]]:
    """The metrics table, formatted: this week, usual, deviation, since start, change."""
    out = []
    for m in summary.metrics:
        info = ROWS[m.metric]
        out.append(
            {
                "row": m.metric,
                "info": info,
                "label": info.label,
                "mean": _formatted(m.mean, info),
                "baseline": _formatted(m.baseline.median if m.baseline else None, info),
                "deviation": deviation_words(m),
                "arrow": m.arrow.value if m.arrow else "",
                "clearly": deviation(m) in (Deviation.CLEARLY_LOWER, Deviation.CLEARLY_HIGHER),
                "anchor": _formatted(m.anchor, info),
                "change": _formatted(m.change, info, change=True),
            }
        )
    return out


def moved_most(summary: CoachSummary) -> list[str]:
    """The figures furthest from the client's usual level (|z|, furthest first; ties keep
    G.3's order), at most MOVED_MOST and only those G.3's arrow calls up or down, as
    sentences: "Recovery score 34, lower than usual (45)"."""
    moved = [m for m in summary.metrics if m.z is not None and m.arrow in (Trend.UP, Trend.DOWN)]
    moved.sort(key=lambda m: -abs(m.z or Fraction(0)))
    return [
        _(
            "%(measure)s %(value)s, %(change)s than usual (%(usual)s)",
            measure=ROWS[m.metric].label,
            value=with_unit(m.mean, ROWS[m.metric]),
            change=deviation_words(m),
            usual=with_unit(m.baseline.median if m.baseline else None, ROWS[m.metric]),
        )
        for m in moved[:MOVED_MOST]
    ]


def signposts_first(active: Sequence[FlagResult]) -> list[FlagResult]:
    """The active flags as the glance lists them: signposts first, then C.12's priority."""
    return sorted(active, key=lambda result: result.flag not in SIGNPOSTS)


def day(value: date) -> str:
    return str(format_date(value, "EEE d MMM"))


def day_list(days: Iterable[date]) -> str:
    return ", ".join(day(d) for d in days)


def _span(first: date, last: date) -> str:
    if first == last:  # a week of one day so far: "7 Dec 2026", not "7 Dec – 7 Dec 2026"
        return str(format_date(last, "d MMM yyyy"))
    return f"{format_date(first, 'd MMM')} – {format_date(last, 'd MMM yyyy')}"


def _short_span(first: date, last: date) -> str:
    if first == last:
        return str(format_date(last, "d MMM"))
    return f"{format_date(first, 'd MMM')} – {format_date(last, 'd MMM')}"


def moment(value: datetime | None, zone: str) -> str:
    if value is None:
        return "–"
    local = value.astimezone(ZoneInfo(zone))
    return str(babel_format_datetime(local, "d MMM yyyy, HH:mm", rebase=False))


def intensity_list(moved: Movement) -> str:
    """'calm 3, moderate 1': the intensities that were answered, in A.3 order."""
    return ", ".join(f"{INTENSITIES[level]} {n}" for level, n in moved.intensity if n)


def summary_context(summary: CoachSummary) -> dict[str, Any]:
    """Everything the summary templates need, built inside the reader's locale."""
    blocks = summary.blocks
    days = summary.timeline.days
    period = _span(summary.period_first, summary.last_day)
    return {
        "s": summary,
        "rows": row_cells(summary),
        "moved": moved_most(summary),
        "has_usual": any(m.baseline is not None for m in summary.metrics),
        "active": signposts_first(summary.active),
        "mix": coach_charts.pattern_mix(blocks, {q: str(name) for q, name in QUADRANTS.items()}),
        "lanes": coach_charts.flag_lanes(
            days, summary.timeline.lanes, [str(format_date(d, "d MMM")) for d in days]
        ),
        "chain_weeks": coach_charts.chain_weeks(days, summary.timeline.chain),
        "support_chart": charts.line_chart(
            [b.support_mean for b in blocks],
            charts.Scale(0, 4, (0, 2, 4)),
            frame=charts.TREND,
            highlight=len(blocks) - 1,
        ),
        "block_labels": [str(format_date(b.last, "d MMM")) for b in blocks],
        "week_tables": share_tables.week_tables(
            blocks, QUADRANTS, ROWS[Row.RI].label, ROWS[Row.AI].label, _short_span
        ),
        "rest_table": share_tables.rest_table(
            summary.rest_period,
            REST_TYPES,
            _("Kinds of rest over the period (%(period)s)", period=period),
        ),
        "words": words,
        # The lanes' labels: the coach's names of the flags.
        "flag_names": {flag: said.coach for flag, said in words.FLAGS.items()},
        "quadrants": QUADRANTS,
        "pattern_said": PATTERN_SAID,
        "number": number,
        "intensity_list": intensity_list,
        "day": day,
        "weekday": lambda value: str(format_date(value, "EEE")),
        "day_list": day_list,
        "span": _span,
        "short_span": _short_span,
        "period": period,
        "week": _span(summary.week.start, summary.week.through),
    }
