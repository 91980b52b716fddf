"""Who may open a coach page (issue 20), and the session's memory of the second factor.

A coach page needs four things: a signed-in account, a coach profile on it, a confirmed
second factor, and that factor passed in this very session. The last one matters for a session
that began before the factor was confirmed, or that a remember-me cookie restored: those are
sent to the code step, never straight in.

A signed-in account without a coach profile gets 404, the same answer as a page that does not
exist: a person should not learn from their own session which coach addresses there are, and
nothing on the person's side links to them anyway.

The pending sign-in (password right, code still to come) lives in the session as the account
id and its session token, for a few minutes; the person is not signed in until the code is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Final, ParamSpec, TypedDict

from flask import abort, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from journal.clock import now_utc
from journal.extensions import db, login_manager
from journal.models import CoachProfile, SecondFactor, User

P = ParamSpec("P")

FACTOR_PASSED: Final = "factor_passed"  # the account id that passed the factor this session
PENDING: Final = "pending_login"
PENDING_SECONDS: Final = 5 * 60  # long enough to find the phone, short enough to go stale


class Pending(TypedDict):
    user: int
    token: str
    until: int
    remember: bool
    next: str


def mark_factor_passed(user_id: int) -> None:
    session[FACTOR_PASSED] = user_id


def forget_factor() -> None:
    """At logout and at every new sign-in: the mark belongs to one sign-in only."""
    session.pop(FACTOR_PASSED, None)
    session.pop(PENDING, None)


def factor_passed() -> bool:
    return bool(current_user.is_authenticated and session.get(FACTOR_PASSED) == current_user.id)


def start_pending(user: User, *, remember: bool, target: str) -> None:
    """Password right, factor to come: remember who, not sign them in."""
    forget_factor()
    session[PENDING] = Pending(
        user=user.id,
        token=user.session_token,
        until=int(now_utc().timestamp()) + PENDING_SECONDS,
        remember=remember,
        next=target,
    )


def pending() -> Pending | None:
    """The pending sign-in, unless it went stale or its account logged out everywhere since."""
    value = session.get(PENDING)
    if not isinstance(value, dict) or not isinstance(value.get("user"), int):
        return None
    if int(value.get("until", 0)) < now_utc().timestamp():
        session.pop(PENDING, None)
        return None
    token = db.session.scalar(select(User.session_token).where(User.id == value["user"]))
    if token is None or token != value.get("token"):
        session.pop(PENDING, None)
        return None
    return Pending(
        user=value["user"],
        token=str(value["token"]),
        until=int(value["until"]),
        remember=bool(value.get("remember")),
        next=str(value.get("next", "")),
    )


def _coach_and_factor(user_id: int) -> tuple[CoachProfile | None, bool]:
    """The coach profile and whether a factor is confirmed, in one query."""
    row = db.session.execute(
        select(CoachProfile, SecondFactor.confirmed_at)
        .outerjoin(SecondFactor, SecondFactor.user_id == CoachProfile.user_id)
        .where(CoachProfile.user_id == user_id)
    ).first()
    if row is None:
        return None, False
    return row[0], row[1] is not None


def is_coach(user_id: int) -> bool:
    return (
        db.session.scalar(select(CoachProfile.user_id).where(CoachProfile.user_id == user_id))
        is not None
    )


def coach_required(view: Callable[P, ResponseReturnValue]) -> Callable[P, ResponseReturnValue]:
    """Put a view behind the coach's sign-in: see the module's docstring for the four steps."""

    @wraps(view)
    def guarded_view(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
        if not current_user.is_authenticated:
            to_login: ResponseReturnValue = login_manager.unauthorized()  # keeps `next`
            return to_login
        profile, has_factor = _coach_and_factor(current_user.id)
        if profile is None:
            abort(404)
        if not has_factor:
            flash(_("Set up two-step verification first; coach pages need it."))
            return redirect(url_for("security.coach"))
        if not factor_passed():
            return redirect(url_for("second_factor.code", next=request.full_path.rstrip("?")))
        g.coach_profile = profile
        return view(*args, **kwargs)

    return guarded_view


def current_coach_profile() -> CoachProfile:
    """The signed-in coach's profile, inside a `coach_required` view (no second query)."""
    profile = g.get("coach_profile")
    if profile is None:
        profile = db.session.get(CoachProfile, current_user.id)
        if profile is None:
            abort(404)
        g.coach_profile = profile
    assert isinstance(profile, CoachProfile)
    return profile


def coach_landing(user_id: int, target: str) -> str:
    """A coach signing in without a page to go back to starts on the coach's side."""
    if target == url_for("home.index") and is_coach(user_id):
        return coach_home()
    return target


def coach_home() -> str:
    """Where a coach starts: the caseload (journal.web.coach)."""
    return url_for("coach.caseload")
