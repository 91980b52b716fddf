"""The home page and the safety card."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from journal.clock import local_today
from journal.extensions import db
from journal.models import CheckinRow
from journal.store.flag_states import today_for
from journal.web import words

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    today = local_today(current_user.timezone)
    yesterday = today - timedelta(days=1)
    done = set(
        db.session.scalars(
            select(CheckinRow.date).where(
                CheckinRow.user_id == current_user.id, CheckinRow.date.in_((today, yesterday))
            )
        )
    )
    return render_template(
        "home/index.html",
        cards=today_for(current_user.id, today).cards,
        words=words,
        today=today,
        yesterday=yesterday,
        checked_in=today in done,
        # Days before the first check-in are not missing (G.3): not on a new person's day 1.
        yesterday_missing=yesterday not in done and _checked_in_before(yesterday),
    )


def _checked_in_before(day: date) -> bool:
    earlier = select(CheckinRow.date).where(
        CheckinRow.user_id == current_user.id, CheckinRow.date < day
    )
    return db.session.scalar(earlier.limit(1)) is not None


@bp.get("/safety")
def safety() -> ResponseReturnValue:
    return render_template("home/safety.html")
