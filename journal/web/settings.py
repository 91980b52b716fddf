"""Reminder settings (issue 6): the person's controls, push subscriptions, and unsubscribing.

- /settings: on/off, a local time, the days, the channels, "only if I have not checked in
  yet", and a pause until a date. Errors come back on the same page with the input kept.
- /settings/resume: one tap to resume after the auto-pause (or to turn reminders off).
- /settings/push/subscribe and /unsubscribe: JSON for static/push.js, one row per browser.
  401 JSON when logged out (never the login redirect), then the CSRF check (X-CSRFToken).
- /unsubscribe/<token>: turns e-mail reminders off without logging in. The link in the e-mail
  (GET) shows a page asking to confirm; its button (POST, CSRF-checked) or a mail program's
  one-click button (POST, RFC 8058) makes the change. The token expires after 60 days.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from babel.dates import get_day_names
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import delete, func, select

from journal.clock import local_today, now_utc
from journal.domain.schedule import (
    DEFAULT_TIME,
    QUIET_FROM,
    QUIET_UNTIL,
    format_weekdays,
    parse_weekdays,
    time_allowed,
)
from journal.extensions import csrf, db
from journal.models import PushSubscription, ReminderSettings, User
from journal.reminders import reschedule
from journal.reminders.mail import (
    TOKEN_DAYS,
    LinkProblem,
    read_unsubscribe_token,
    token_matches,
)
from journal.reminders.mail import configured as mail_configured
from journal.reminders.push import application_server_key, valid_subscription, well_formed
from journal.store.share_links import browser_family
from journal.web.json_routes import refuse, reply

bp = Blueprint("settings", __name__)

_TIME_RE = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(:[0-5]\d)?")
PAUSE_MAX_DAYS = 366
# The last minute before the quiet hours, for the form's hint and its error message.
LATEST_TIME = (datetime.combine(date.min, QUIET_FROM) - timedelta(minutes=1)).time()


def settings_of(user_id: int) -> ReminderSettings:
    """The person's settings, or the defaults (not stored until they save)."""
    row = db.session.get(ReminderSettings, user_id)
    if row is None:
        row = ReminderSettings(
            user_id=user_id,
            enabled=False,
            remind_at=DEFAULT_TIME,
            weekdays="1111111",
            push=True,
            email=False,
            only_if_not_checked_in=True,
            paused_until=None,
            auto_paused=False,
            unanswered=0,
        )
    return row


def _device_count(user_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(PushSubscription)
            .where(PushSubscription.user_id == user_id)
        )
        or 0
    )


def _form_of(row: ReminderSettings) -> dict[str, Any]:
    return {
        "enabled": bool(row.enabled),
        "remind_at": row.remind_at.strftime("%H:%M"),
        "weekdays": parse_weekdays(row.weekdays),
        "push": bool(row.push),
        "email": bool(row.email),
        "only_if_not_checked_in": bool(row.only_if_not_checked_in),
        "paused_until": row.paused_until.isoformat() if row.paused_until else "",
    }


def _render(
    form: dict[str, Any], errors: dict[str, str] | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "settings/settings.html",
        form=form,
        errors=errors or {},
        # Monday first, as weeks are counted here (babel's order follows the locale's data).
        day_names=sorted(get_day_names("wide", locale=get_locale()).items()),
        devices=_device_count(current_user.id),
        mail_available=mail_configured(current_app),
        vapid_key=application_server_key(current_app),
        earliest=QUIET_UNTIL.strftime("%H:%M"),
        latest=LATEST_TIME.strftime("%H:%M"),
        today=local_today(current_user.timezone),
    ), status


@bp.get("/settings")
@login_required
def settings() -> ResponseReturnValue:
    form = _form_of(settings_of(current_user.id))
    if not _device_count(current_user.id):
        # Not ticked for the person while no device can show a notification (issue 19); the
        # stored setting stays as it is until they save.
        form["push"] = False
    return _render(form)


def _parse_time(text: str) -> time | None:
    match = _TIME_RE.fullmatch(text.strip())
    if not match:
        return None
    return time(int(match.group(1)), int(match.group(2)))


def _parse(
    form: Any, today: date, *, push_turned_on: bool = False
) -> tuple[dict[str, Any], dict[str, str], time | None, date | None]:
    """The posted form, as typed (to show it again), its errors, and the parsed values."""
    days = {int(d) for d in form.getlist("weekdays") if d in {"0", "1", "2", "3", "4", "5", "6"}}
    values = {
        "enabled": form.get("enabled") == "on",
        "remind_at": form.get("remind_at", "").strip(),
        "weekdays": frozenset(days),
        "push": form.get("push") == "on" or push_turned_on,
        "email": form.get("email") == "on",
        "only_if_not_checked_in": form.get("only_if_not_checked_in") == "on",
        "paused_until": form.get("paused_until", "").strip(),
    }
    errors: dict[str, str] = {}
    at = _parse_time(values["remind_at"])
    if at is None:
        errors["remind_at"] = _("Please enter a time, for example 09:00.")
    elif not time_allowed(at):
        errors["remind_at"] = _(
            "Please choose a time between %(start)s and %(end)s: reminders never come at night.",
            start=QUIET_UNTIL.strftime("%H:%M"),
            end=LATEST_TIME.strftime("%H:%M"),
        )
    if values["enabled"] and not days:
        errors["weekdays"] = _("Please choose at least one day.")
    if values["enabled"] and not (values["push"] or values["email"]):
        errors["channels"] = _("Please choose at least one way to be reminded.")
    if values["email"] and not mail_configured(current_app):
        errors["channels"] = _("E-mail reminders are not available on this server.")
    paused: date | None = None
    if values["paused_until"]:
        try:
            paused = date.fromisoformat(values["paused_until"])
        except ValueError:
            errors["paused_until"] = _(
                "Please enter a date, for example %(example)s.", example=today.isoformat()
            )
        else:
            if paused < today:
                errors["paused_until"] = _("Please choose today or a later date.")
            elif paused > today + timedelta(days=PAUSE_MAX_DAYS):
                errors["paused_until"] = _("Please choose a date within a year.")
    return values, errors, at, paused


@bp.post("/settings")
@login_required
def save() -> ResponseReturnValue:
    today = local_today(current_user.timezone)
    # Left unticked because no device had notifications on, and one was turned on on this
    # page since: that means "remind me there", as subscribing does on its own (issue 19).
    device_since = bool(request.form.get("push_unticked_no_device")) and bool(
        _device_count(current_user.id)
    )
    values, errors, at, paused = _parse(request.form, today, push_turned_on=device_since)
    if errors or at is None:
        return _render(values, errors, 422)
    row = settings_of(current_user.id)
    row.enabled = values["enabled"]
    row.remind_at = at
    row.weekdays = format_weekdays(values["weekdays"])
    row.push = values["push"]
    row.email = values["email"]
    row.only_if_not_checked_in = values["only_if_not_checked_in"]
    row.paused_until = paused
    # Saving is a fresh start: an auto-pause ends, and the unanswered count starts again.
    row.auto_paused = False
    row.unanswered = 0
    row.updated_at = now_utc()
    reschedule(row, current_user.timezone, now_utc())
    db.session.add(row)
    db.session.commit()
    flash(_("Your reminder settings are saved."))
    return redirect(url_for("settings.settings"))


@bp.post("/settings/resume")
@login_required
def resume() -> ResponseReturnValue:
    """The paused notice's buttons: resume reminders, or turn them off for now."""
    row = settings_of(current_user.id)
    turn_off = request.form.get("action") == "off"
    row.enabled = not turn_off and bool(row.enabled or row.auto_paused)
    row.auto_paused = False
    row.unanswered = 0
    row.updated_at = now_utc()
    reschedule(row, current_user.timezone, now_utc())
    db.session.add(row)
    db.session.commit()
    flash(
        _("Reminders are off. You can turn them on again here.")
        if turn_off
        else _("Reminders are on again.")
    )
    return redirect(url_for("settings.settings") if turn_off else url_for("home.index"))


@bp.app_context_processor
def _paused_notice() -> dict[str, object]:
    def reminders_paused() -> bool:
        """Whether the kind "reminders are paused" notice is due (only if asked; on /settings
        the row the page loaded answers it without a query)."""
        if not current_user or not current_user.is_authenticated:
            return False
        row = db.session.get(ReminderSettings, current_user.id)
        return row is not None and row.auto_paused

    return {"reminders_paused": reminders_paused}


# --- push subscriptions (JSON) ---------------------------------------------------------------


def _refuse() -> tuple[Response, int] | None:
    return refuse(
        logged_out=_("Please log in again."), out_of_date=_("This page is out of date. Reload it.")
    )


@bp.post("/settings/push/subscribe")
@csrf.exempt  # checked in refuse(), after the login check
def push_subscribe() -> ResponseReturnValue:
    refused = _refuse()
    if refused:
        return refused
    data = request.get_json(silent=True)
    allow_local = bool(current_app.config["JOURNAL"].get("PUSH_ALLOW_LOCAL"))
    target = valid_subscription(data, allow_local) if isinstance(data, dict) else None
    if target is None:
        return reply(
            400, error="invalid", message=_("This browser sent a subscription we cannot use.")
        )
    row = db.session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == target.endpoint)
    )
    if row is None:
        row = PushSubscription(endpoint=target.endpoint, created_at=now_utc())
        db.session.add(row)
    # A device moves to whoever subscribed on it last (a shared phone, another account).
    row.user_id = current_user.id
    row.p256dh = target.p256dh
    row.auth = target.auth
    row.user_agent = browser_family(request.headers.get("User-Agent", ""))
    settings = settings_of(current_user.id)
    if not settings.push:
        settings.push = True  # turning on notifications on a device means: remind me there
        reschedule(settings, current_user.timezone, now_utc())
        db.session.add(settings)
    db.session.commit()
    return reply(200, status="subscribed", devices=_device_count(current_user.id))


@bp.post("/settings/push/unsubscribe")
@csrf.exempt  # checked in refuse(), after the login check
def push_unsubscribe() -> ResponseReturnValue:
    refused = _refuse()
    if refused:
        return refused
    data = request.get_json(silent=True)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str) or not well_formed(endpoint):
        return reply(
            400, error="invalid", message=_("This browser sent a subscription we cannot use.")
        )
    db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.endpoint == endpoint, PushSubscription.user_id == current_user.id
        )
    )
    db.session.commit()
    return reply(200, status="unsubscribed", devices=_device_count(current_user.id))


# --- unsubscribe from e-mail without logging in ----------------------------------------------


class UnsubscribeStep(StrEnum):
    CONFIRM = "confirm"
    OFF = "off"
    ON = "on"


def _token_user(token: str) -> User | LinkProblem:
    found = read_unsubscribe_token(current_app, token)
    if isinstance(found, LinkProblem):
        return found
    user = db.session.get(User, found[0])
    if user is None or not token_matches(found[1], user.created_at):
        return LinkProblem.INVALID
    return user


def _unsubscribe_page(
    found: User | LinkProblem, token: str, step: UnsubscribeStep
) -> ResponseReturnValue:
    if isinstance(found, LinkProblem):
        # Nothing in a link we cannot use is trusted, its language neither: the browser's.
        status = 410 if found is LinkProblem.EXPIRED else 404
        page = render_template(
            "settings/unsubscribed.html", problem=found, token=token, days=TOKEN_DAYS
        )
        return page, status
    # The person's language, whatever the browser that opens their mail says.
    with force_locale(found.language):
        return render_template("settings/unsubscribed.html", problem=None, token=token, step=step)


def _set_email(user: User, on: bool) -> None:
    row = settings_of(user.id)
    row.email = on
    row.updated_at = now_utc()
    reschedule(row, user.timezone, now_utc())
    db.session.add(row)
    db.session.commit()


@bp.get("/unsubscribe/<token>")
def unsubscribe_confirm(token: str) -> ResponseReturnValue:
    """Only asks: mail scanners open the links in an e-mail by themselves (issue 17)."""
    return _unsubscribe_page(_token_user(token), token, UnsubscribeStep.CONFIRM)


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # checked below, except for RFC 8058's one-click POST (a mail program's, tokenless)
def unsubscribe(token: str) -> ResponseReturnValue:
    """Turn e-mail reminders off: the signed token is the only credential needed."""
    found = _token_user(token)
    if isinstance(found, LinkProblem):
        return _unsubscribe_page(found, token, UnsubscribeStep.OFF)
    one_click = request.form.get("List-Unsubscribe") == "One-Click"
    # protect() ignores WTF_CSRF_ENABLED, so honour it here as the global check would.
    if not one_click and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    _set_email(found, False)
    if one_click:
        return Response(status=204)
    return _unsubscribe_page(found, token, UnsubscribeStep.OFF)


@bp.post("/unsubscribe/<token>/undo")
def resubscribe(token: str) -> ResponseReturnValue:
    """The unsubscribe page's "that was a mistake" button (CSRF-protected form)."""
    found = _token_user(token)
    if not isinstance(found, LinkProblem):
        _set_email(found, True)
    return _unsubscribe_page(found, token, UnsubscribeStep.ON)
