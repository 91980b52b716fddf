"""The coach summary's words and numbers in the reader's language, and the share page's words.

Everything here renders inside the locale that is active (the coach's, or the person's for
their own PDF): the tables are lazy strings, the helpers format with Flask-Babel. A flag's,
reason's, level's or chain link's words are not here: they come from `journal.web.words`, the
same place the person's cards take theirs from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any, Final
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import format_datetime as babel_format_datetime
from flask_babel import lazy_gettext as _l

from journal.domain.coach import CoachSummary, Quadrant, Row
from journal.domain.summary import Movement
from journal.store.share_links import LinkStatus, ViewKind
from journal.web import charts, coach_charts, words
from journal.web.checkin_form import answer_labels
from journal.web.numbers import clock, number, signed

# --- The coach summary's words ------------------------------------------------------------------


@dataclass(frozen=True)
class RowInfo:
    label: Any
    hint: Any  # which way is better
    kind: str  # "score", "minutes", "clock" (h:mm), "percent"
    places: int


ROWS: Final[dict[Row, RowInfo]] = {
    Row.RI: RowInfo(_l("Recovery index (RI, 0–100)"), _l("higher is better"), "score", 0),
    Row.AI: RowInfo(_l("Activation index (AI, 0–100)"), _l("higher is more activated"), "score", 0),
    Row.MORNING_ENERGY: RowInfo(_l("Morning energy (0–10)"), _l("higher is better"), "score", 1),
    Row.REFRESHED: RowInfo(_l("Sleep recharged (0–4)"), _l("higher is better"), "score", 1),
    Row.STARTUP_EFFORT: RowInfo(
        _l("Effort to get going (0–10)"), _l("higher is harder"), "score", 1
    ),
    Row.LETTING_GO: RowInfo(
        _l("Letting go in the evening (0–10)"), _l("higher is better"), "score", 1
    ),
    Row.BEDTIME_TENSION: RowInfo(
        _l("Tension at bedtime (0–10)"), _l("higher is more tense"), "score", 1
    ),
    Row.DAY_LOAD: RowInfo(_l("Load of the day (0–10)"), _l("higher is heavier"), "score", 1),
    Row.TST: RowInfo(_l("Total sleep time (TST, h:mm)"), "", "clock", 0),
    Row.SOL: RowInfo(_l("Time to fall asleep (SOL, min)"), _l("lower is better"), "minutes", 0),
    Row.WASO: RowInfo(
        _l("Awake after falling asleep (WASO, min)"), _l("lower is better"), "minutes", 0
    ),
    Row.SE: RowInfo(_l("Sleep efficiency (SE, %)"), _l("higher is better"), "percent", 0),
}

QUADRANTS: Final = {
    Quadrant.ACTIVATED_LOW_RECOVERY: _l("activated, low recovery"),
    Quadrant.LOW_ACTIVATION_LOW_RECOVERY: _l("low activation, low recovery"),
    Quadrant.ACTIVATED_RECOVERING: _l("activated, recovering"),
    Quadrant.SETTLED: _l("settled"),
}
QUADRANT_GLOSS: Final = {
    Quadrant.ACTIVATED_LOW_RECOVERY: _l("rest doesn't land, the mind keeps scanning"),
    Quadrant.LOW_ACTIVATION_LOW_RECOVERY: _l("depleted, energy first"),
    Quadrant.ACTIVATED_RECOVERING: _l("activated, yet mornings recover"),
    Quadrant.SETTLED: _l("calm evenings, recovered mornings"),
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
    if info.kind == "clock":
        return clock(value, sign=change)
    return signed(value, info.places) if change else number(value, info.places)


def row_cells(summary: CoachSummary) -> list[dict[str, Any]]:
    """The metrics table, formatted: value, B, z, anchor and change per row."""
    out = []
    for m in summary.metrics:
        info = ROWS[m.metric]
        out.append(
            {
                "row": m.metric,
                "label": info.label,
                "hint": info.hint,
                "mean": _formatted(m.mean, info),
                "baseline": _formatted(m.baseline.median if m.baseline else None, info),
                "z": signed(m.z, 1),
                # |z| ≥ 0.5 is B.3's smallest worthwhile change: the rows worth a look.
                "z_marked": m.z is not None and abs(m.z) >= Fraction(1, 2),
                "anchor": _formatted(m.anchor, info),
                "change": _formatted(m.change, info, change=True),
            }
        )
    return out


def day(value: date) -> str:
    return str(format_date(value, "EEE d MMM"))


def day_list(days: Iterable[date]) -> str:
    return ", ".join(day(d) for d in days)


def _span(first: date, last: date) -> str:
    return f"{format_date(first, 'd MMM')} – {format_date(last, 'd MMM yyyy')}"


def _short_span(first: date, last: date) -> str:
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
    block_labels = [str(format_date(b.last, "d MMM")) for b in blocks]
    return {
        "s": summary,
        "rows": row_cells(summary),
        "mix": coach_charts.pattern_mix(blocks),
        "lanes": coach_charts.flag_lanes(summary.timeline.days, summary.timeline.lanes),
        "support_chart": charts.line_chart(
            [b.support_mean for b in blocks],
            charts.Scale(0, 4, (0, 2, 4)),
            frame=charts.TREND,
            highlight=len(blocks) - 1,
        ),
        "block_labels": block_labels,
        "words": words,
        # The lanes' labels: the coach's names of the flags.
        "flag_names": {flag: said.coach for flag, said in words.FLAGS.items()},
        "quadrants": QUADRANTS,
        "quadrant_gloss": QUADRANT_GLOSS,
        "rest_types": REST_TYPES,
        "intensities": INTENSITIES,
        "number": number,
        "signed": signed,
        "intensity_list": intensity_list,
        "clock": clock,
        "day": day,
        "day_list": day_list,
        "span": _span,
        "short_span": _short_span,
        "period": _span(summary.period_first, summary.last_day),
        "week": _span(summary.week.start, summary.week.through),
    }
