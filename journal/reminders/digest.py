"""The coach's weekly e-mail (issue 20): on Monday morning in the coach's own time zone, one
message per coach who has it on and at least one connected client, with counts only ("3
clients worth a look", "2 without a check-in for 3 days") and a link to /coach. No client's
name and nothing from anyone's diary is in it.

Run from the reminder tick (journal.reminders.tick), so it goes out from the one scheduler
process, through the same SMTP sender as the reminders. Each digest is claimed before it is
sent, by a conditional update of `coach_profiles.digest_sent_for` to this week's Monday: of two
schedulers running at once only one changes the row, and only that one sends. A message that
fails after the claim is not sent again that week (as with reminders: twice is worse than once
missed).
"""

from __future__ import annotations

import logging
import smtplib
import threading
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from typing import Final

from flask import Flask
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import exists, or_, select, update

from journal.clock import zone_of
from journal.domain.coach.caseload import DigestCounts, digest_counts
from journal.extensions import db
from journal.models import CoachConnection, CoachProfile, User
from journal.reminders.mail import MailSender, automatic_message, base_url
from journal.store.caseload import caseload

DIGEST_TIME: Final = time(7, 0)  # Monday, local: the start of a coach's working week
MONDAY: Final = 0

log = logging.getLogger(__name__)


def _due(now: datetime) -> list[tuple[int, str, str, date]]:
    """Coaches whose Monday morning has come and whose digest for it has not gone out."""
    connected = exists().where(
        CoachConnection.coach_id == CoachProfile.user_id,
        CoachConnection.accepted_at.is_not(None),
        CoachConnection.ended_at.is_(None),
    )
    # A local Monday lies within a day of the UTC date: rows sent for it are skipped in SQL.
    recent = now.date() - timedelta(days=1)
    rows = db.session.execute(
        select(CoachProfile.user_id, User.email, User.language, User.timezone)
        .join(User, User.id == CoachProfile.user_id)
        .where(
            CoachProfile.digest_enabled.is_(True),
            or_(CoachProfile.digest_sent_for.is_(None), CoachProfile.digest_sent_for < recent),
            connected,
        )
    ).all()
    due = []
    for coach_id, email, language, zone in rows:
        local = now.astimezone(zone_of(zone))
        if local.weekday() == MONDAY and local.time() >= DIGEST_TIME:
            due.append((int(coach_id), str(email), str(language), local.date()))
    return due


def _claim(coach_id: int, monday: date) -> bool:
    """Mark this Monday's digest as sent; False when another scheduler did so first."""
    result = db.session.execute(
        update(CoachProfile)
        .where(
            CoachProfile.user_id == coach_id,
            or_(CoachProfile.digest_sent_for.is_(None), CoachProfile.digest_sent_for < monday),
        )
        .values(digest_sent_for=monday)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(getattr(result, "rowcount", 0) == 1)


def build_digest(
    app: Flask, *, to: str, language: str, counts: DigestCounts, coach_id: int, monday: date
) -> EmailMessage:
    """The digest in the coach's language: counts and a link, nothing else."""
    base = base_url(app)
    link = f"{base}/coach"
    with force_locale(language):
        subject = _("Your clients this week")
        lines = [
            ngettext(
                "Of your %(num)s connected client:",
                "Of your %(num)s connected clients:",
                counts.clients,
            ),
            ngettext(
                "%(num)s is worth a look (a signpost or a card that asks for attention)",
                "%(num)s are worth a look (a signpost or a card that asks for attention)",
                counts.worth_a_look,
            ),
            ngettext(
                "%(num)s has not checked in for 3 days or more",
                "%(num)s have not checked in for 3 days or more",
                counts.quiet,
            ),
        ]
        open_text = _("Open your caseload")
        why = _("You get this e-mail because the weekly e-mail is on in your coach workspace.")
        stop = _("Turn it off on the caseload page.")
    text = "\n".join(
        [
            lines[0],
            f"- {lines[1]}",
            f"- {lines[2]}",
            "",
            f"{open_text}: {link}",
            "",
            "-- ",
            f"{why} {stop}",
            "",
        ]
    )
    html = Markup(
        '<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        '</head><body style="font-family:sans-serif;line-height:1.5;color:#1f2a27">'
        "<p>{first}</p><ul><li>{look}</li><li>{quiet}</li></ul>"
        '<p><a href="{link}" style="display:inline-block;padding:.6em 1.2em;'
        'background:#2f6f62;color:#fff;border-radius:.4em;text-decoration:none">{open}</a></p>'
        '<hr><p style="font-size:.85em;color:#555">{why} {stop}</p></body></html>'
    ).format(
        lang=language,
        title=subject,
        first=lines[0],
        look=lines[1],
        quiet=lines[2],
        link=link,
        open=open_text,
        why=why,
        stop=stop,
    )
    return automatic_message(
        app, subject, to, f"digest-{coach_id}-{monday.isoformat()}", text, str(html), language
    )


def send_digests(app: Flask, now: datetime, mail: MailSender | None, stop: threading.Event) -> int:
    """Send the Monday digests that are due; returns how many went out. Without SMTP none is
    claimed, so they go out once it is configured (that Monday)."""
    if mail is None:
        return 0
    sent = 0
    for coach_id, email, language, monday in _due(now):
        if stop.is_set():
            break
        if not _claim(coach_id, monday):
            continue
        counts = digest_counts([row for row, _connection in caseload(coach_id)])
        if counts.clients == 0:
            continue
        message = build_digest(
            app, to=email, language=language, counts=counts, coach_id=coach_id, monday=monday
        )
        try:
            mail.send(message)
            sent += 1
        except (smtplib.SMTPException, OSError):  # one coach's failure must not stop the tick
            log.warning("coach digest %s for %s failed", monday.isoformat(), coach_id)
    return sent
