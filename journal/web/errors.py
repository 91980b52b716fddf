"""The app's own error pages (issue 19): in the person's language, inside the layout, each with
a way home. Werkzeug's own said "Not Found" in English, and nothing led back.

Scripts get JSON instead (`wants_json`): the API's own handler answers for its routes, and the
handlers here answer JSON for the rest (an unknown /api/ address, the push routes of settings).
The 429 page is the rate limits' (journal.web.rate_limits), on the same layout.

400, 405 and 409 get the same treatment. A form posted with an expired or missing CSRF token
(Flask-WTF's CSRFError, a 400: the page was open too long, or the session ended meanwhile) gets
its own 400 page that loses nothing typed: "Ga terug" (history.back, which keeps the form's
input in browsers) and the text that was posted, read-only, to copy. It never offers to send
the post again: a button that re-posts with a fresh token would undo what CSRF protection is for.

The 500 page may follow a failing database, so it never asks one: it is rendered as nobody
(no menu, no account) in the browser's language. Asking who is signed in would run the query
that may just have failed, and fail the error page too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from journal.extensions import login_manager
from journal.web import rate_limits
from journal.web.i18n import browser_locale, template_helpers
from journal.web.json_routes import reply, wants_json


class ErrorId(StrEnum):
    """The `error` of a JSON answer, for a script to act on."""

    BAD_REQUEST = "bad_request"
    CSRF = "csrf"
    NOT_FOUND = "not_found"
    METHOD = "method_not_allowed"
    CONFLICT = "conflict"
    GONE = "gone"
    SERVER = "server"


JSON_IDS = {
    400: ErrorId.BAD_REQUEST,
    404: ErrorId.NOT_FOUND,
    405: ErrorId.METHOD,
    409: ErrorId.CONFLICT,
    410: ErrorId.GONE,
    500: ErrorId.SERVER,
}
# Posted fields that are not the person's words: the token, where to go next, a file already
# read, choices from a list. Passwords are never shown back.
NOT_TYPED = frozenset({"csrf_token", "next", "csv_base64", "language", "timezone", "leave"})
# Values a form sends for a chip, box, number, time or date: ids, not words anyone typed.
_MACHINE_VALUE = re.compile(r"[a-z0-9_:.\-]*")


def register(app: Flask) -> None:
    for code in (400, 404, 405, 409, 410):
        app.register_error_handler(code, _page_error)
    # Found before the 400 handler: Flask looks a handler up by the error's class first.
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(429, rate_limits.too_many_requests)
    app.register_error_handler(InternalServerError, _server_error)


def error_page(code: int, **context: object) -> Response:
    """templates/errors/<code>.html in the active language; `back_url` and `back_label` replace
    the way home (the PDF's page leads back to the summary)."""
    response = make_response(render_template(f"errors/{code}.html", **context), code)
    # Not worth keeping: the next visit may well find the page, the day or the server fine.
    response.headers["Cache-Control"] = "no-store"
    return response


def _json_error(code: int) -> tuple[Response, int]:
    messages = {
        400: _("This request could not be read."),
        404: _("There is nothing at this address."),
        405: _("This address does not take this kind of request."),
        409: _("This clashes with what is already stored."),
        410: _("This link no longer works."),
        500: _("Something went wrong on the server."),
    }
    return reply(code, error=JSON_IDS[code].value, message=messages[code])


def _page_error(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 404
    response = _json_error(code)[0] if wants_json() else error_page(code)
    response.status_code = code
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)  # as HTTP asks of a 405
    return response


def _csrf_error(_error: CSRFError) -> ResponseReturnValue:
    if wants_json():
        message = _("This page was open too long. Please reload it and try again.")
        return reply(400, error=ErrorId.CSRF.value, message=message)
    typed = typed_text(request.form.items(multi=True))
    return error_page(400, csrf=True, typed="\n\n".join(typed), go_back=_same_site_referrer())


def typed_text(fields: Iterable[tuple[str, str]]) -> list[str]:
    """The words a person typed into a posted form, in form order: not the fields that are no
    one's words (NOT_TYPED), no password, and no value that is an id or a number."""
    return [
        value.strip()
        for name, value in fields
        if name not in NOT_TYPED
        and "password" not in name
        and value.strip()
        and not _MACHINE_VALUE.fullmatch(value.strip())
    ]


def _same_site_referrer() -> str | None:
    """The page the form was on, as a path on this site (for "Ga terug" without JavaScript)."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc != request.host or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _server_error(_error: InternalServerError) -> ResponseReturnValue:
    """The bug itself is already logged by Flask; this only answers, without the database."""
    if wants_json():
        return _json_error(500)
    with force_locale(browser_locale()):
        # Flask-Login's context processor would load the signed-in person: left out, and the
        # page gets the anonymous user and the app's own helpers instead.
        context = {**template_helpers(), "current_user": login_manager.anonymous_user()}
        body = current_app.jinja_env.get_template("errors/500.html").render(context)
    response = make_response(body, 500)
    response.headers["Cache-Control"] = "no-store"
    return response
