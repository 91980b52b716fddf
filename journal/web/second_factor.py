"""The sign-in's second step (issue 20): a code from the authenticator app, or a recovery code.

Two kinds of visitor reach it: one whose password was right a moment ago (the pending sign-in
of journal.web.coach_auth; not signed in until the code is right), and a signed-in coach whose
session has not passed the factor (a remember-me cookie, a session from before the factor).
Wrong codes count against the same limits as wrong passwords, per address and per account.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user

from journal.clock import now_utc
from journal.extensions import db
from journal.models import User
from journal.store import second_factors
from journal.store.second_factors import Passed
from journal.web.auth import safe_next
from journal.web.coach_auth import PENDING, factor_passed, mark_factor_passed, pending
from journal.web.rate_limits import Guard, account_key, guarded

bp = Blueprint("second_factor", __name__)


def code_refused(_response: Response) -> bool:
    """Whether this request checked a second-factor code and it was wrong."""
    return bool(g.get("code_refused"))


def refuse_code() -> None:
    g.code_refused = True


def _who() -> int | None:
    """The account whose code is asked: the pending sign-in's, else the signed-in one's."""
    waiting = pending()
    if waiting is not None:
        return waiting["user"]
    if (
        current_user.is_authenticated
        and not factor_passed()
        and second_factors.confirmed(current_user.id)
    ):
        return int(current_user.id)
    return None


def code_account() -> str:
    """The per-account counter; the account id, not the address, is all the step knows."""
    who = _who()
    return "nobody" if who is None else account_key(f"second-factor:{who}")


def _recovery_words(left: int) -> str:
    words: str = ngettext(
        "You logged in with a recovery code; %(num)s left. When you have your app again, "
        "make new ones under Account, Two-step verification.",
        "You logged in with a recovery code; %(num)s left. When you have your app again, "
        "make new ones under Account, Two-step verification.",
        left,
    )
    return words


@bp.route("/login/code", methods=["GET", "POST"])
@guarded(Guard.LOGIN_ADDRESS, only_when=code_refused)
@guarded(Guard.LOGIN_ACCOUNT, code_account, only_when=code_refused)
def code() -> ResponseReturnValue:
    who = _who()
    use_recovery = request.values.get("use") == "recovery"
    if who is None:
        if current_user.is_authenticated:
            return redirect(safe_next(request.values.get("next")))
        flash(_("Please log in again; the sign-in waited too long for the code."))
        return redirect(url_for("auth.login"))
    error = None
    if request.method == "POST":
        passed = second_factors.check_code(who, request.form.get("code", ""), now_utc())
        if passed is not None:
            return _signed_in(who, passed)
        refuse_code()
        error = (
            _("That recovery code is not right, or it was used already.")
            if use_recovery
            else _("That code does not work. Wait for the next code in your app and type that one.")
        )
    page = render_template(
        "auth/second_factor.html",
        error=error,
        use_recovery=use_recovery,
        next=request.values.get("next", ""),
    )
    return page, (401 if error else 200)


def _signed_in(user_id: int, passed: Passed) -> ResponseReturnValue:
    waiting = pending()
    if waiting is not None:
        user = db.session.get(User, user_id)
        if user is None:  # deleted since the password step
            return redirect(url_for("auth.login"))
        session.pop(PENDING, None)
        login_user(user, remember=waiting["remember"])
        session.pop("language", None)
        target = waiting["next"]
    else:
        target = safe_next(request.form.get("next"))
    mark_factor_passed(user_id)
    if passed is Passed.RECOVERY:
        flash(_recovery_words(second_factors.state(user_id).recovery_left))
    return redirect(safe_next(target))
