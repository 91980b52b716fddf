"""The week page's words and number formats: labels and scales of its metrics, durations,
dates, and the first screen's key figures. Built per request, so they follow the person's
language; the page's figures all come from `week_summary` (templates format, never compute).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Final

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from journal.domain.metrics import Metric
from journal.domain.summary import Factor, Measure, Trend, WeekSummary
from journal.web import charts
from journal.web.checkin_form import answer_labels
from journal.web.numbers import clock, number


@dataclass(frozen=True)
class MetricInfo:
    label: str
    scale: charts.Scale
    unit: str  # shown after the mean, e.g. "of 10"
    places: int  # decimals of the mean


def metric_info() -> dict[Metric, MetricInfo]:
    """Labels and fixed scales of the metrics on the page (built per request: the words
    follow the person's language)."""
    ten = charts.Scale(0, 10, (0, 5, 10))
    return {
        Metric.RI: MetricInfo(
            _("Recovery score"), charts.Scale(0, 100, (0, 50, 100)), _("of 100"), 0
        ),
        Metric.MORNING_ENERGY: MetricInfo(_("Energy"), ten, _("of 10"), 1),
        Metric.REFRESHED: MetricInfo(
            _("Sleep recharged you"), charts.Scale(0, 4, (0, 2, 4)), _("of 4"), 1
        ),
        Metric.STARTUP_EFFORT: MetricInfo(_("Effort to get going"), ten, _("of 10"), 1),
        Metric.BEDTIME_TENSION: MetricInfo(_("Tension at bedtime"), ten, _("of 10"), 1),
        Metric.LETTING_GO: MetricInfo(_("Letting go in the evening"), ten, _("of 10"), 1),
        Metric.DAY_LOAD: MetricInfo(_("Load"), ten, _("of 10"), 1),
        # Lines need no zero: the sleep scales cover the plausible range so a change shows,
        # and a night beyond it sits at the edge (its number is in the text and the table).
        Metric.TST: MetricInfo(_("Sleep time"), charts.Scale(180, 660, (180, 420, 660)), "", 0),
        Metric.AI: MetricInfo(
            _("Activation in the evening"), charts.Scale(0, 100, (0, 50, 100)), _("of 100"), 0
        ),
    }


SE_SCALE: Final = charts.Scale(50, 100, (50, 75, 100))
TREND_ARROWS: Final = {Trend.UP: "↑", Trend.FLAT: "→", Trend.DOWN: "↓"}
TREND_WORDS: Final = {
    Trend.UP: _l("higher than your usual"),
    Trend.FLAT: _l("about your usual"),
    Trend.DOWN: _l("lower than your usual"),
}
# The words of the check-in form (A.3), so the person recognises what they tapped.
REST_TYPES: Final = answer_labels("rest_types")
# The A.3 labels of the 0–4 scales, for "what recharges you" and the rest table.
RECHARGE_WORDS: Final = tuple(answer_labels("rest_recharged").values())
INTENSITIES: Final = answer_labels("movement_intensity")
HELPED_WORDS: Final = {
    Factor.WALK: _l(
        "On mornings after a walk of 20 minutes or more, your recovery averaged %(mean_with)s, "
        "against %(mean_without)s after days without (%(n_with)s and %(n_without)s mornings)."
    ),
    Factor.CONTACT: _l(
        "On mornings after a day with real contact, your recovery averaged %(mean_with)s, against "
        "%(mean_without)s after days without (%(n_with)s and %(n_without)s mornings)."
    ),
    Factor.RECHARGING_REST: _l(
        "On mornings after rest that recharged you, your recovery averaged %(mean_with)s, against "
        "%(mean_without)s after other days (%(n_with)s and %(n_without)s mornings)."
    ),
}


def duration(minutes: int) -> str:
    """A total of minutes the way people say it: '45 min', '2 h', '3 h 30 min'."""
    h, m = divmod(minutes, 60)
    if not h:
        return str(_("%(m)s min", m=m))
    if not m:
        return str(_("%(h)s h", h=h))
    return str(_("%(h)s h %(m)s min", h=h, m=m))


def percent(value: Fraction | int | None) -> str:
    return "–" if value is None else str(_("%(n)s%%", n=number(value, 0)))


def rest_tick(minutes: int) -> str:
    """Axis labels of the rest chart: whole hours."""
    return "0" if minutes == 0 else str(_("%(h)s h", h=minutes // 60))


def plain(value: int) -> str:
    return str(value)


def weekday(day: date) -> str:
    return str(format_date(day, "EEE"))


def long_day(day: date) -> str:
    return str(format_date(day, "EEEE d MMMM"))


def week_range(summary: WeekSummary) -> str:
    start, end = summary.week_start, summary.week_end
    same_month = start.month == end.month
    first = format_date(start, "d" if same_month else "d MMMM")
    return f"{first} – {format_date(end, 'd MMMM yyyy')}"


# --- The day a "yesterday" answer is about ---------------------------------------------------
# Evening, rest, load, contact and the walk are asked the next morning (A.1): the page shows
# them under the day they describe, so Monday's answers about Sunday stand under Sunday.


def day_before(day: date) -> date:
    return day - timedelta(days=1)


def about_labels(summary: WeekSummary) -> list[str]:
    """The column labels of the charts of yesterday-answers: the days they describe."""
    return [weekday(day_before(d.date)) for d in summary.days]


def about_day(day: date) -> str:
    """A row of the tables of yesterday-answers: the day the record of `day` describes."""
    return long_day(day_before(day))


def heaviest_day(summary: WeekSummary) -> str | None:
    """'Sunday 29 November (filled in on Monday)': the day the heaviest load describes, and
    the morning it was given, so the sentence matches the chart under it (G.3)."""
    heaviest = summary.load.heaviest
    if heaviest is None:
        return None
    return str(
        _(
            "%(day)s (filled in on %(weekday)s)",
            day=long_day(heaviest.day),
            weekday=format_date(heaviest.record_date, "EEEE"),
        )
    )


# --- The first screen: three figures against the person's own usual --------------------------


@dataclass(frozen=True)
class KeyFigure:
    mark: str  # the data-figure name (tests/web/test_week.py checks it against the details)
    name: str
    value: str
    unit: str
    trend: Trend | None
    usual: str | None  # the usual level, formatted like the value


def _against_usual(measure: Measure, fmt: str) -> tuple[Trend | None, str | None]:
    if measure.trend is None or measure.baseline is None:
        return None, None
    usual = clock(measure.baseline.median) if fmt == "clock" else number(measure.baseline.median, 0)
    return measure.trend, usual


def key_figures(summary: WeekSummary) -> tuple[KeyFigure, ...]:
    """Herstelscore, sleep and rest that recharged, as the first screen shows them; empty for
    a week without check-ins. Rest has no usual level in G.3, so it has no arrow."""
    if not summary.checkins:
        return ()
    ri = next(m for m in summary.morning if m.metric is Metric.RI)
    tst = summary.sleep.tst_measure
    rest = summary.rest
    if rest.rest_days:
        rest_value = str(_("%(n)s of %(days)s", n=rest.recharged_days, days=rest.rest_days))
        rest_unit = str(_("rest days"))
    else:
        rest_value, rest_unit = "–", str(_("no rest of 30 minutes or more"))
    return (
        KeyFigure(
            "key-ri",
            str(_("Recovery score")),
            number(ri.mean, 0),
            str(_("of 100")),
            *_against_usual(ri, "number"),
        ),
        KeyFigure(
            "key-tst",
            str(_("Sleep")),
            clock(tst.mean),
            str(_("hours a night")),
            *_against_usual(tst, "clock"),
        ),
        KeyFigure("key-rest", str(_("Rest that recharged you")), rest_value, rest_unit, None, None),
    )
