"""Register, log in, log out. Answers never reveal whether an e-mail address has an account."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
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
from journal.prepared import Prepared
from journal.web.i18n import LANGUAGES, select_locale

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


# Every signed-in request runs this; see journal/prepared.py.
_USERS = User.__table__
_SIGNED_IN = Prepared(
    select(
        _USERS.c.id, _USERS.c.email, _USERS.c.language, _USERS.c.timezone, _USERS.c.session_token
    ).where(_USERS.c.id == bindparam("user_id"))
)


@login_manager.user_loader
def load_user(login_id: str) -> SignedIn | None:
    user_id, _, token = login_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    row = _SIGNED_IN.first(db.session.connection(), {"user_id": int(user_id)})
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
        return hasher.verify(user.password_hash if user else _dummy_hash(), password) and bool(user)
    except (VerificationError, InvalidHashError):
        return False


def _safe_next(target: str | None) -> str:
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    email = normalise_email(request.form.get("email", request.args.get("email", "")))
    error = None
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
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    email = normalise_email(request.form.get("email", ""))
    errors: dict[str, str] = {}
    if request.method == "POST":
        password = request.form.get("password", "")
        if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
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
    language = current_user.language
    logout_user()
    session["language"] = language
    flash(_("You are logged out. See you soon."))
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
