"""E-mail reminders over SMTP (JOURNAL_SMTP_*), with a one-click unsubscribe.

Skipped when JOURNAL_SMTP_HOST is not set. Every message has a plain-text and an HTML part,
a link that turns e-mail reminders off without logging in (a token signed with the app's
secret key, salt "unsubscribe", valid for TOKEN_DAYS), and the List-Unsubscribe and
List-Unsubscribe-Post headers (RFC 8058) so mail programs can offer the same with one click.
No scores, no notes.
"""

from __future__ import annotations

import contextlib
import smtplib
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from enum import StrEnum
from typing import Final, Protocol
from urllib.parse import urlsplit

from flask import Flask
from flask_babel import gettext as _
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from markupsafe import Markup

from journal.clock import now_utc
from journal.reminders.texts import title_and_body

SALT: Final = "unsubscribe"
# Long enough for the link in any recent e-mail; a link that leaked (a forwarded mail, a
# mailbox that was read by someone else) stops working in the end.
TOKEN_DAYS: Final = 60
TIMEOUT_SECONDS: Final = 10.0


class LinkProblem(StrEnum):
    INVALID = "invalid"  # not made by us, cut off, or for an account that is gone
    EXPIRED = "expired"


class _ClockSigner(TimestampSigner):
    """Dates a token by journal.clock, like everything else the app dates (tests set it)."""

    def get_timestamp(self) -> int:
        return int(now_utc().timestamp())


def _serializer(app: Flask) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(app.config["SECRET_KEY"]), salt=SALT, signer=_ClockSigner)


def _account_stamp(created_at: datetime) -> int:
    # Binds a token to this account, not just its id: an id that a new account reuses after
    # a deletion does not inherit the old account's links.
    return int(created_at.timestamp())


def unsubscribe_token(app: Flask, user_id: int, created_at: datetime) -> str:
    """A token for the e-mail sent now, valid for TOKEN_DAYS."""
    return str(_serializer(app).dumps([user_id, _account_stamp(created_at)]))


def read_unsubscribe_token(app: Flask, token: str) -> tuple[int, int] | LinkProblem:
    """(user id, account stamp) from a token, or why it cannot be used."""
    try:
        data, signed_at = _serializer(app).loads(token, return_timestamp=True)
    except BadSignature:
        return LinkProblem.INVALID
    # Compared here rather than with loads' max_age, which also refuses a token dated a few
    # seconds ahead (the scheduler's host clock may run ahead of the web host's).
    if now_utc() - signed_at > timedelta(days=TOKEN_DAYS):
        return LinkProblem.EXPIRED
    if (
        not isinstance(data, list)
        or len(data) != 2
        or not all(isinstance(x, int) and not isinstance(x, bool) for x in data)
    ):
        return LinkProblem.INVALID
    return int(data[0]), int(data[1])


def token_matches(stamp: int, created_at: datetime) -> bool:
    return stamp == _account_stamp(created_at)


def configured(app: Flask) -> bool:
    return bool(app.config["JOURNAL"].get("SMTP_HOST"))


def base_url(app: Flask) -> str:
    return str(app.config["JOURNAL"]["APP_BASE_URL"]).rstrip("/")


def build_message(
    app: Flask,
    *,
    to: str,
    language: str,
    text_id: str,
    token: str,
    delivery_id: int,
    day: date,
) -> EmailMessage:
    """The reminder e-mail in the current locale (the caller forces the person's language)."""
    base = base_url(app)
    checkin, settings = f"{base}/checkin", f"{base}/settings"
    unsubscribe = f"{base}/unsubscribe/{token}"
    title, body = title_and_body(text_id)
    open_text = _("Open your check-in")
    why = _("You get this e-mail because you turned on reminders in your recovery journal.")
    stop = _("Stop e-mail reminders")
    change = _("Change your reminders")

    text = "\n".join(
        [
            body,
            "",
            f"{open_text}: {checkin}",
            "",
            "-- ",
            why,
            f"{stop}: {unsubscribe}",
            f"{change}: {settings}",
            "",
        ]
    )
    html = Markup(
        '<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        '</head><body style="font-family:sans-serif;line-height:1.5;color:#1f2a27">'
        "<p>{body}</p>"
        '<p><a href="{checkin}" style="display:inline-block;padding:.6em 1.2em;'
        'background:#2f6f62;color:#fff;border-radius:.4em;text-decoration:none">{open}</a></p>'
        '<hr><p style="font-size:.85em;color:#555">{why}<br>'
        '<a href="{unsubscribe}">{stop}</a> · <a href="{settings}">{change}</a></p>'
        "</body></html>"
    ).format(
        lang=language,
        title=title,
        body=body,
        checkin=checkin,
        open=open_text,
        why=why,
        unsubscribe=unsubscribe,
        stop=stop,
        settings=settings,
        change=change,
    )

    # Stable per delivery: should a message ever go twice, mail programs can tell.
    message = automatic_message(
        app, title, to, f"reminder-{delivery_id}-{day.isoformat()}", text, str(html), language
    )
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def automatic_message(
    app: Flask, subject: str, to: str, key: str, text: str, html: str, language: str
) -> EmailMessage:
    """A mail the app sends by itself (the reminders, the coaches' digest): plain text and
    HTML, a Message-ID of `key` on the app's own host, marked as automatic (RFC 3834: no
    out-of-office replies to us)."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = str(app.config["JOURNAL"]["SMTP_FROM"])
    message["To"] = to
    message["Date"] = format_datetime(now_utc())
    host = urlsplit(base_url(app)).hostname or "localhost"
    message["Message-ID"] = f"<{key}@{host}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = language  # after set_content, which drops Content-* headers
    return message


class MailSender(Protocol):
    def send(self, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


class SmtpSender:
    """One SMTP connection per tick, opened on the first message."""

    def __init__(self, app: Flask) -> None:
        options = app.config["JOURNAL"]
        self._host = str(options["SMTP_HOST"])
        self._port = int(options["SMTP_PORT"])
        self._user = options.get("SMTP_USER")
        self._password = options.get("SMTP_PASSWORD")
        self._starttls = bool(options.get("SMTP_STARTTLS"))
        self._connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self._port == 465:
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                self._host, self._port, timeout=TIMEOUT_SECONDS
            )
        else:
            connection = smtplib.SMTP(self._host, self._port, timeout=TIMEOUT_SECONDS)
            if self._starttls:
                connection.starttls()
        if self._user:
            connection.login(str(self._user), str(self._password or ""))
        return connection

    def send(self, message: EmailMessage) -> None:
        if self._connection is None:
            self._connection = self._connect()
        try:
            self._connection.send_message(message)
        except smtplib.SMTPServerDisconnected:
            # A server that closed an idle connection: one fresh try.
            self._connection = self._connect()
            self._connection.send_message(message)

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._connection.quit()
            self._connection = None
