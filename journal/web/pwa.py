"""What makes the app installable and usable offline: manifest, service worker, offline page.

The service worker is served at /sw.js, not /static/sw.js, because a worker only controls the
path it is served from and below (DESIGN pitfalls). Its cache name carries a version: a hash of
the files it precaches, so any change to them installs a new worker that refreshes its cache.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, send_from_directory
from flask.typing import ResponseReturnValue
from flask_login import current_user

bp = Blueprint("pwa", __name__)

# What the worker stores at install (URL paths). Static files by name; "/offline" is rendered.
SHELL_STATIC = (
    "style.css",
    "app.js",
    "outbox.js",
    "icons/icon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/icon-maskable-512.png",
)
SHELL_PAGES = ("/manifest.webmanifest", "/offline")
# Inputs of the version besides the static files: the worker itself, the manifest, and what
# the precached offline page is rendered from (its templates and the catalogs' words).
VERSION_INPUTS = ("sw.js", "manifest.webmanifest")
VERSION_TEMPLATES = ("base.html", "pwa/offline.html")
CATALOGS = Path(__file__).resolve().parent.parent / "translations"
# Set on every response to a logged-in person. The worker keeps personal pages only when it is
# present, drops them when it changes (someone else logged in) and the outbox sends an item
# only to the account that made it. An HMAC, so it names no one.
ACCOUNT_HEADER = "X-Journal-Account"
# Files, not pages: asking who is logged in costs a query, and they do not need the mark.
UNMARKED_ENDPOINTS = frozenset({"static", "pwa.favicon"})
# /favicon.ico cannot carry a version in its address, so a month rather than a year: a new icon
# reaches everyone within that time, and browsers stop asking on every page.
FAVICON_MAX_AGE = timedelta(days=30)


@cache
def _content_version(static_folder: str, template_folder: str) -> str:
    """A hash of what the worker precaches, computed once per process."""
    digest = hashlib.sha256()
    static, templates = Path(static_folder), Path(template_folder)
    paths = [static / name for name in (*SHELL_STATIC, *VERSION_INPUTS)]
    paths += [templates / name for name in VERSION_TEMPLATES]
    paths += sorted(CATALOGS.glob("*/LC_MESSAGES/messages.po"))
    for path in paths:
        data = path.read_bytes()
        digest.update(len(data).to_bytes(8, "big") + data)  # length first: no two splits alike
    return digest.hexdigest()[:12]


@cache
def _worker_source(static_folder: str) -> str:
    """Read once per process, like the version it is served with (_content_version)."""
    return (Path(static_folder) / "sw.js").read_text(encoding="utf-8")


def cache_version() -> str:
    """PWA_VERSION in the config wins (tests use it to roll out a 'new' worker)."""
    override = current_app.config.get("PWA_VERSION")
    if override:
        return str(override)
    # template_folder is relative to the app's root ("../templates"); static_folder is not.
    templates = Path(current_app.root_path) / str(current_app.template_folder)
    return _content_version(str(current_app.static_folder), str(templates.resolve()))


def account_key() -> str:
    """An opaque, stable key for the logged-in account; empty when nobody is logged in."""
    if not current_user or not current_user.is_authenticated:
        return ""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"account:{current_user.id}".encode(), "sha256").hexdigest()[:20]


@bp.app_context_processor
def _helpers() -> dict[str, object]:
    return {"pwa_account_key": account_key}


@bp.after_app_request
def _mark_account(response: Response) -> Response:
    if request.endpoint in UNMARKED_ENDPOINTS:
        return response
    if 300 <= response.status_code < 400:
        # The browser follows a redirect itself, or hands the worker an opaque one: a
        # redirect's headers never reach the worker, so they need no mark.
        return response
    if response.status_code >= 500:
        # The worker keeps no error page, and the 500 page must not ask the database
        # (journal.web.errors), which may be what just failed.
        return response
    key = account_key()
    if key:
        response.headers[ACCOUNT_HEADER] = key
    return response


@bp.get("/sw.js")
def service_worker() -> ResponseReturnValue:
    shell = [f"/static/{name}" for name in SHELL_STATIC] + list(SHELL_PAGES)
    config = {"version": cache_version(), "shell": shell, "accountHeader": ACCOUNT_HEADER}
    body = f"self.PWA = {json.dumps(config)};\n{_worker_source(str(current_app.static_folder))}"
    response = Response(body, mimetype="application/javascript")
    # The browser checks for a new worker on navigation; no-cache makes it ask us each time.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> ResponseReturnValue:
    response = send_from_directory(
        str(current_app.static_folder), "manifest.webmanifest", mimetype="application/manifest+json"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Browsers ask for /favicon.ico by themselves, and Safari does not read the SVG icon."""
    return send_from_directory(
        Path(str(current_app.static_folder)) / "icons",
        "favicon.ico",
        mimetype="image/vnd.microsoft.icon",
        max_age=int(FAVICON_MAX_AGE.total_seconds()),
    )


@bp.get("/offline")
def offline() -> ResponseReturnValue:
    """Public: the worker fetches it without cookies, so the cached copy holds nothing personal."""
    return render_template("pwa/offline.html")
