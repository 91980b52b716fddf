"""Configuration: defaults, then JOURNAL_* environment variables, then a test mapping.

Every option is listed in OPTIONS with its default so the README table and the code agree.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

ENV_PREFIX = "JOURNAL_"

# option name (without prefix): (default, description). None means "derived at start".
OPTIONS: dict[str, tuple[Any, str]] = {
    "DATABASE_URL": (None, "SQLAlchemy URL; default SQLite file instance/journal.sqlite3"),
    "SECRET_KEY": (None, "session signing key; default generated once into instance/secret_key"),
    "DEFAULT_TIMEZONE": ("Europe/Amsterdam", "time zone when the browser does not give one"),
    "DEFAULT_LANGUAGE": ("nl", "language for visitors without a choice (nl or en)"),
    "REMEMBER_DAYS": (30, "how long 'remember me' keeps a person logged in (at most 30)"),
    "COOKIE_SECURE": (None, "Secure flag on cookies; default on unless running with --debug"),
    "EDIT_HOURS": (48, "how long a check-in can be edited after it was made"),
    # Reminders (issue 6): the `flask --app journal reminders run` process reads these.
    "APP_BASE_URL": ("http://127.0.0.1:5000", "the app's public address, for links in e-mails"),
    "SMTP_HOST": (None, "SMTP server for e-mail reminders; unset: e-mail reminders are skipped"),
    "SMTP_PORT": (587, "SMTP port (465 means TLS from the start)"),
    "SMTP_USER": (None, "SMTP login name, if the server wants one"),
    "SMTP_PASSWORD": (None, "SMTP password"),
    "SMTP_FROM": ("Hersteldagboek <noreply@localhost>", "sender address of reminder e-mails"),
    "SMTP_STARTTLS": (True, "upgrade the SMTP connection with STARTTLS (not on port 465)"),
    "MAIL_DIR": (
        None,
        "where account e-mails (password reset, address confirmation) are written when "
        "SMTP_HOST is unset; default instance/mail",
    ),
    "VAPID_PRIVATE_KEY": (
        None,
        "Web Push key (PEM or base64url); default generated once "
        "into instance/vapid_private_key.pem",
    ),
    "VAPID_SUBJECT": ("mailto:noreply@localhost", "Web Push contact (mailto: or https: URL)"),
    "RATELIMIT_STORAGE_URI": (
        "memory://",
        "where the rate limits count: memory:// (each process alone) or redis://host:6379/0 "
        "(shared by every worker and host)",
    ),
    "PROXY_HOPS": (
        0,
        "how many proxies of your own sit in front of the app; their X-Forwarded-For and "
        "-Proto are trusted (0: none, the address is the one gunicorn sees)",
    ),
    "PUSH_ALLOW_LOCAL": (
        False,
        "accept plain-http push endpoints and ones on this machine "
        "(tests and local development only)",
    ),
}


def _from_env(name: str, default: Any) -> Any:
    raw = os.environ.get(ENV_PREFIX + name)
    if raw is None:
        return default
    if isinstance(default, bool) or name == "COOKIE_SECURE":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def instance_file(instance: Path, name: str, make: Callable[[], bytes]) -> str:
    """Read a private file of the instance folder, writing `make()` into it on first use.

    Written whole to a private temporary file, then linked into place: a second process that
    starts at the same moment finds either no file or a complete one, and os.link refuses to
    replace the winner's.
    """
    path = instance / name
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        temp = instance / f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(make())
        try:
            os.link(temp, path)
        except FileExistsError:
            pass
        finally:
            temp.unlink()
    return path.read_text()


def load(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    settings = {name: _from_env(name, default) for name, (default, _) in OPTIONS.items()}
    if test_config:
        settings.update({k: v for k, v in test_config.items() if k in OPTIONS})
    instance = Path(app.instance_path)

    database_url = settings["DATABASE_URL"] or f"sqlite:///{instance / 'journal.sqlite3'}"
    if database_url.startswith("sqlite:///") and not settings["DATABASE_URL"]:
        instance.mkdir(parents=True, exist_ok=True)
    secure = settings["COOKIE_SECURE"]
    if secure is None:
        secure = not app.debug
    remember_days = min(int(settings["REMEMBER_DAYS"]), 30)

    app.config.from_mapping(
        JOURNAL=settings,
        SECRET_KEY=settings["SECRET_KEY"]
        or instance_file(instance, "secret_key", lambda: secrets.token_hex(32).encode()).strip(),
        SQLALCHEMY_DATABASE_URI=database_url,
        # A server database can drop idle connections; a file cannot, so SQLite skips the ping.
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": not database_url.startswith("sqlite")},
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_DURATION=timedelta(days=remember_days),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        BABEL_DEFAULT_LOCALE=settings["DEFAULT_LANGUAGE"],
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        WTF_CSRF_TIME_LIMIT=None,  # a check-in form left open overnight must still save
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        # Set, not left to Flask-Limiter's default: its limiter object outlives an app and
        # would otherwise carry one app's RATELIMIT_ENABLED into the next (tests make many).
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=settings["RATELIMIT_STORAGE_URI"],
    )
    if test_config:
        app.config.update({k: v for k, v in test_config.items() if k not in OPTIONS})
