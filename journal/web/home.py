"""The home page and the safety card."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from journal.clock import local_today
from journal.domain.metrics import REFERENCE_FIRST
from journal.domain.summary.acknowledgement import (
    Acknowledgement,
    SleepAgainstNormal,
    acknowledgement,
)
from journal.extensions import db
from journal.models import CheckinRow
from journal.store.flag_states import today_for
from journal.web import words
from journal.web.week_format import duration

bp = Blueprint("home", __name__)

# How far back a day can still change: yesterday filled in late stays editable for 48 hours.
CHANGEABLE_DAYS: Final = 2


@bp.get("/")
def index() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    today = local_today(current_user.timezone)
    yesterday = today - timedelta(days=1)
    # One read serves the day's state and the acknowledgement: the days that can still change
    # and the normal's reference window (B.3) behind the earliest of them.
    recent = db.session.scalars(
        select(CheckinRow).where(
            CheckinRow.user_id == current_user.id,
            CheckinRow.date >= today - timedelta(days=CHANGEABLE_DAYS + REFERENCE_FIRST),
            CheckinRow.date <= today,
        )
    ).all()
    done = {row.date for row in recent}
    return render_template(
        "home/index.html",
        cards=today_for(current_user.id, today).cards,
        words=words,
        today=today,
        yesterday=yesterday,
        checked_in=today in done,
        # Days before the first check-in are not missing (G.3): not on a new person's day 1.
        yesterday_missing=yesterday not in done
        and (min(done, default=yesterday) < yesterday or _checked_in_before(yesterday)),
        # Shown only right after a save, beside its confirmation (style.css, issue 19).
        acknowledgement=acknowledgement_line(_last_saved(recent, today), today),
    )


def _last_saved(recent: Sequence[CheckinRow], today: date) -> Acknowledgement | None:
    """The line for the check-in saved last among the days that can still change."""
    changeable = [row for row in recent if row.date >= today - timedelta(days=CHANGEABLE_DAYS)]
    if not changeable:
        return None
    latest = max(changeable, key=lambda row: row.updated_at)
    return acknowledgement([row.to_domain() for row in recent], latest.date)


def _checked_in_before(day: date) -> bool:
    earlier = select(CheckinRow.date).where(
        CheckinRow.user_id == current_user.id, CheckinRow.date < day
    )
    return db.session.scalar(earlier.limit(1)) is not None


# Plain comparisons with the person's own normal: never a flag word, never a judgement.
_SENTENCES = {
    SleepAgainstNormal.NO_NORMAL_YET: _l("%(when)s you slept %(sleep)s."),
    SleepAgainstNormal.ABOUT_USUAL: _l(
        "%(when)s you slept %(sleep)s, about as much as you usually do."
    ),
    SleepAgainstNormal.A_BIT_MORE: _l(
        "%(when)s you slept %(sleep)s, a little more than you usually do."
    ),
    SleepAgainstNormal.MUCH_MORE: _l("%(when)s you slept %(sleep)s, more than you usually do."),
    SleepAgainstNormal.A_BIT_LESS: _l(
        "%(when)s you slept %(sleep)s, a little less than you usually do."
    ),
    SleepAgainstNormal.MUCH_LESS: _l("%(when)s you slept %(sleep)s, less than you usually do."),
}


def acknowledgement_line(ack: Acknowledgement | None, today: date) -> str | None:
    """The acknowledgement in the person's language; None when there is nothing to say."""
    if ack is None:
        return None
    if ack.day == today:
        when = str(_l("Last night"))
    else:
        when = str(_l("The night before %(day)s", day=format_date(ack.day, "EEEE d MMMM")))
    sentence = str(_SENTENCES[ack.against_normal])  # the catalog's words, then the numbers
    return sentence % {"when": when, "sleep": duration(ack.sleep_minutes)}


@bp.get("/safety")
def safety() -> ResponseReturnValue:
    return render_template("home/safety.html")
