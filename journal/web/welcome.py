"""The first-run welcome (issue 19): three short screens a new person sees once, after
registering or on the first sign-in, and may look at again from the account page.

Each screen is its own address (/welcome/1 … /welcome/3), so "Volgende" is a plain link and the
welcome works without JavaScript. Finishing or skipping is a POST (CSRF-checked) that sets
`User.welcomed_at`; only then do sign-ins stop leading here. Looking at it again later changes
nothing.
"""

from __future__ import annotations

from enum import StrEnum

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from journal.clock import now_utc
from journal.extensions import db
from journal.web.auth import current_account, safe_next

bp = Blueprint("welcome", __name__, url_prefix="/welcome")

STEPS = 3


class Leave(StrEnum):
    """How the person leaves the welcome: the way that decides where they land."""

    SKIP = "skip"  # "Overslaan": where they were going, else home
    FINISH = "finish"  # "Naar de check-in" on the last screen


@bp.get("", defaults={"number": 1})
@bp.get("/<int:number>")
@login_required
def step(number: int) -> ResponseReturnValue:
    if not 1 <= number <= STEPS:
        abort(404)
    return render_template(
        f"welcome/step{number}.html",
        number=number,
        steps=STEPS,
        next_path=request.args.get("next", ""),
    )


@bp.post("/done")
@login_required
def done() -> ResponseReturnValue:
    """Finished or skipped: sign-ins land where they used to from now on."""
    user = current_account()
    if user.welcomed_at is None:
        user.welcomed_at = now_utc()
        db.session.commit()
    if request.form.get("leave") == Leave.FINISH:
        return redirect(url_for("checkins.today"), 303)
    return redirect(safe_next(request.form.get("next")), 303)
