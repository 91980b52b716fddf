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

    from journal import cli, config
    from journal.extensions import babel, csrf, db, login_manager, migrate
    from journal.web import (
        account,
        api,
        auth,
        checkins,
        home,
        patterns,
        pwa,
        settings,
        share,
        trends,
    )
    from journal.web.i18n import request_locale, template_helpers

    app = Flask(
        __name__,
        instance_relative_config=True,
        static_folder="../static",
        template_folder="../templates",
    )
    config.load(app, test_config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=request_locale)

    blueprints = (
        home.bp,
        auth.bp,
        checkins.bp,
        account.bp,
        patterns.bp,
        api.bp,
        pwa.bp,
        trends.bp,
        share.bp,
        settings.bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.context_processor(template_helpers)
    cli.init_app(app)
    app.after_request(_security_headers)
    return app


def _security_headers(response: Response) -> Response:
    # same-origin keeps the Referer that Flask-WTF needs on HTTPS POSTs (DESIGN pitfalls).
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    )
    return response
