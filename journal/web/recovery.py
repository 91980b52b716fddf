"""A way back into the account (issue 19): a new password by a mailed link, and the address
confirmed by one.

- /password/forgot: the form asks for an address; the answer (a redirect to "check your mail")
  is the same, byte for byte, whether or not the address has an account. The account is looked
  up, and its link made and mailed, only after that answer has gone (account_mail).
- /password/reset/<token>: a single-use link that works for an hour. Setting the password
  there ends every session of the account (as changing it on the account page does), closes
  the account's other reset links, counts the address as confirmed (the link proved it) and
  signs the person in.
- /email/verify/<token>: confirms the address; works without signing in, and says "confirmed"
  again when opened twice (a mail scanner may open it first). It signs nobody in.
- /email/resend: the banner's "send it again"; /email/change: correct a mistyped address.

Every link that does not work (malformed, unknown, used, expired) gets one and the same 404
page; the links are redacted from the request log (log_redaction).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from journal.clock import now_utc
from journal.extensions import db
from journal.models import TokenPurpose, User
from journal.store import account_tokens
from journal.web.account import PER_ACCOUNT, PER_ADDRESS
from journal.web.account_mail import mail_link_after, mail_reset_link_after
from journal.web.auth import (
    current_account,
    hash_password,
    normalise_email,
    password_too_short,
    plausible_email,
    safe_next,
    sign_in_or_ask_code,
    typed_account,
    verify_password,
)
from journal.web.coach_auth import PENDING
from journal.web.log_redaction import install_log_redaction
from journal.web.rate_limits import Guard, account_key, guarded

bp = Blueprint("recovery", __name__)

# The pages of a link carry it in their address: kept out of caches along the way.
NO_STORE = {"Cache-Control": "no-store"}
LINK_LOOKUPS = guarded(Guard.ACCOUNT_LINK_ADDRESS, methods=None)


@bp.record_once
def _on_register(state: BlueprintSetupState) -> None:
    install_log_redaction(state.app)


def signed_in_address() -> str:
    """The mail counter of the signed-in person's own address."""
    # Checked before login_required: nobody is signed in then, and nothing is mailed.
    if not current_user.is_authenticated:
        return "signed-out"
    return account_key(current_user.email)


def _link_gone(purpose: TokenPurpose) -> ResponseReturnValue:
    page = render_template(
        "recovery/link_gone.html",
        for_password=purpose is TokenPurpose.PASSWORD_RESET,
        days=account_tokens.LIFETIME[TokenPurpose.EMAIL_VERIFY].days,
    )
    return page, 404, NO_STORE


@bp.route("/password/forgot", methods=["GET", "POST"])
@guarded(Guard.FORGOT_ADDRESS)
@guarded(Guard.ACCOUNT_MAIL, typed_account)
def forgot() -> ResponseReturnValue:
    email = normalise_email(request.values.get("email", ""))
    if request.method == "POST":
        if not plausible_email(email):
            errors = {"email": _("Please enter a valid e-mail address.")}
            return render_template("recovery/forgot.html", email=email, errors=errors), 422
        # 303: the browser's reload asks for the "sent" page, not for a second mail.
        return mail_reset_link_after(redirect(url_for("recovery.sent"), 303), email)
    return render_template("recovery/forgot.html", email=email, errors={})


@bp.get("/password/forgot/sent")
def sent() -> ResponseReturnValue:
    return render_template("recovery/sent.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@LINK_LOOKUPS
def reset(token: str) -> ResponseReturnValue:
    now = now_utc()
    link = account_tokens.find(token, TokenPurpose.PASSWORD_RESET)
    if link is None or not account_tokens.is_open(link, now):
        return _link_gone(TokenPurpose.PASSWORD_RESET)
    errors: dict[str, str] = {}
    if request.method == "POST":
        password = request.form.get("password", "")
        if (short := password_too_short(password)) is not None:
            errors["password"] = short
        else:
            user = db.session.get(User, link.user_id)
            if user is None or not account_tokens.use(link, now):
                return _link_gone(TokenPurpose.PASSWORD_RESET)  # used by a request just now
            user.password_hash = hash_password(password)
            user.rotate_session_token()  # ends every other session and remember-me cookie
            if user.email_verified_at is None:
                user.email_verified_at = now  # the mailed link reached the person
            db.session.commit()
            # A mailbox is not a second factor: with one on, its code is still asked (issue 20).
            answer = sign_in_or_ask_code(user, url_for("home.index"), remember=False)
            if PENDING in session:  # not signed in yet: the code step does that
                flash(_("You have a new password. Now the code from your authenticator app."))
            else:
                flash(_("You have a new password, and you are logged in. Everywhere else you "
                        "are logged out."))  # fmt: skip
            return answer
    page = render_template("recovery/reset.html", token=token, errors=errors)
    return page, 422 if errors else 200, NO_STORE


@bp.get("/email/verify/<token>")
@LINK_LOOKUPS
def verify_email(token: str) -> ResponseReturnValue:
    now = now_utc()
    link = account_tokens.find(token, TokenPurpose.EMAIL_VERIFY)
    user = None if link is None else db.session.get(User, link.user_id)
    if link is None or user is None:
        return _link_gone(TokenPurpose.EMAIL_VERIFY)
    if user.email_verified_at is None:
        if not account_tokens.is_open(link, now) or not account_tokens.use(link, now):
            return _link_gone(TokenPurpose.EMAIL_VERIFY)
        user.email_verified_at = now
        db.session.commit()
    flash(_("Your e-mail address is confirmed. Thank you!"))
    return redirect(url_for("home.index" if current_user.is_authenticated else "auth.login"))


@bp.post("/email/resend")
@guarded(Guard.ACCOUNT_MAIL, signed_in_address)
@login_required
def resend() -> ResponseReturnValue:
    user = current_account()
    response = redirect(safe_next(request.form.get("next")))
    if user.email_verified_at is not None:
        return response
    flash(_("We sent a new link to %(email)s.", email=user.email))
    return mail_link_after(response, user.id, TokenPurpose.EMAIL_VERIFY)


@bp.route("/email/change", methods=["GET", "POST"])
@PER_ADDRESS
@PER_ACCOUNT
@guarded(Guard.ACCOUNT_MAIL, typed_account)
@login_required
def change_email() -> ResponseReturnValue:
    """A new address, unconfirmed until its link is opened; the old address's links stop."""
    user = current_account()
    if request.method == "GET":
        return render_template("recovery/change_email.html", email="", errors={})
    email = normalise_email(request.form.get("email", ""))
    errors = {}
    if not plausible_email(email):
        errors["email"] = _("Please enter a valid e-mail address.")
    if not verify_password(user, request.form.get("current_password", "")):
        errors["current_password"] = _("That is not your current password.")
    if not errors and email != user.email:
        taken = db.session.scalar(select(User.id).where(User.email == email, User.id != user.id))
        if taken is None:
            errors = _change(user, email)
        else:
            errors["email"] = _("Another account uses this address.")
    if errors:
        page = render_template("recovery/change_email.html", email=email, errors=errors)
        return page, 422
    if user.email_verified_at is not None:  # the same, confirmed address: nothing to do
        return redirect(url_for("home.index"))
    flash(_("We sent a link to %(email)s. Open it to confirm the address.", email=email))
    return mail_link_after(redirect(url_for("home.index")), user.id, TokenPurpose.EMAIL_VERIFY)


def _change(user: User, email: str) -> dict[str, str]:
    """Store the new address; the errors, if another account took it a moment ago."""
    user.email = email
    user.email_verified_at = None
    # A link mailed to the old address must not confirm the new one, nor reset the password.
    account_tokens.close_open(user.id, tuple(TokenPurpose), now_utc())
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return {"email": _("Another account uses this address.")}
    return {}
