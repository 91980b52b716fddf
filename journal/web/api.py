"""The JSON API the offline outbox delivers check-ins to (issue 5).

Every answer is JSON, also when nobody is logged in (401, never a redirect to the login page: the
outbox must see that the item was not delivered and keep it). Authentication is checked before
CSRF, so an expired session reads as "log in again" rather than as a bad token.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from journal.clock import local_today, now_utc
from journal.domain.checkin import FIELD_ORDER, SET_FIELDS, CheckIn, parse_checkin
from journal.domain.raw import RawValue
from journal.extensions import csrf, db
from journal.models import CheckinRow
from journal.store.checkins import Outcome, store_days
from journal.web import parsing
from journal.web.checkin_form import error_message
from journal.web.checkins import can_fill, find_row
from journal.web.json_routes import refuse, reply

bp = Blueprint("api", __name__, url_prefix="/api")
# The global check would answer a stale token with 400 before we know whether anyone is logged
# in; `_authenticate` runs the same check itself, after the login check.
csrf.exempt(bp)

# How long an offline check-in may take to arrive (see `may_deliver`).
LATE_DELIVERY_DAYS = 7

_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def may_deliver(day: date, today: date, made_on: date | None) -> bool:
    """Whether a check-in for `day` may still be stored when it arrives on `today`.

    Today and yesterday can always be filled in (DOMAIN A.1, as on the form). An offline
    check-in may arrive later than that: it is still accepted when the person's device says it
    was made (`made_on`, the local date of `made_at` in the person's time zone) on a day when
    the form would have taken it, i.e. on `day` itself or, as a late entry for yesterday, the
    day after, and `day` is at most LATE_DELIVERY_DAYS ago. It was filled in on time and only
    the delivery was late; a check-in must never be lost to a dead zone. The device's clock is
    trusted for this: a wrong or altered one can at most add a person's own entry for a day
    of the past week. Dates after today are always refused.
    """
    if day > today:
        return False
    if can_fill(day, today):
        return True
    if made_on is None or today - day > timedelta(days=LATE_DELIVERY_DAYS):
        return False
    return can_fill(day, made_on)


@dataclass(frozen=True)
class Delivery:
    """One outbox item as the API received it, checked for shape but not yet for meaning."""

    client_id: str
    day: date
    made_on: date | None  # the local date of `made_at` in the person's time zone
    answers: dict[str, RawValue]


class Malformed(Exception):
    """The body is not the shape the contract describes; `detail` names the part (for a 400)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@bp.before_request
def _authenticate() -> ResponseReturnValue | None:
    return refuse(
        logged_out=_(
            "Please log in again. Your check-in is kept on this device and sent afterwards."
        ),
        out_of_date=_("This page is out of date. Reload it; your check-in is kept on this device."),
    )


@bp.after_request
def _no_store(response: Response) -> Response:
    # Answers carry a person's token and data: no shared or browser cache may keep them, and
    # the service worker must never answer an API call from its cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> ResponseReturnValue:
    # A too-large body (413) or a server error still answers JSON, so the outbox can read it.
    # Routing errors (404, 405) happen before a blueprint is known and keep the app's pages.
    code = error.code or 500
    if code >= 500:
        message = _("Something went wrong on the server. Your check-in is kept on this device.")
    else:
        message = _("This check-in could not be read by the server.")
    return reply(code, error="server" if code >= 500 else "bad_request", message=message)


@bp.get("/session")
def session_state() -> ResponseReturnValue:
    """A fresh CSRF token for the outbox, e.g. after the person logged in again in another tab."""
    return reply(200, authenticated=True, csrf_token=generate_csrf())


@bp.post("/checkins")
def create_checkin() -> ResponseReturnValue:
    """Store one check-in from the outbox, exactly once per client_id.

    The checks run in an order that keeps a retried send harmless: a known client_id is
    answered first (200 for the same answers, 409 otherwise), so a replay that arrives after
    the date became too late, or after the first send was stored, is still recognised.
    """
    try:
        delivery = _read_delivery(_json_body(), ZoneInfo(current_user.timezone))
    except Malformed as problem:
        return reply(
            400,
            error="bad_request",
            message=_("This check-in could not be read by the server."),
            detail=problem.detail,
        )

    today = local_today(current_user.timezone)
    # Like the form: an entry dated before today is a late one (A.1).
    parsed = parse_checkin(
        delivery.answers, on=delivery.day, backfilled=delivery.day < today, strict=False
    )

    stored = _row_with_key(delivery.client_id)
    if stored is not None:
        return _replay(stored, delivery, parsed.checkin)

    if not may_deliver(delivery.day, today, delivery.made_on):
        return _conflict("too_late", delivery.day, today)

    taken = find_row(delivery.day)
    if taken is not None:
        if taken.client_id == delivery.client_id:  # stored by a concurrent send just now
            return _replay(taken, delivery, parsed.checkin)
        return _conflict("date_taken", delivery.day, today)

    if parsed.checkin is None:
        errors = {name: str(error_message(name, error)) for name, error in parsed.errors.items()}
        # One sentence for the outbox to show with the item: each message once, in field order.
        message = " ".join(dict.fromkeys(errors[name] for name in FIELD_ORDER if name in errors))
        return reply(422, error="invalid", errors=errors, message=message)

    conflict = _insert(delivery, parsed.checkin, today)
    if conflict is not None:
        return conflict
    return reply(201, status="created", client_id=delivery.client_id, date=delivery.day.isoformat())


def _json_body() -> Any:
    try:
        return request.get_json(silent=True)
    except RecursionError:  # thousands of nested brackets; `silent` only covers ValueError
        raise Malformed("body") from None


def _read_delivery(body: Any, zone: ZoneInfo) -> Delivery:
    """Check the shape of the JSON body; the answers' meaning is left to parse_checkin."""
    if not isinstance(body, dict):
        raise Malformed("body")

    client_id = body.get("client_id")
    if not isinstance(client_id, str) or not _UUID_RE.fullmatch(client_id):
        raise Malformed("client_id")

    text = body.get("date")
    day = parsing.day(text) if isinstance(text, str) else None
    if day is None:
        raise Malformed("date")

    made_on = None
    if body.get("made_at") is not None:
        # Missing is allowed (only today and yesterday are then accepted); garbled is not.
        made_on = _local_date(body["made_at"], zone)

    answers = body.get("answers")
    if not isinstance(answers, dict):
        raise Malformed("answers")
    return Delivery(client_id.lower(), day, made_on, _read_answers(answers))


def _local_date(value: Any, zone: ZoneInfo) -> date:
    """The person's local date at an ISO 8601 moment; one without an offset is read as UTC.

    Only moments within parsing's range: `may_deliver` counts days from this date, which from
    year 1 would leave the calendar (issue 17).
    """
    moment = parsing.moment(value) if isinstance(value, str) else None
    if moment is None:
        raise Malformed("made_at")
    return moment.astimezone(zone).date()


def _read_answers(answers: Mapping[str, Any]) -> dict[str, RawValue]:
    """Answers as the strings a form would send; ids outside A.2 are ignored, as the form does.

    Whole numbers may come as JSON numbers. Anything else of the wrong type is a broken
    client, not an answer a person can correct, so it is a 400 rather than a field error.
    """
    raw: dict[str, RawValue] = {}
    for name in FIELD_ORDER:
        value = answers.get(name)
        if value is None:
            raw[name] = None
        elif isinstance(value, str):
            raw[name] = value
        elif isinstance(value, int) and not isinstance(value, bool):
            raw[name] = str(value)
        elif (
            name in SET_FIELDS
            and isinstance(value, list)
            and all(isinstance(item, str) for item in value)
        ):
            raw[name] = list(value)
        else:
            raise Malformed(f"answers.{name}")
    return raw


def _row_with_key(client_id: str) -> CheckinRow | None:
    # Any person's row: the key is unique over the whole table. `_replay` never tells one
    # person about another's row.
    return db.session.scalar(select(CheckinRow).where(CheckinRow.client_id == client_id))


def _replay(row: CheckinRow, delivery: Delivery, checkin: CheckIn | None) -> ResponseReturnValue:
    """A client_id seen before: the same answers again are a retry, anything else a conflict.

    A key held by someone else gets the same 409 as one's own key with other answers, and the
    answer carries only what this request sent, so it says nothing about the other row.
    """
    same = (
        row.user_id == current_user.id
        and checkin is not None
        # `backfilled` depends on the day the item arrived, not on what the person answered.
        and dataclasses.replace(checkin, backfilled=row.backfilled) == row.to_domain()
    )
    if same:
        return reply(
            200, status="duplicate", client_id=delivery.client_id, date=row.date.isoformat()
        )
    return _conflict("client_id_reused", delivery.day, local_today(current_user.timezone))


def _conflict(reason: str, day: date, today: date) -> tuple[Response, int]:
    shown = format_date(day, "long")
    if reason == "client_id_reused":
        message = _(
            "This check-in was already sent with different answers. The saved one stays as it is."
        )
    elif reason == "date_taken":
        message = _("There is already a check-in for %(date)s. It stays as it is.", date=shown)
    elif day > today:
        message = _("A check-in for %(date)s cannot be added yet.", date=shown)
    else:
        message = _(
            "A check-in for %(date)s can no longer be added: "
            "only today and yesterday can be filled in.",
            date=shown,
        )
    return reply(409, error="conflict", reason=reason, message=message, date=day.isoformat())


def _insert(delivery: Delivery, checkin: CheckIn, today: date) -> ResponseReturnValue | None:
    """Add the row, or answer as the request that got there first decides.

    Never an edit: for the form a day already there is a double tap, here it would overwrite
    another check-in. The unique keys (client_id; user and date) settle a race.
    """
    [outcome] = store_days(
        current_user.id, [checkin], made_at=now_utc(), client_id=delivery.client_id
    )
    if outcome is Outcome.STORED:  # as the form: flags follow at the next read
        return None
    if outcome is Outcome.KEY_REUSED:
        stored = _row_with_key(delivery.client_id)
        if stored is not None:
            return _replay(stored, delivery, checkin)
        # Deleted by its owner since the insert stepped aside: nothing left to replay.
        return _conflict("client_id_reused", delivery.day, today)
    return _conflict("date_taken", delivery.day, today)
