"""The account's own e-mails (issue 19): a link to set a new password, a link to confirm the
address. In the person's language, as text and HTML, and with nothing in them but the link and
what it does: no health data, no other person's name.

With JOURNAL_SMTP_HOST set they go out through the reminders' SMTP sender. Without it (as under
`make run`) each one is written to MAIL_DIR (default instance/mail/) as an .eml file that only
the app's own user can read, and its link, not the address, is logged on "journal.mail" at
INFO: whoever runs the app can still help someone back into their account.

Every mail leaves after the answer to the request has gone (`after_response`): the page that
says "if this address has an account, we sent it a link" is made before anything is looked up,
so neither its bytes nor its timing tell whether the address has an account, and nobody waits
for an SMTP server.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import partial
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from journal.clock import now_utc
from journal.extensions import db
from journal.models import TokenPurpose, User
from journal.reminders.mail import SmtpSender, base_url
from journal.reminders.mail import configured as smtp_configured
from journal.store import account_tokens

log = logging.getLogger("journal.mail")

FOLDER_MODE: Final = 0o700
FILE_MODE: Final = 0o600
# The page each kind of link opens (journal/web/recovery.py).
ENDPOINTS: Final = {
    TokenPurpose.PASSWORD_RESET: "recovery.reset",
    TokenPurpose.EMAIL_VERIFY: "recovery.verify_email",
}


@dataclass(frozen=True, slots=True)
class AccountMail:
    """What the templates recovery/mail.txt and mail.html put into words."""

    subject: str
    lead: str
    action: str  # the button's words
    lasts: str
    not_you: str


def _words(purpose: TokenPurpose, lifetime: timedelta) -> AccountMail:
    """The words of one kind of mail, in the current locale (the caller forces the person's)."""
    if purpose is TokenPurpose.PASSWORD_RESET:
        return AccountMail(
            subject=_("A new password for your Recovery journal"),
            lead=_("Someone, probably you, asked to set a new password for your journal."),
            action=_("Choose a new password"),
            lasts=_("This link works for one hour, and once."),
            not_you=_("Did you not ask for this? Then you can ignore this e-mail: your password "
                      "stays as it is."),
        )  # fmt: skip
    return AccountMail(
        subject=_("Confirm your e-mail address for your Recovery journal"),
        lead=_("Confirm this address, so that you can always get back into your journal, "
               "also when you forget your password."),
        action=_("Confirm my e-mail address"),
        lasts=_("This link works for %(days)s days.", days=lifetime.days),
        not_you=_("Did you not make an account? Then you can ignore this e-mail."),
    )  # fmt: skip


def build(
    app: Flask, purpose: TokenPurpose, *, to: str, language: str, link: str, lifetime: timedelta
) -> EmailMessage:
    """The mail with this link, in the current locale (the caller forces the person's)."""
    words = _words(purpose, lifetime)
    context = {"words": words, "link": link, "language": language, "home": base_url(app)}
    message = EmailMessage()
    message["Subject"] = words.subject
    message["From"] = str(app.config["JOURNAL"]["SMTP_FROM"])
    message["To"] = to
    message["Date"] = format_datetime(now_utc())
    message["Message-ID"] = make_msgid(
        purpose.value, domain=urlsplit(base_url(app)).hostname or "localhost"
    )
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to us
    message.set_content(render_template("recovery/mail.txt", **context))
    message.add_alternative(render_template("recovery/mail.html", **context), subtype="html")
    message["Content-Language"] = language  # after set_content, which drops Content-* headers
    return message


def mail_folder(app: Flask) -> Path:
    configured = app.config["JOURNAL"].get("MAIL_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "mail"


def _write(folder: Path, message: EmailMessage, purpose: TokenPurpose) -> Path:
    """One file per mail, readable by the app's own user only (a reset link is a key)."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    # The machine's clock, not the app's (tests freeze that): the names sort as the mails came.
    name = f"{datetime.now(UTC):%Y%m%d-%H%M%S-%f}-{purpose.value}-{secrets.token_hex(4)}.eml"
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(message.as_bytes())
    return path


def deliver(app: Flask, message: EmailMessage, purpose: TokenPurpose, link: str) -> None:
    """Send over SMTP when there is a server, else write the mail into the mail folder."""
    if smtp_configured(app):
        sender = SmtpSender(app)
        try:
            sender.send(message)
        finally:
            sender.close()
        return
    path = _write(mail_folder(app), message, purpose)
    log.info("No SMTP server configured: e-mail written to %s. Its link: %s", path, link)


def after_response(response: Response, job: Callable[[], None]) -> Response:
    """Run `job` in an app context of its own, beside the response: the person is not kept
    waiting and the answer's timing does not depend on the job.

    A thread of its own, not the response's close: werkzeug's development server (`make run`)
    skips close() when the browser resets the connection, and the mail silently never left
    (seen in the browser tests). Under TESTING the test client closes each response before it
    returns, so there the job runs on close and its mail is there when the request is done.
    A job that fails is logged by the class of its error alone: an SMTP error's text may hold
    the address.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> None:
        with app.app_context():
            try:
                job()
            except Exception as error:
                log.warning("An account e-mail was not sent: %s", error.__class__.__name__)

    if app.testing:
        response.call_on_close(run)
    else:
        # Not a daemon: a worker that stops waits for the mail (at most the SMTP timeout).
        threading.Thread(target=run, name="account-mail").start()
    return response


def mail_link(user_id: int, purpose: TokenPurpose) -> None:
    """Make the person a new link of this kind and mail it to their address, in their
    language. Runs after the response (see `after_response`)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    user = db.session.get(User, user_id)
    if user is None:  # deleted in the meantime
        return
    token = account_tokens.issue(user.id, purpose)
    # Built on the app's public address, never on the request's Host header, which a
    # client chooses: a reset link must not point at somebody else's site.
    path = app.url_map.bind("localhost").build(ENDPOINTS[purpose], {"token": token})
    link = f"{base_url(app)}{path}"
    lifetime = account_tokens.LIFETIME[purpose]
    with force_locale(user.language):
        message = build(
            app, purpose, to=user.email, language=user.language, link=link, lifetime=lifetime
        )
    deliver(app, message, purpose, link)


def _mail_reset_link(email: str) -> None:
    user_id = db.session.scalar(select(User.id).where(User.email == email))
    if user_id is not None:
        mail_link(user_id, TokenPurpose.PASSWORD_RESET)


def mail_link_after(response: Response, user_id: int, purpose: TokenPurpose) -> Response:
    return after_response(response, partial(mail_link, user_id, purpose))


def mail_reset_link_after(response: Response, email: str) -> Response:
    """A reset link to the account of this address, if there is one: looked up only after the
    response, which is therefore the same for every address."""
    return after_response(response, partial(_mail_reset_link, email))
