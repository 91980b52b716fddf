"""The app's own error pages (issue 19): in the person's language, inside the layout, each with
a way home. Werkzeug's own said "Not Found" in English, and nothing led back.

Scripts get JSON instead (`wants_json`): the API's own handler answers for its routes, and the
handlers here answer JSON for the rest (an unknown /api/ address, the push routes of settings).
The 429 page is the rate limits' (journal.web.rate_limits), on the same layout.

The 500 page may follow a failing database, so it never asks one: it is rendered as nobody
(no menu, no account) in the browser's language. Asking who is signed in would run the query
that may just have failed, and fail the error page too.
"""

from __future__ import annotations

from enum import StrEnum

from flask import Flask, Response, current_app, make_response, render_template
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from journal.extensions import login_manager
from journal.web import rate_limits
from journal.web.i18n import browser_locale, template_helpers
from journal.web.json_routes import reply, wants_json


class ErrorId(StrEnum):
    """The `error` of a JSON answer, for a script to act on."""

    NOT_FOUND = "not_found"
    GONE = "gone"
    SERVER = "server"


JSON_IDS = {404: ErrorId.NOT_FOUND, 410: ErrorId.GONE, 500: ErrorId.SERVER}


def register(app: Flask) -> None:
    app.register_error_handler(404, _page_error)
    app.register_error_handler(410, _page_error)
    app.register_error_handler(429, rate_limits.too_many_requests)
    app.register_error_handler(InternalServerError, _server_error)


def error_page(code: int, **context: object) -> Response:
    """templates/errors/<code>.html in the active language; `back_url` and `back_label` replace
    the way home (the PDF's page leads back to the summary)."""
    response = make_response(render_template(f"errors/{code}.html", **context), code)
    # Not worth keeping: the next visit may well find the page, the day or the server fine.
    response.headers["Cache-Control"] = "no-store"
    return response


def _json_error(code: int) -> ResponseReturnValue:
    messages = {
        404: _("There is nothing at this address."),
        410: _("This link no longer works."),
        500: _("Something went wrong on the server."),
    }
    return reply(code, error=JSON_IDS[code].value, message=messages[code])


def _page_error(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 404
    return _json_error(code) if wants_json() else error_page(code)


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
