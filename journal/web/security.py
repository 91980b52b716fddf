"""The second factor's page (issue 20): `/coach/security` for coaches, `/account/security` for
persons; one template, one set of views, told apart by `Side`.

Setting up: a new secret is kept in the session (shown on the page anyway) until a first code
from the app proves it arrived; only then is it stored, replacing any earlier factor, so an
abandoned set-up or replacement never locks anyone out. Recovery codes are shown once, right
after they are made, and only their hashes are kept. A coach cannot turn the factor off, only
replace it; a person turns it off with their password.

Once a factor is on, this page is only for a session that passed it: a session restored by a
remember-me cookie, or begun before the factor, goes through the code step first.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Final

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from journal.clock import now_utc
from journal.extensions import db
from journal.models import CoachProfile
from journal.store import second_factors
from journal.web.account import signed_in_account
from journal.web.auth import current_account, password_refused, verify_password
from journal.web.coach_account import profile_errors, profile_form
from journal.web.coach_auth import coach_home, factor_passed, is_coach, mark_factor_passed
from journal.web.rate_limits import Guard, guarded
from journal.web.second_factor import code_refused, refuse_code
from journal.web.share import qr_svg

bp = Blueprint("security", __name__)

SETUP: Final = "totp_setup"  # the secret being set up, until its first code is typed
_CODE_LINE: Final = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")


class Side(StrEnum):
    COACH = "coach"
    PERSON = "person"


def _refused(response: Response) -> bool:
    return password_refused(response) or code_refused(response)


# A code or a password typed here counts like a password on the account page.
PER_ADDRESS = guarded(Guard.PASSWORD_ADDRESS, only_when=_refused)
PER_ACCOUNT = guarded(Guard.PASSWORD_ACCOUNT, signed_in_account, only_when=_refused)


def _gate(side: Side) -> ResponseReturnValue | None:
    """None when this session may use this side's page, else where it goes instead."""
    coach = is_coach(current_user.id)
    if side is Side.COACH and not coach:
        abort(404)  # see journal.web.coach_auth: persons are not told of coach pages
    if side is Side.PERSON and coach:
        return redirect(url_for("security.coach"))
    if second_factors.confirmed(current_user.id) and not factor_passed():
        return redirect(url_for("second_factor.code", next=url_for(f"security.{side}")))
    return None


def _setup() -> dict[str, Any] | None:
    secret = session.get(SETUP)
    if not isinstance(secret, str):
        return None
    uri = second_factors.setup_uri(secret, current_user.email)
    return {
        "qr": qr_svg(uri, label=_("QR code to scan with your authenticator app")),
        "secret": second_factors.grouped(secret),
    }


def render_security(
    side: Side,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    codes: list[str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    state = second_factors.state(current_user.id)
    if not state.confirmed and SETUP not in session:
        session[SETUP] = second_factors.new_secret()
    response = make_response(
        render_template(
            "coach_account/security.html",
            side=side,
            state=state,
            setup=_setup(),
            codes=codes,
            profile=db.session.get(CoachProfile, current_user.id) if side is Side.COACH else None,
            errors=errors or {},
            form=form or {},
            done_url=coach_home() if side is Side.COACH else url_for("account.account"),
        ),
        status,
    )
    response.headers["Cache-Control"] = "no-store"  # a secret or recovery codes may be on it
    return response


def _route(rule: str, name: str, **options: Any) -> Any:
    """Register the view for both sides: /coach/security... and /account/security..."""

    def register(view: Any) -> Any:
        for side, prefix in ((Side.COACH, "/coach/security"), (Side.PERSON, "/account/security")):
            endpoint = f"{side}{name}"
            bp.add_url_rule(prefix + rule, endpoint, view, defaults={"side": side}, **options)
        return view

    return register


@_route("", "")
@login_required
def page(side: Side) -> ResponseReturnValue:
    return _gate(side) or render_security(side)


@_route("/confirm", "_confirm", methods=["POST"])
@PER_ADDRESS
@PER_ACCOUNT
@login_required
def confirm(side: Side) -> ResponseReturnValue:
    if gate := _gate(side):
        return gate
    secret = session.get(SETUP)
    if not isinstance(secret, str):
        return redirect(url_for(f"security.{side}"))
    if not second_factors.confirm(current_user.id, secret, request.form.get("code", ""), now_utc()):
        refuse_code()
        error = _("That code does not work. Wait for the next code in your app and type that one.")
        return render_security(side, errors={"code": error}, status=422)
    session.pop(SETUP, None)
    mark_factor_passed(current_user.id)  # typing the first code counts as passing it
    if second_factors.state(current_user.id).recovery_left:  # a replacement keeps the codes
        flash(_("Your new authenticator app is set up. Your recovery codes stay the same."))
        return redirect(url_for(f"security.{side}"))
    flash(_("Two-step verification is on. Keep these recovery codes somewhere safe."))
    return render_security(side, codes=second_factors.new_recovery_codes(current_user.id))


@_route("/replace", "_replace", methods=["POST"])
@login_required
def replace(side: Side) -> ResponseReturnValue:
    """Start setting up another app (a new phone); the current one works until then."""
    if gate := _gate(side):
        return gate
    if request.form.get("cancel"):
        session.pop(SETUP, None)
    else:
        session[SETUP] = second_factors.new_secret()
    return redirect(url_for(f"security.{side}") + ("" if request.form.get("cancel") else "#setup"))


@_route("/codes", "_codes", methods=["POST"])
@PER_ADDRESS
@PER_ACCOUNT
@login_required
def regenerate(side: Side) -> ResponseReturnValue:
    """New recovery codes in place of the old, for a current code from the app."""
    if gate := _gate(side):
        return gate
    if not second_factors.check_totp(current_user.id, request.form.get("code", ""), now_utc()):
        refuse_code()
        error = _("That code does not work. Wait for the next code in your app and type that one.")
        return render_security(side, errors={"regen_code": error}, status=422)
    flash(_("Here are your new recovery codes; the old ones no longer work."))
    return render_security(side, codes=second_factors.new_recovery_codes(current_user.id))


@bp.post("/account/security/off")
@PER_ADDRESS
@PER_ACCOUNT
@login_required
def turn_off() -> ResponseReturnValue:
    """Persons only: a coach's pages need the factor, so a coach can only replace it."""
    if gate := _gate(Side.PERSON):
        return gate
    if not verify_password(current_account(), request.form.get("password", "")):
        error = _("That is not your current password.")
        return render_security(Side.PERSON, errors={"password": error}, status=422)
    second_factors.remove(current_user.id)
    session.pop(SETUP, None)
    flash(_("Two-step verification is off. Logging in needs only your password again."))
    return redirect(url_for("account.account"))


@bp.post("/account/security/recovery-codes.txt")
@login_required
def codes_text() -> ResponseReturnValue:
    """The codes on the page as a text file. They are only hashed here, so the page posts
    them back; only lines shaped like recovery codes go into the file."""
    codes = [code for code in request.form.getlist("code") if _CODE_LINE.match(code)]
    if not codes:
        abort(400)
    lines = [
        _("Hersteldagboek recovery codes for %(email)s", email=current_user.email),
        _("Each code works once, when you cannot use your authenticator app."),
        "",
        *codes,
        "",
    ]
    response = make_response("\r\n".join(lines))
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    response.headers["Content-Disposition"] = (
        'attachment; filename="hersteldagboek-recovery-codes.txt"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/coach/profile")
@login_required
def profile() -> ResponseReturnValue:
    """The name and practice clients see, from the coach's security page."""
    if gate := _gate(Side.COACH):
        return gate
    coach = db.session.get(CoachProfile, current_user.id)
    assert coach is not None  # the gate let a coach through
    name, practice = profile_form()
    if errors := profile_errors(name, practice):
        form = {"display_name": name, "practice": practice}
        return render_security(Side.COACH, errors=errors, form=form, status=422)
    coach.display_name = name
    coach.practice = practice
    db.session.commit()
    flash(_("Your profile is saved."))
    return redirect(url_for("security.coach") + "#profile")
