"""What every JSON route called from scripts (the outbox, push subscriptions) answers alike.

DESIGN pitfalls: an expired session must answer 401 JSON, never Flask-Login's login page, so a
script keeps its data; and the CSRF token comes in a header, checked only after the login, so a
token made stale by the expired session does not hide the 401.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from journal.extensions import csrf


def wants_json() -> bool:
    """Whether an error answer should be JSON: a script's request (the API, including addresses
    under /api/ that match no route, or a JSON body or Accept header), not a page's."""
    best = request.accept_mimetypes.best_match(("text/html", "application/json"))
    return (
        request.blueprint == "api"
        or request.path.startswith("/api/")
        or request.is_json
        or best == "application/json"
    )


def reply(code: int, /, **body: Any) -> tuple[Response, int]:
    """A JSON answer that no cache, shared or service worker, may keep."""
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, code


def refuse(*, logged_out: str, out_of_date: str) -> tuple[Response, int] | None:
    """401 when nobody is logged in, then 403 when the CSRF header is wrong; else None."""
    if not current_user.is_authenticated:
        return reply(401, error="unauthenticated", message=logged_out)
    # protect() ignores WTF_CSRF_ENABLED, so honour it here as the global check would.
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            csrf.protect()
        except CSRFError:
            return reply(403, error="csrf", message=out_of_date)
    return None
