"""The person's account: language and time zone, password, their data in and out, deletion."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import datetime

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from journal.clock import local_today, now_utc, time_zones
from journal.domain.diary_csv import read_diary, write_diary
from journal.extensions import db
from journal.models import CheckinRow, ReminderSettings, WeeklyReflection
from journal.passwords import PASSWORD_MIN, long_enough
from journal.reminders import reschedule
from journal.store import account_tokens, connection_export
from journal.store import phases as phase_store
from journal.store.checkins import Outcome, store_days
from journal.web import parsing
from journal.web.auth import (
    current_account,
    hasher,
    password_refused,
    verify_password,
)
from journal.web.i18n import LANGUAGES
from journal.web.imports import describe_errors, example_diary
from journal.web.people_export import people_files
from journal.web.rate_limits import Guard, guarded

bp = Blueprint("account", __name__)


def signed_in_account() -> str:
    """The per-account counter of the routes that ask for the current password."""
    # The limit is checked before login_required runs: nobody is signed in then, and such a
    # request is sent to the login page without checking any password.
    if not current_user.is_authenticated:
        return "signed-out"
    return f"user-{current_user.id}"


# Changing the password and deleting the account both check the current one: one counter each.
PER_ADDRESS = guarded(Guard.PASSWORD_ADDRESS, only_when=password_refused)
PER_ACCOUNT = guarded(Guard.PASSWORD_ACCOUNT, signed_in_account, only_when=password_refused)


def _all_checkins(user_id: int) -> list[CheckinRow]:
    return list(
        db.session.scalars(
            select(CheckinRow).where(CheckinRow.user_id == user_id).order_by(CheckinRow.date)
        )
    )


def _render(
    errors: dict[str, str] | None = None, status: int = 200, **extra: object
) -> ResponseReturnValue:
    return render_template(
        "account/account.html",
        errors=errors or {},
        languages=LANGUAGES,
        timezones=time_zones(),
        **extra,
    ), status


@bp.get("/account")
@login_required
def account() -> ResponseReturnValue:
    return _render()


@bp.post("/account/settings")
@login_required
def settings() -> ResponseReturnValue:
    language = request.form.get("language", "")
    zone = request.form.get("timezone", "")
    errors = {}
    if language not in LANGUAGES:
        errors["language"] = _("Please choose one of the options.")
    if zone not in time_zones():
        errors["timezone"] = _("Please choose a time zone from the list.")
    if errors:
        return _render(errors, 422)
    account = current_account()
    account.language = language
    account.timezone = zone
    reminders = db.session.scalar(
        select(ReminderSettings).where(ReminderSettings.user_id == current_user.id)
    )
    if reminders is not None:
        # The reminder time is local: moving zones moves the next due instant with it.
        reschedule(reminders, zone, now_utc())
    db.session.commit()
    flash(_("Your settings are saved."))
    return redirect(url_for("account.account"))


@bp.post("/account/password")
@PER_ADDRESS
@PER_ACCOUNT
@login_required
def password() -> ResponseReturnValue:
    errors = {}
    user = current_account()
    if not verify_password(user, request.form.get("current_password", "")):
        errors["current_password"] = _("That is not your current password.")
    new = request.form.get("new_password", "")
    if not long_enough(new):
        errors["new_password"] = _(
            "Please choose a password of at least %(n)s characters.", n=PASSWORD_MIN
        )
    if errors:
        return _render(errors, 422)
    user.password_hash = hasher.hash(new)
    user.rotate_session_token()  # ends every other session and remember-me cookie
    db.session.commit()
    login_user(user)
    flash(_("Your password is changed. You are logged out everywhere else."))
    return redirect(url_for("account.account"))


@bp.post("/account/delete")
@PER_ADDRESS
@PER_ACCOUNT
@login_required
def delete() -> ResponseReturnValue:
    user = current_account()
    if not verify_password(user, request.form.get("delete_password", "")):
        return _render({"delete_password": _("That is not your current password.")}, 422)
    logout_user()
    db.session.delete(user)
    db.session.commit()
    flash(_("Your account and all your data are deleted."))
    return redirect(url_for("home.index"))


@bp.get("/account/export.csv")
@login_required
def export_csv() -> ResponseReturnValue:
    text = write_diary(row.to_domain() for row in _all_checkins(current_user.id))
    return _download(text.encode("utf-8"), "text/csv; charset=utf-8", "hersteldagboek.csv")


@bp.get("/account/data.zip")
@login_required
def download_all() -> ResponseReturnValue:
    """Everything we keep about the person: the diary, settings and weekly reflections."""
    account = current_account()
    settings: dict[str, object] = {
        "email": account.email,
        "language": account.language,
        "timezone": account.timezone,
        "created_at": account.created_at.isoformat(),
        "email_verified_at": iso_or_none(account.email_verified_at),
        # The mailed links (issue 19): when made, until when they work, when used; their
        # tokens are nowhere, only their hashes, which are of no use to anyone.
        "account_links": [
            {
                "purpose": link.purpose,
                "created_at": link.created_at.isoformat(),
                "expires_at": link.expires_at.isoformat(),
                "used_at": iso_or_none(link.used_at),
            }
            for link in account_tokens.links_of(account.id)
        ],
    }
    reminders = db.session.scalar(
        select(ReminderSettings).where(ReminderSettings.user_id == current_user.id)
    )
    if reminders is not None:
        settings["reminders"] = {
            "enabled": reminders.enabled,
            "time": reminders.remind_at.strftime("%H:%M"),
            "weekdays": reminders.weekdays,
            "push": reminders.push,
            "email": reminders.email,
            "only_if_not_checked_in": reminders.only_if_not_checked_in,
            "paused_until": reminders.paused_until.isoformat() if reminders.paused_until else None,
        }
    reflections = {
        row.week: row.text
        for row in db.session.scalars(
            select(WeeklyReflection)
            .where(WeeklyReflection.user_id == current_user.id)
            .order_by(WeeklyReflection.week)
        )
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "diary.csv", write_diary(row.to_domain() for row in _all_checkins(current_user.id))
        )
        archive.writestr("settings.json", _json(settings))
        archive.writestr("weekly_reflections.json", _json(reflections))
        for name, text in people_files(current_user.id).items():  # issue 21
            archive.writestr(name, text)
        # Issue 20: connections with coaches, their scope and every time the coach looked.
        archive.writestr("coach_connections.json", _json(connection_export.export(current_user.id)))
        # Issue 22: the phase history, the watch list and the "wat speelt er?" answers.
        archive.writestr("recovery_phase.json", _json(phase_store.export(current_user.id)))
    return _download(buffer.getvalue(), "application/zip", "hersteldagboek-data.zip")


def _json(data: object) -> str:
    """A file of the data download: indented, and readable in any language (no \\u escapes)."""
    return json.dumps(data, indent=2, ensure_ascii=False)


def iso_or_none(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/account/import/example.csv")
@login_required
def import_example() -> ResponseReturnValue:
    """Three days as the export writes them: what a file must look like to be imported."""
    return _download(
        example_diary().encode("utf-8"), "text/csv; charset=utf-8", "hersteldagboek-voorbeeld.csv"
    )


@bp.post("/account/import")
@login_required
def import_csv() -> ResponseReturnValue:
    """Step 1 reads the file and shows a preview; step 2 (confirm) stores it, all or nothing."""
    upload = request.files.get("file")
    # Bytes as they came: read_diary knows the encodings a spreadsheet saves the diary in.
    data: str | bytes = request.form.get("csv_text", "")
    if request.form.get("csv_base64"):
        try:
            data = base64.b64decode(request.form["csv_base64"], validate=True)
        except ValueError:  # binascii.Error, or text that is not ASCII
            return _render({"import": _("Please choose a CSV file.")}, 422)
    if upload is not None and upload.filename:
        data = upload.read()
    if not data.strip():
        return _render({"import": _("Please choose a CSV file.")}, 422)

    result = read_diary(data)
    today = local_today(current_user.timezone)
    errors = describe_errors(result.errors)
    future = [r.date for r in result.records if r.date > today]
    if future:
        errors.append(
            _("Line with date %(date)s: this date is in the future.", date=future[0].isoformat())
        )
    # Pages count days back from the oldest day, which from year 1 leaves the calendar.
    ancient = [r.date for r in result.records if r.date < parsing.EARLIEST]
    if ancient:
        errors.append(
            _("Line with date %(date)s: this date is too long ago.", date=ancient[0].isoformat())
        )
    if errors:
        return _render({"import": _("Nothing was imported.")}, 422, import_errors=errors)

    existing = set(
        db.session.scalars(select(CheckinRow.date).where(CheckinRow.user_id == current_user.id))
    )
    new = [r for r in result.records if r.date not in existing]
    skipped = len(result.records) - len(new)
    if request.form.get("confirm") != "1":
        return _render(
            import_preview={
                "count": len(new),
                "skipped": skipped,
                "first": new[0].date if new else None,
                "last": new[-1].date if new else None,
                # The file's own bytes, so the confirmed import reads what was checked. Base64,
                # because browsers turn newlines in form fields into CRLF, which would change
                # notes that span lines.
                "csv_base64": base64.b64encode(
                    data if isinstance(data, bytes) else data.encode("utf-8")
                ).decode("ascii"),
            }
        )
    # A day saved since `existing` was read is skipped too, and not counted.
    outcomes = store_days(current_user.id, new, made_at=now_utc())
    flash(_("%(n)s days imported.", n=outcomes.count(Outcome.STORED)))
    return redirect(url_for("checkins.history"))
