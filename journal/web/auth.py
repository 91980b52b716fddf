"""Register, log in, log out.

Logging in never reveals whether an e-mail address has an account. Registering does, since it
signs a new person in (issue 19) and cannot do that for an address that is taken: it sends
that one to the login page instead, which is rate limited like every answer that tells.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
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
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from journal.clock import now_utc, time_zones
from journal.extensions import db, login_manager
from journal.models import SignedIn, TokenPurpose, User
from journal.passwords import PASSWORD_MIN, long_enough
from journal.store import second_factors
from journal.web import parsing
from journal.web.account_mail import mail_link_after
from journal.web.coach_auth import coach_landing, forget_factor, start_pending
from journal.web.i18n import LANGUAGES, select_locale
from journal.web.rate_limits import Guard, account_key, guarded

bp = Blueprint("auth", __name__)

hasher = PasswordHasher()  # argon2-cffi's defaults are Argon2id with RFC 9106 low-memory settings


@cache
def _dummy_hash() -> str:
    """Verifying against this when the account is unknown keeps both answers equally slow.
    Made on first use: hashing at import would cost every worker and CLI command ~0.2 s."""
    return hasher.hash("not a real password, only for equal timing")


login_manager.login_view = "auth.login"
login_manager.login_message = ""  # the login page explains itself; an empty flash is skipped


# Every signed-in request runs this; why a snapshot and not a `User`: see `SignedIn`.
_USERS = User.__table__
_SIGNED_IN = select(
    _USERS.c.id,
    _USERS.c.email,
    _USERS.c.language,
    _USERS.c.timezone,
    _USERS.c.session_token,
    _USERS.c.email_verified_at,
).where(_USERS.c.id == bindparam("user_id"))


@login_manager.user_loader
def load_user(login_id: str) -> SignedIn | None:
    user_id, _, token = login_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    row = db.session.execute(_SIGNED_IN, {"user_id": int(user_id)}).first()
    user = None if row is None else SignedIn(*row)
    # A changed password rotates the token, which ends every other session.
    return user if user is not None and user.session_token == token else None


def current_account() -> User:
    """The signed-in person's `User` row, for a view that checks or changes the account."""
    user = db.session.get(User, current_user.id)
    if user is None:  # deleted by another request since this one signed in
        abort(404)
    return user


def normalise_email(text: str) -> str:
    return text.strip().lower()


def plausible_email(email: str) -> bool:
    """Something that could be an address (a normalised one); the mailed link proves it."""
    return (
        "@" in email
        and len(email) <= 254
        and not email.startswith("@")
        and not email.endswith("@")
        and parsing.one_line(email)  # a NUL broke the query (issue 17)
    )


def hash_password(password: str) -> str:
    """The stored form of a password. Call this rather than importing `hasher`: a name
    imported elsewhere would keep the hasher of import time (tests make this one cheap)."""
    return hasher.hash(password)


def verify_password(user: User | None, password: str) -> bool:
    try:
        if hasher.verify(user.password_hash if user else _dummy_hash(), password) and user:
            return True
    except (VerificationError, InvalidHashError):
        pass
    g.password_refused = True  # counted against the rate limits: see `password_refused`
    return False


def password_refused(_response: Response) -> bool:
    """Whether this request checked a password and it was wrong: only those count as guesses."""
    return bool(g.get("password_refused"))


def typed_account() -> str:
    """The login's per-account counter: the address typed, so that guesses at one account
    from many addresses add up."""
    return account_key(normalise_email(request.form.get("email", "")))


def safe_next(target: str | None) -> str:
    """A path on this site, else home. Control characters and backslashes are refused: CR/LF
    cannot go into a Location header, and browsers drop tabs and read "\\" as "/", which
    turns "/\\evil.example" into another site's address."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and parsing.one_line(target)
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("home.index")


def landing(user: User, target: str) -> str:
    """Where a sign-in leads: the first-run welcome until the person finished or skipped it
    (journal.web.welcome), which then leads on to `target`; else `target` itself."""
    if user.welcomed_at is not None:
        return target
    home = url_for("home.index")
    return url_for("welcome.step", number=1, next=None if target == home else target)


def sign_in(user: User, *, remember: bool = False) -> None:
    """Sign `user` in on this browser: a fresh second-factor state, and the account's own
    language from now on instead of the one chosen while logged out."""
    forget_factor()
    login_user(user, remember=remember)
    session.pop("language", None)


def sign_in_or_ask_code(user: User, target: str, *, remember: bool) -> ResponseReturnValue:
    """After a right password (login, or a new one by the mailed link): signed in and on to
    `target` (by way of the coach's side and the first-run welcome), or, with two-step
    verification on, to the code step, which signs in there (journal.web.second_factor)."""
    target = landing(user, coach_landing(user.id, target))
    if second_factors.confirmed(user.id):
        start_pending(user, remember=remember, target=target)
        return redirect(url_for("second_factor.code"))
    sign_in(user, remember=remember)
    return redirect(target)


@bp.route("/login", methods=["GET", "POST"])
@guarded(Guard.LOGIN_ADDRESS, only_when=password_refused)
@guarded(Guard.LOGIN_ACCOUNT, typed_account, only_when=password_refused)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    email = normalise_email(request.form.get("email", request.args.get("email", "")))
    error = None
    if request.method == "POST" and not parsing.one_line(email):
        # No account has such an address, and a NUL would break the query (issue 17).
        errors = {"email": _("Please enter a valid e-mail address.")}
        page = render_template(
            "auth/login.html", email=email, errors=errors, next=request.form.get("next", "")
        )
        return page, 422
    if request.method == "POST":
        password = request.form.get("password", "")
        user = db.session.scalar(select(User).where(User.email == email))
        if verify_password(user, password):
            assert user is not None
            if hasher.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
                db.session.commit()
            return sign_in_or_ask_code(
                user,
                safe_next(request.form.get("next")),
                remember=bool(request.form.get("remember")),
            )
        error = _("That e-mail address and password do not match an account.")
    return render_template(
        "auth/login.html", email=email, error=error, next=request.values.get("next", "")
    ), (401 if error else 200)


def account_errors(email: str, password: str) -> dict[str, str]:
    """What is wrong with a new account's address and password (also the coach's, issue 20)."""
    errors = {}
    if not plausible_email(email):
        errors["email"] = _("Please enter a valid e-mail address.")
    if (short := password_too_short(password)) is not None:
        errors["password"] = short
    return errors


def password_too_short(password: str) -> str | None:
    """The message for a new password that is too short (registering, reset, change)."""
    if long_enough(password):
        return None
    return str(_("Please choose a password of at least %(n)s characters.", n=PASSWORD_MIN))


def add_account(
    email: str, password: str, also: Callable[[User], None] | None = None
) -> User | None:
    """Make the account, with `also` adding rows of its own in the same transaction, and
    sign it in. None when the address has an account: the caller sends them to log in."""
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        flash(
            _("There is already an account with this address. Log in, or ask for a new "
              "password if you forgot it.")
        )  # fmt: skip
        return None
    zone = request.form.get("timezone", "")
    user = User(
        email=email,
        password_hash=hash_password(password),
        language=select_locale(),
        timezone=zone
        if zone in time_zones()
        else current_app.config["JOURNAL"]["DEFAULT_TIMEZONE"],
        created_at=now_utc(),
    )
    db.session.add(user)
    try:
        if also is not None:
            db.session.flush()  # gives `user` its id
            also(user)
        db.session.commit()
    except IntegrityError:  # the same address registered a moment ago
        db.session.rollback()
        return None
    sign_in(user)
    return user


@bp.route("/register", methods=["GET", "POST"])
@guarded(Guard.REGISTER_ADDRESS)
def register() -> ResponseReturnValue:
    """A new account signs in at once and is sent a link that confirms its address."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    email = normalise_email(request.form.get("email", ""))
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors = account_errors(email, request.form.get("password", ""))
        if not errors:
            user = add_account(email, request.form.get("password", ""))
            if user is None:
                return redirect(url_for("auth.login", email=email))
            flash(_("Welcome! Your journal is ready."))
            return mail_link_after(
                redirect(landing(user, url_for("home.index"))), user.id, TokenPurpose.EMAIL_VERIFY
            )
    return render_template("auth/register.html", email=email, errors=errors), (
        422 if errors else 200
    )


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """End the session on the server, not only in this browser.

    Rotating the account's session token makes every copy of the session cookie and every
    remember-me cookie of the account useless, so logging out here logs out on every device:
    a copied or forgotten cookie is otherwise good until it expires.
    """
    language = current_user.language
    user = db.session.get(User, current_user.id)
    if user is not None:  # None: deleted by another request meanwhile, nothing left to end
        user.rotate_session_token()
        db.session.commit()
    logout_user()
    forget_factor()
    session["language"] = language
    flash(_("You are logged out on all your devices. See you soon."))
    response = redirect(url_for("auth.login"))
    # Personal pages may sit in the browser's HTTP cache; the service worker clears its own
    # page cache, and the outbox (IndexedDB) is deliberately left alone.
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@bp.post("/language")
def language() -> ResponseReturnValue:
    chosen = request.form.get("language", "")
    if chosen in LANGUAGES:
        if current_user.is_authenticated:
            current_account().language = chosen
            db.session.commit()
        session["language"] = chosen
    return redirect(safe_next(request.form.get("next")))
