"""The daily check-in (DOMAIN part A) and the history of days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
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
from sqlalchemy import bindparam, func, select

from journal.clock import local_today, now_utc
from journal.domain.checkin import NOTE_MAX_CHARS, SET_FIELDS, CheckIn, parse_checkin, to_raw
from journal.domain.metrics import total_sleep_time as sleep_minutes
from journal.domain.prefill import prefill_times
from journal.extensions import db
from journal.models import CheckinRow
from journal.store.checkins import Outcome, store_days
from journal.store.flag_states import mark_stale
from journal.web import checkin_form, parsing
from journal.web.checkin_form import error_message, raw_from_form, typed_texts

bp = Blueprint("checkins", __name__)

HISTORY_DAYS = 28
# The home page's confirmations after a save, by element id (see `_saved`).
SAVED, CHANGED = "saved", "changed"
_FIND_ROW = select(CheckinRow).where(
    CheckinRow.user_id == bindparam("user_id"), CheckinRow.date == bindparam("day")
)


def find_row(day: date, user_id: int | None = None) -> CheckinRow | None:
    owner = current_user.id if user_id is None else user_id
    return db.session.scalar(_FIND_ROW, {"user_id": owner, "day": day})


def recent_checkins(before: date, limit: int = 7) -> list[CheckIn]:
    rows = db.session.scalars(
        select(CheckinRow)
        .where(CheckinRow.user_id == current_user.id, CheckinRow.date < before)
        .order_by(CheckinRow.date.desc())
        .limit(limit)
    )
    return [row.to_domain() for row in rows]


def editable_after(now: datetime) -> datetime:
    """A row made after this moment can still be edited (its edit window is open)."""
    return now - timedelta(hours=current_app.config["JOURNAL"]["EDIT_HOURS"])


def is_editable(row: CheckinRow) -> bool:
    return row.created_at > editable_after(now_utc())


def can_fill(day: date, today: date) -> bool:
    """Today can be filled in, and yesterday late (A.1); older days stay empty."""
    return day in (today, today - timedelta(days=1))


def _sleep_hours(checkin: CheckIn) -> str:
    minutes = sleep_minutes(checkin)
    return f"{minutes // 60}:{minutes % 60:02d}"


def _form_values(checkin: CheckIn) -> dict[str, str | list[str]]:
    raw = to_raw(checkin)
    return {k: (v.split(";") if v else []) if k in SET_FIELDS else v for k, v in raw.items()}


def _parse_day(iso_date: str) -> date:
    day = parsing.day(iso_date)
    if day is None:
        abort(404)
    return day


@bp.route("/checkin", methods=["GET", "POST"])
@login_required
def today() -> ResponseReturnValue:
    day = local_today(current_user.timezone)
    return _checkin(day, today=day)


@bp.route("/checkin/<iso_date>", methods=["GET", "POST"])
@login_required
def checkin(iso_date: str) -> ResponseReturnValue:
    return _checkin(_parse_day(iso_date), today=local_today(current_user.timezone))


def _checkin(day: date, today: date) -> ResponseReturnValue:
    if day > today:
        abort(404)
    raw = parsed = None
    if request.method == "POST":
        # Parsed once, as a new day's answers; an edit keeps its row's `backfilled` (the store).
        raw = raw_from_form(request.form)
        parsed = parse_checkin(raw, on=day, backfilled=day < today, strict=False)
        # Most saves are a new day or a second tap on it: the store settles both without a
        # look-up here; the page below is for corrections and days that can no longer change.
        if parsed.checkin is not None and can_fill(day, today):
            outcome = _store(parsed.checkin)
            if outcome is not Outcome.ALREADY_THERE:
                return _saved(changed=outcome is Outcome.EDITED)
    row = find_row(day)
    writable = is_editable(row) if row else can_fill(day, today)
    if not writable:
        if raw is not None:
            # The window closed while the form was open: what was typed is shown beside what
            # is stored, to copy, never dropped (issue 19).
            return _kept(day, row, raw), 409
        if row is None:
            return render_template("checkins/missed.html", day=day, today=today)
        return render_template(
            "checkins/view.html",
            day=day,
            sections=checkin_form.SECTIONS,
            answers=checkin_form.answer_texts(row.to_domain()),
        )

    if raw is None or parsed is None:
        values = _form_values(row.to_domain()) if row else dict(prefill_times(recent_checkins(day)))
        response = make_response(
            render_template("checkins/checkin.html", **_page(day, today, row, values, {}))
        )
        # Back after a save must ask the server again, which now shows the saved day as an
        # edit, rather than show the browser's copy of the empty form (issue 19). The
        # service worker's offline copy is kept by the worker itself, not by this header.
        response.headers["Cache-Control"] = "no-store"
        return response
    if parsed.checkin is None:
        # A note that is too long says by how much (raw_from_form keeps it as one string).
        note_length = len(str(raw.get("note") or ""))
        errors = {
            name: error_message(name, error, note_length) for name, error in parsed.errors.items()
        }
        return render_template("checkins/checkin.html", **_page(day, today, row, raw, errors)), 422
    # A day before yesterday within its edit window, or one deleted since the store above.
    outcome = _store(parsed.checkin)
    if outcome is Outcome.ALREADY_THERE:  # its window closed, or it was deleted, meanwhile
        return _kept(day, find_row(day), raw), 409
    return _saved(changed=outcome is Outcome.EDITED)


def _kept(day: date, row: CheckinRow | None, raw: dict[str, str | list[str]]) -> str:
    """The page for a save that came too late: the typed answers next to the stored ones."""
    typed = typed_texts(raw)
    return render_template(
        "checkins/kept.html",
        day=day,
        sections=checkin_form.SECTIONS,
        typed=typed,
        stored=checkin_form.answer_texts(row.to_domain()) if row else None,
        note=raw.get("note") or "",
        all_typed="\n".join(
            f"{f.question}: {typed[f.name]}"
            for section in checkin_form.SECTIONS
            for f in section.fields
            if typed[f.name]
        ),
    )


def _store(checkin: CheckIn) -> Outcome:
    now = now_utc()
    [outcome] = store_days(current_user.id, [checkin], made_at=now, edit_after=editable_after(now))
    return outcome


def _saved(changed: bool) -> ResponseReturnValue:
    # Home says so when its address names the confirmation (templates/home/index.html): no
    # flash, so the save writes no session cookie, and the copy of home that the service
    # worker keeps for offline use never holds a "saved" that is long past.
    return redirect(url_for("home.index", _anchor=CHANGED if changed else SAVED))


def _page(
    day: date,
    today: date,
    row: CheckinRow | None,
    values: dict[str, str | list[str]] | dict[str, str],
    errors: dict[str, object],
) -> dict[str, object]:
    more_fields = {f.name for f in checkin_form.MORE.fields}
    return {
        "day": day,
        "today": today,
        "row": row,
        "sections": checkin_form.SECTIONS,
        "values": values,
        "errors": errors,
        "fields": checkin_form.FIELDS,
        "more_open": bool(more_fields & set(errors))
        or (row is not None and any(values.get(name) for name in more_fields)),
        "backfill": row is None and day < today,
        "note_max": NOTE_MAX_CHARS,
    }


@bp.post("/checkin/<iso_date>/delete")
@login_required
def delete(iso_date: str) -> ResponseReturnValue:
    row = find_row(_parse_day(iso_date))
    if row is None:
        abort(404)
    if not is_editable(row):
        flash(_("This day can no longer be changed."))
        return redirect(url_for("checkins.checkin", iso_date=iso_date))
    # The stale mark first: the save's lock order (journal/store/checkins.py).
    mark_stale(current_user.id, row.date)
    db.session.delete(row)
    db.session.commit()
    flash(_("The check-in is deleted."))
    return redirect(url_for("checkins.history"))


@bp.get("/history")
@login_required
def history() -> ResponseReturnValue:
    today = local_today(current_user.timezone)
    # An address from another day (or a made-up one) shows the last four weeks instead.
    until = min(parsing.day(request.args.get("until")) or today, today)
    since = until - timedelta(days=HISTORY_DAYS - 1)
    rows = db.session.scalars(
        select(CheckinRow).where(
            CheckinRow.user_id == current_user.id,
            CheckinRow.date >= since,
            CheckinRow.date <= until,
        )
    )
    by_date = {row.date: row.to_domain() for row in rows}
    older = db.session.scalar(
        select(CheckinRow.date)
        .where(CheckinRow.user_id == current_user.id, CheckinRow.date < since)
        .order_by(CheckinRow.date.desc())
        .limit(1)
    )
    first = db.session.scalar(
        select(func.min(CheckinRow.date)).where(CheckinRow.user_id == current_user.id)
    )
    # Days before the first check-in are not missing (DOMAIN G.3): they are not listed, apart
    # from today and yesterday, which can still be filled in (and so be the first).
    days = [
        day
        for day in (until - timedelta(days=i) for i in range(HISTORY_DAYS))
        if (first is not None and day >= first) or can_fill(day, today)
    ]
    return render_template(
        "checkins/history.html",
        days=days,
        first=first,
        by_date=by_date,
        today=today,
        older=older,
        newer=min(until + timedelta(days=HISTORY_DAYS), today) if until < today else None,
        fillable=lambda d: can_fill(d, today),
        hours=_sleep_hours,
    )
