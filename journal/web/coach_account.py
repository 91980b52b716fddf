"""A coach's own account (issue 20): registering as a coach, and the coach's profile.

A coach account is a person's account (same address and password rules, the same welcome
mail with its confirmation link) plus a `CoachProfile`: the name clients see, the practice,
and a short code a client may type instead of the address. Coaches skip the person's
first-run welcome, and go straight to setting up the second factor, which every coach page
needs (journal.web.coach_auth). The security page, shared with persons and holding the
coach's profile form, is journal.web.security.
"""

from __future__ import annotations

import secrets
from typing import Final

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from journal.clock import now_utc
from journal.extensions import db
from journal.models import CoachProfile, TokenPurpose, User
from journal.store.second_factors import ALPHABET
from journal.web import parsing
from journal.web.account_mail import mail_link_after
from journal.web.auth import account_errors, add_account, normalise_email
from journal.web.coach_auth import is_coach
from journal.web.rate_limits import Guard, guarded

bp = Blueprint("coach_account", __name__)

NAME_MAX: Final = 80  # CoachProfile.display_name
PRACTICE_MAX: Final = 120  # CoachProfile.practice
_CODE_HALF: Final = 3


def new_coach_code() -> str:
    """Like "K7M-4QX": six signs that cannot be misread, not yet any coach's.

    29^6 codes: a clash is rare, and checked; the unique index catches a race.
    """
    while True:
        signs = "".join(secrets.choice(ALPHABET) for _ in range(2 * _CODE_HALF))
        code = f"{signs[:_CODE_HALF]}-{signs[_CODE_HALF:]}"
        if db.session.scalar(select(CoachProfile.user_id).where(CoachProfile.code == code)) is None:
            return code


def profile_errors(name: str, practice: str) -> dict[str, str]:
    errors = {}
    if not name or len(name) > NAME_MAX or not parsing.one_line(name):
        errors["display_name"] = _(
            "Please give the name your clients know you by (at most %(n)s characters).",
            n=NAME_MAX,
        )
    if len(practice) > PRACTICE_MAX or not parsing.one_line(practice):
        errors["practice"] = _(
            "Please keep the practice to one line of at most %(n)s characters.", n=PRACTICE_MAX
        )
    return errors


def profile_form() -> tuple[str, str]:
    """The name and practice as typed: at registering and on the security page."""
    return (
        request.form.get("display_name", "").strip(),
        request.form.get("practice", "").strip(),
    )


@bp.route("/coach/register", methods=["GET", "POST"])
@guarded(Guard.REGISTER_ADDRESS)
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        if is_coach(current_user.id):
            return redirect(url_for("security.coach"))
        flash(
            _("You are logged in with a personal account. Log out first to make a coach account.")
        )
        return redirect(url_for("home.index"))
    email = normalise_email(request.form.get("email", ""))
    name, practice = profile_form()
    errors: dict[str, str] = {}
    if request.method == "POST":
        password = request.form.get("password", "")
        errors = account_errors(email, password) | profile_errors(name, practice)
        if not errors:

            def make_coach(user: User) -> None:
                user.welcomed_at = now_utc()  # the person's welcome is about a diary
                db.session.add(
                    CoachProfile(
                        user_id=user.id,
                        display_name=name,
                        practice=practice,
                        code=new_coach_code(),
                        created_at=now_utc(),
                    )
                )

            user = add_account(email, password, make_coach)
            if user is None:
                return redirect(url_for("auth.login", email=email))
            flash(
                _("Welcome! One more thing before you can see clients: two-step verification.")
            )  # fmt: skip
            return mail_link_after(
                redirect(url_for("security.coach")),
                user.id,
                TokenPurpose.EMAIL_VERIFY,
            )
    page = render_template(
        "coach_account/register.html", email=email, name=name, practice=practice, errors=errors
    )
    return page, (422 if errors else 200)
