"""'Mijn week': the weekly summary of DOMAIN D.1 with its charts, and the reflection note.

Thin on purpose: load the records of one bounded window (see journal.domain.summary.window),
hand them to the pure `week_summary`, turn its day series into chart geometry, render. The
words and number formats are in journal.web.week_format; the first screen's sentence is chosen
by journal.domain.summary.sentence from the same figures the page shows.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Final

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from journal.clock import local_today, now_utc
from journal.domain.checkin import NOTE_MAX_CHARS, CheckIn
from journal.domain.lifecycle import improvement_host
from journal.domain.metrics import Metric
from journal.domain.rules import Flag, Reason
from journal.domain.summary import (
    WeekSummary,
    iso_week,
    monday_of,
    parse_week,
    week_summary,
    window,
)
from journal.domain.summary.sentence import week_sentence
from journal.extensions import db
from journal.models import WeeklyReflection
from journal.store.flag_states import records_with_anchor
from journal.web import charts, parsing, words
from journal.web.numbers import clock, number
from journal.web.people import week_contact
from journal.web.phase import week_part
from journal.web.week_format import (
    HELPED_WORDS,
    INTENSITIES,
    RECHARGE_WORDS,
    REST_TYPES,
    SE_SCALE,
    TREND_ARROWS,
    TREND_WORDS,
    MetricInfo,
    about_day,
    about_labels,
    duration,
    heaviest_day,
    key_figures,
    long_day,
    metric_info,
    percent,
    plain,
    rest_tick,
    week_range,
    weekday,
)
from journal.web.words import phases as phase_words

bp = Blueprint("week", __name__)

REFLECTION_MAX_CHARS: Final = NOTE_MAX_CHARS  # the same limit as the daily note (A.2)


# --- Loading ---------------------------------------------------------------------------------


def load_records(user_id: int, week_start: date) -> list[CheckIn]:
    """The records week_summary reads: its window, the very first record (warm-up, the first
    missing day) and the first valid ones (the anchor of the week's figures, G.3)."""
    first_day, last_day = window(week_start)
    return records_with_anchor(user_id, first_day, last_day)


# --- Charts --------------------------------------------------------------------------------


def _future_from(summary: WeekSummary) -> int | None:
    return summary.days_so_far if summary.current else None


def day_charts(summary: WeekSummary, info: dict[Metric, MetricInfo]) -> dict[str, object]:
    """The geometry of every chart on the page, by name."""
    days = summary.days
    future = _future_from(summary)
    bases = {m.metric: m.baseline for m in (*summary.morning, *summary.evening)}
    bases[Metric.TST] = summary.sleep.tst_measure.baseline
    bases[Metric.DAY_LOAD] = summary.load.measure.baseline
    values: dict[Metric, list[int | Fraction | None]] = {
        Metric.RI: [d.ri for d in days],
        Metric.MORNING_ENERGY: [d.morning_energy for d in days],
        Metric.REFRESHED: [d.refreshed for d in days],
        Metric.STARTUP_EFFORT: [d.startup_effort for d in days],
        Metric.BEDTIME_TENSION: [d.bedtime_tension for d in days],
        Metric.LETTING_GO: [d.letting_go for d in days],
        Metric.TST: [d.tst for d in days],
        Metric.DAY_LOAD: [d.day_load for d in days],
    }
    out: dict[str, object] = {
        metric.value: charts.line_chart(
            series, info[metric].scale, baseline=bases.get(metric), future_from=future
        )
        for metric, series in values.items()
    }
    out["se"] = charts.line_chart([d.se for d in days], SE_SCALE, future_from=future)
    out["rest"] = charts.bar_chart(
        [d.rest_minutes for d in days],
        [d.recharged for d in days],
        charts.Scale(0, 180, (0, 60, 120, 180)),
        future_from=future,
    )
    current = len(summary.weeks) - 1
    out["weeks_ri"] = charts.line_chart(
        [w.ri for w in summary.weeks],
        info[Metric.RI].scale,
        frame=charts.TREND,
        highlight=current,
    )
    out["weeks_ai"] = charts.line_chart(
        [w.ai for w in summary.weeks],
        info[Metric.AI].scale,
        frame=charts.TREND,
        highlight=current,
    )
    return out


# --- Views ---------------------------------------------------------------------------------


def _reflection(user_id: int, week: str) -> WeeklyReflection | None:
    return db.session.scalar(
        select(WeeklyReflection).where(
            WeeklyReflection.user_id == user_id, WeeklyReflection.week == week
        )
    )


def _render(
    week_start: date,
    today: date,
    *,
    text: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    records = load_records(current_user.id, week_start)
    summary = week_summary(records, week_start, today)
    first = min((r.date for r in records), default=None)
    week = iso_week(week_start)
    if text is None:
        saved = _reflection(current_user.id, week)
        text = saved.text if saved else ""
    info = metric_info()
    also = _also_improving(summary)
    previous = week_start - timedelta(weeks=1)
    following = week_start + timedelta(weeks=1)
    return render_template(
        "week/week.html",
        s=summary,
        week=week,
        week_number=week_start.isocalendar()[1],
        charts=day_charts(summary, info),
        info=info,
        # No way back past the week of the first check-in: there is nothing there to see.
        previous=iso_week(previous) if first and monday_of(first) <= previous else None,
        following=iso_week(following) if following <= today else None,
        reflection=text,
        error=error,
        max_chars=REFLECTION_MAX_CHARS,
        words=words,
        # Issue 22: the person's phase on the page's last day, and its observations.
        phase_part=week_part(current_user.id, records, summary.last_day),
        phase_words=phase_words,
        arrows=TREND_ARROWS,
        trend_words=TREND_WORDS,
        rest_types=REST_TYPES,
        recharge_words=RECHARGE_WORDS,
        intensities=INTENSITIES,
        helped_words=HELPED_WORDS,
        number=number,
        hours=clock,
        duration=duration,
        percent=percent,
        weekday=weekday,
        rest_tick=rest_tick,
        plain=plain,
        long_day=long_day,
        week_range=week_range(summary),
        sentence=words.WEEK_SENTENCES[week_sentence(summary.figures)],
        also=also,
        # What stood out, one line each: signposts are pinned at the top, and IMPROVING is
        # said with them when they are (`also`).
        lines=[
            i
            for i in summary.stood_out
            if not i.signpost and not (also and i.flag is Flag.IMPROVING)
        ],
        key_figures=key_figures(summary),
        # Issue 21: the same week's contact days, by the circles of who they were with.
        contact_rings=week_contact(current_user.id, week_start, week_start + timedelta(days=6)),
        heaviest_day=heaviest_day(summary),
        about_day=about_day,
        day_labels=[weekday(d.date) for d in summary.days],
        about_labels=about_labels(summary),
        week_labels=[str(w.week_start.isocalendar()[1]) for w in summary.weeks],
    ), status


def _also_improving(summary: WeekSummary) -> tuple[Reason, ...]:
    """IMPROVING's reasons when a signpost is pinned too: said with the signpost, in one
    sentence, not as a line of the opposite tone (journal.domain.lifecycle's precedence)."""
    if improvement_host(item.flag for item in summary.stood_out) is None:
        return ()
    return next((i.reasons for i in summary.stood_out if i.flag is Flag.IMPROVING), ())


def _week_or_404(text: str, today: date) -> date:
    start = parse_week(text) if text.isascii() else None
    # Before EARLIEST, the page's window of earlier weeks would leave the calendar (issue 17).
    if start is None or start < parsing.EARLIEST:
        abort(404)
    if start > today:
        # A week that has not begun: a kind word and the way back, with the 404 it is.
        abort(make_response(render_template("week/not_yet.html"), 404))
    return start


@bp.get("/week")
@login_required
def this_week() -> ResponseReturnValue:
    today = local_today(current_user.timezone)
    return _render(monday_of(today), today)


@bp.get("/week/<week>")
@login_required
def week(week: str) -> ResponseReturnValue:
    today = local_today(current_user.timezone)
    return _render(_week_or_404(week, today), today)


@bp.post("/week/<week>/reflection")
@login_required
def reflection(week: str) -> ResponseReturnValue:
    """Save the answer to the week's question; an empty answer removes a saved one."""
    today = local_today(current_user.timezone)
    start = _week_or_404(week, today)
    text = request.form.get("text", "").replace("\r\n", "\n").strip()
    error = None
    if len(text) > REFLECTION_MAX_CHARS:
        error = _("Please keep it to %(n)s characters.", n=REFLECTION_MAX_CHARS)
    elif not parsing.storable(text):
        error = str(parsing.UNSTORABLE)
    if error:
        return _render(start, today, text=text, error=error, status=422)
    name = iso_week(start)
    message = _save_reflection(current_user.id, name, text)
    if message:
        flash(message)
    return redirect(url_for("week.week", week=name, _anchor="reflection"))


@bp.get("/week/<week>/reflection")
@login_required
def reflection_page(week: str) -> ResponseReturnValue:
    # The language switch on an error page sends the person back to the address they are on,
    # which is the form's: show them the week.
    return redirect(url_for("week.week", week=week, _anchor="reflection"))


def _save_reflection(user_id: int, week: str, text: str) -> str | None:
    """Store, replace or (for an empty text) remove the note; the words to confirm it."""
    saved = _reflection(user_id, week)
    if not text:
        if saved is None:
            return None
        db.session.delete(saved)
        db.session.commit()
        return str(_("Your note for this week is removed."))
    if saved is None:
        db.session.add(
            WeeklyReflection(user_id=user_id, week=week, text=text, updated_at=now_utc())
        )
        try:
            db.session.commit()
        except IntegrityError:
            # The same note sent twice at once (a double tap): the other request stored it
            # first, so this one updates it.
            db.session.rollback()
            saved = _reflection(user_id, week)
            if saved is None:  # pragma: no cover - it was there a moment ago
                raise
    if saved is not None:
        saved.text = text
        saved.updated_at = now_utc()
        db.session.commit()
    return str(_("Your note for this week is saved."))
