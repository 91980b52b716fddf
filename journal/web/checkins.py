"""The daily check-in (DOMAIN part A) and the history of days."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from journal.clock import local_today, now_utc
from journal.domain.checkin import SET_FIELDS, CheckIn, parse_checkin, prefill_times, to_raw
from journal.domain.metrics import total_sleep_time as sleep_minutes
from journal.evaluation import mark_stale
from journal.extensions import db
from journal.models import CheckinRow, new_row_values
from journal.prepared import Prepared
from journal.web import checkin_form
from journal.web.checkin_form import error_message, raw_from_form

bp = Blueprint("checkins", __name__)

HISTORY_DAYS = 28
# The home page's confirmations after a save, by element id (see `_saved`).
SAVED, CHANGED = "saved", "changed"
# Built once: every check-in request runs these. A new day is the common save, so it is an
# insert that steps aside when the person already has the day (an edit, or a double tap); the
# count of rows it made says which. Prepared (journal/prepared.py): this is the app's hot path.
_CHECKINS = CheckinRow.__table__
_INSERT_NEW_DAY = {
    dialect.dialect.name: Prepared(
        dialect.insert(_CHECKINS)
        .values({c.key: bindparam(c.key) for c in _CHECKINS.c if not c.primary_key})
        .on_conflict_do_nothing(index_elements=["user_id", "date"])
    )
    for dialect in (sqlite, postgresql)
}
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


def is_editable(row: CheckinRow) -> bool:
    hours = current_app.config["JOURNAL"]["EDIT_HOURS"]
    return now_utc() < row.created_at + timedelta(hours=hours)


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
    try:
        return date.fromisoformat(iso_date)
    except ValueError:
        abort(404)


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
    if request.method == "POST" and can_fill(day, today):
        # Most saves are a new day: insert first, and look the day up only when it is already
        # there (an edit) or the answers need correcting.
        raw = raw_from_form(request.form)
        new = parse_checkin(raw, on=day, backfilled=day < today, strict=False)
        if new.checkin is not None and _insert_new_day(current_user.id, new.checkin):
            return _saved(changed=False)
    row = find_row(day)
    writable = is_editable(row) if row else can_fill(day, today)
    if not writable:
        if request.method == "POST":
            flash(_("This day can no longer be changed."))
        if row is None:
            return render_template("checkins/missed.html", day=day, today=today)
        return render_template(
            "checkins/view.html",
            day=day,
            sections=checkin_form.SECTIONS,
            answers=checkin_form.answer_texts(row.to_domain()),
        )

    if request.method == "GET":
        values = _form_values(row.to_domain()) if row else dict(prefill_times(recent_checkins(day)))
        return render_template("checkins/checkin.html", **_page(day, today, row, values, {}))

    raw = raw_from_form(request.form)
    backfilled = row.backfilled if row else day < today
    result = parse_checkin(raw, on=day, backfilled=backfilled, strict=False)
    if result.checkin is None:
        errors = {name: error_message(name, error) for name, error in result.errors.items()}
        return render_template("checkins/checkin.html", **_page(day, today, row, raw, errors)), 422

    if row is None:
        # Deleted since the insert above stepped aside; the day is free again.
        if not _insert_new_day(current_user.id, result.checkin):
            abort(409)
    else:
        row.apply(result.checkin)
        row.updated_at = now_utc()
        mark_stale(current_user.id, day)
        db.session.commit()
    return _saved(changed=row is not None)


def _saved(changed: bool) -> ResponseReturnValue:
    # Home says so when its address names the confirmation (templates/home/index.html): no
    # flash, so the save writes no session cookie, and the copy of home that the service
    # worker keeps for offline use never holds a "saved" that is long past.
    return redirect(url_for("home.index", _anchor=CHANGED if changed else SAVED))


def _insert_new_day(user_id: int, checkin: CheckIn) -> bool:
    """Store a day the person does not have yet, with its flags marked stale, in one
    transaction. False, with nothing written, when the day is already there."""
    connection = db.session.connection()
    values = new_row_values(user_id, checkin, now_utc())
    if not _INSERT_NEW_DAY[connection.dialect.name].execute(connection, values):
        return False
    mark_stale(user_id, checkin.date, connection)
    db.session.commit()
    return True


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
    db.session.delete(row)
    mark_stale(current_user.id, row.date)
    db.session.commit()
    flash(_("The check-in is deleted."))
    return redirect(url_for("checkins.history"))


@bp.get("/history")
@login_required
def history() -> ResponseReturnValue:
    today = local_today(current_user.timezone)
    until = today
    if "until" in request.args:
        try:
            until = min(date.fromisoformat(request.args["until"]), today)
        except ValueError:
            until = today
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
    days = [until - timedelta(days=i) for i in range(HISTORY_DAYS)]
    return render_template(
        "checkins/history.html",
        days=days,
        by_date=by_date,
        today=today,
        older=older,
        newer=min(until + timedelta(days=HISTORY_DAYS), today) if until < today else None,
        fillable=lambda d: can_fill(d, today),
        hours=_sleep_hours,
    )
