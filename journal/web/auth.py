"""Register, log in, log out. Answers never reveal whether an e-mail address has an account."""

from __future__ import annotations

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

from journal.clock import now_utc, time_zones
from journal.extensions import db, login_manager
from journal.models import SignedIn, User
from journal.web import parsing
from journal.web.i18n import LANGUAGES, select_locale
from journal.web.rate_limits import Guard, account_key, guarded

bp = Blueprint("auth", __name__)

PASSWORD_MIN = 10
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
    _USERS.c.id, _USERS.c.email, _USERS.c.language, _USERS.c.timezone, _USERS.c.session_token
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


def _safe_next(target: str | None) -> str:
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
                user.password_hash = hasher.hash(password)
                db.session.commit()
            login_user(user, remember=bool(request.form.get("remember")))
            session.pop("language", None)
            return redirect(_safe_next(request.form.get("next")))
        error = _("That e-mail address and password do not match an account.")
    return render_template(
        "auth/login.html", email=email, error=error, next=request.values.get("next", "")
    ), (401 if error else 200)


@bp.route("/register", methods=["GET", "POST"])
@guarded(Guard.REGISTER_ADDRESS)
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    email = normalise_email(request.form.get("email", ""))
    errors: dict[str, str] = {}
    if request.method == "POST":
        password = request.form.get("password", "")
        if (
            "@" not in email
            or len(email) > 254
            or email.startswith("@")
            or email.endswith("@")
            or not parsing.one_line(email)  # a NUL broke the query (issue 17)
        ):
            errors["email"] = _("Please enter a valid e-mail address.")
        if len(password) < PASSWORD_MIN:
            errors["password"] = _(
                "Please choose a password of at least %(n)s characters.", n=PASSWORD_MIN
            )
        if not errors:
            password_hash = hasher.hash(password)  # hashed in both branches: equal timing
            exists = db.session.scalar(select(User.id).where(User.email == email))
            if exists is None:
                zone = request.form.get("timezone", "")
                db.session.add(
                    User(
                        email=email,
                        password_hash=password_hash,
                        language=select_locale(),
                        timezone=zone
                        if zone in time_zones()
                        else current_app.config["JOURNAL"]["DEFAULT_TIMEZONE"],
                        created_at=now_utc(),
                    )
                )
                db.session.commit()
            # The same answer whether or not the address was already known.
            flash(_("Your account is ready if this address was new to us. Log in to start."))
            return redirect(url_for("auth.login", email=email))
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
    return redirect(_safe_next(request.form.get("next")))
