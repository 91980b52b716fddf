"""Hersteldagboek: a daily recovery and sleep journal.

Imports live inside `create_app` so that `journal.domain` can be imported (by the rule tests,
the benchmarks, other tools) without pulling in Flask.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask, Response

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. Nothing here touches the database, starts threads or prompts."""
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from journal import cli, config
    from journal.extensions import babel, csrf, db, limiter, login_manager, migrate
    from journal.web import (
        account,
        api,
        auth,
        checkins,
        coach,
        coach_account,
        connections,
        errors,
        home,
        patterns,
        people,
        phase,
        pwa,
        recovery,
        reflect,
        second_factor,
        security,
        settings,
        share,
        week,
        welcome,
    )
    from journal.web.i18n import request_locale, template_helpers

    app = Flask(
        __name__,
        instance_relative_config=True,
        static_folder="../static",
        template_folder="../templates",
    )
    config.load(app, test_config)
    hops = app.config["JOURNAL"]["PROXY_HOPS"]
    if hops:
        # Only as many hops as the deployment runs: a client's own X-Forwarded-For beyond them
        # is ignored, so it cannot buy itself a fresh address per guess (rate limits).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=request_locale)
    limiter.init_app(app)
    errors.register(app)

    blueprints = (
        home.bp,
        auth.bp,
        checkins.bp,
        account.bp,
        patterns.bp,
        api.bp,
        pwa.bp,
        week.bp,
        share.bp,
        coach.bp,
        connections.bp,
        settings.bp,
        recovery.bp,
        welcome.bp,
        people.bp,
        phase.bp,
        reflect.bp,
        coach_account.bp,
        second_factor.bp,
        security.bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.context_processor(template_helpers)
    cli.init_app(app)
    app.after_request(_security_headers)
    return app


# Every response carries these unless its view set its own (the share pages' Referrer-Policy).
SECURITY_HEADERS = {
    # same-origin keeps the Referer that Flask-WTF needs on HTTPS POSTs (DESIGN pitfalls).
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    # Grants no browser feature to anyone. Notifications and push, which the app uses, are
    # asked for by the page and are not Permissions-Policy features.
    "Permissions-Policy": (
        "accelerometer=(), autoplay=(), bluetooth=(), browsing-topics=(), camera=(), "
        "display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), "
        "hid=(), idle-detection=(), magnetometer=(), microphone=(), midi=(), payment=(), "
        "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), "
        "usb=(), xr-spatial-tracking=()"
    ),
}
# Only while cookies are Secure (COOKIE_SECURE, off under --debug): a browser told this over
# plain http ignores it, and on a developer's https://localhost it would stick for a year.
STRICT_TRANSPORT_SECURITY = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
_BY_LOWER_NAME = tuple((name.lower(), (name, value)) for name, value in SECURITY_HEADERS.items())


def _security_headers(response: Response) -> Response:
    from flask import current_app

    # One pass over the response's headers, not one per header as setdefault would take.
    present = {name.lower() for name, _ in response.headers}
    response.headers.extend([header for lower, header in _BY_LOWER_NAME if lower not in present])
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault(*STRICT_TRANSPORT_SECURITY)
    return response
