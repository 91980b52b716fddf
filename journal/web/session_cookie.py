"""Flask's signed session cookie, with a cheaper payload and its signer built once.

Every request reads the cookie and every flash writes it, so its cost is paid on every save of a
check-in. Flask builds a new signer on each read and write, and tags every value for types that
plain JSON lacks, although this app's session holds only strings, numbers and booleans (Flask-Login,
the CSRF secret, the language choice) and flashed messages. The signature is Flask's, and
cookies written by Flask's own interface still open.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CompactJSON(TaggedJSONSerializer):
    """Plain JSON; only a value that JSON has no type for gets Flask's tag (bytes, datetime,
    Markup, UUID), so it round-trips as before. Tuples, such as a flash's (category, message),
    come back as lists, which unpack the same way."""

    def dumps(self, value: Any) -> str:
        return json.dumps(value, separators=(",", ":"), default=self.tag)

    def loads(self, value: str | bytes) -> Any:
        # untag hands back any dict that is not a single tag key: one cheap call per dict.
        return json.loads(value, object_hook=self.untag)


class SessionCookie(SecureCookieSessionInterface):
    serializer = CompactJSON()

    def __init__(self) -> None:
        self._signers: dict[tuple[object, ...], URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        # Keyed by the secrets, so a changed key (or rotated fallbacks) gets a new signer.
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        signer = self._signers.get(keys)
        if signer is None:
            signer = super().get_signing_serializer(app)
            assert signer is not None
            self._signers[keys] = signer
        return signer
