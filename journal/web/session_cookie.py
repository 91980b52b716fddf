"""Flask's signed session cookie, with a cheaper payload and its signer built once.

Every request reads the cookie and every flash writes it, so its cost is paid on every save of a
check-in. Flask builds a new signer on each read and write, derives its HMAC key again for each
signature, compresses the payload with zlib and tags every value for types that plain JSON
lacks, although this app's session holds only a few short strings, numbers and booleans
(Flask-Login, the CSRF secret, the language choice) and flashed messages. The signature is
Flask's (HMAC-SHA1 over the same key derivation), and cookies written by Flask's own interface,
compressed or not, still open.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from typing import Any

from flask import Flask, Response
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from itsdangerous import Serializer, Signer, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from werkzeug.http import dump_cookie

# What itsdangerous writes (URL-safe base64, dots): nothing a cookie value must quote.
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9_.-]+")


class CompactJSON(TaggedJSONSerializer):
    """Plain JSON; only a value that JSON has no type for gets Flask's tag (bytes, datetime,
    Markup, UUID), so it round-trips as before. Tuples, such as a flash's (category, message),
    come back as lists, which unpack the same way."""

    def dumps(self, value: Any) -> str:
        return json.dumps(value, separators=(",", ":"), default=self.tag)

    def loads(self, value: str | bytes) -> Any:
        # untag hands back any dict that is not a single tag key: one cheap call per dict.
        return json.loads(value, object_hook=self.untag)


@lru_cache(maxsize=8)
def _derived_key(secret_key: bytes, salt: bytes, key_derivation: str, digest_method: Any) -> bytes:
    return Signer(
        secret_key, salt=salt, key_derivation=key_derivation, digest_method=digest_method
    ).derive_key()


class CachedKeySigner(TimestampSigner):
    """itsdangerous derives the HMAC key from the secret and salt for every signature; the
    result only changes with them, so it is derived once per (secret, salt)."""

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        key = self.secret_keys[-1] if secret_key is None else secret_key
        if isinstance(key, str):
            key = key.encode()
        return _derived_key(key, self.salt, self.key_derivation, self.digest_method)


class CookieSerializer(URLSafeTimedSerializer):
    """No zlib: compressing a few hundred bytes costs more (zlib sets up 256 KB of state for
    every call) than the bytes it saves. A compressed cookie, marked by its leading dot, still
    opens."""

    default_signer = CachedKeySigner

    def dump_payload(self, obj: Any) -> bytes:
        return base64_encode(Serializer.dump_payload(self, obj))


class SessionCookie(SecureCookieSessionInterface):
    serializer = CompactJSON()
    # Flask wraps hashlib.sha1 in a Python function, which sends every HMAC down the standard
    # library's pure-Python path; the function itself takes OpenSSL's. Same signature.
    digest_method = staticmethod(hashlib.sha1)

    def __init__(self) -> None:
        self._signers: dict[tuple[object, ...], URLSafeTimedSerializer] = {}
        self._templates: dict[tuple[object, ...], tuple[str, str]] = {}

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Flask's, with the Set-Cookie header's fixed part made once per cookie setting.

        An emptied session (its cookie is deleted) and a permanent one (its cookie carries an
        expiry date) go Flask's own way; so does a value too long for a cookie, which Flask
        warns about."""
        if not session or session.permanent:
            super().save_session(app, session, response)
            return
        if not self.should_set_cookie(app, session):
            if session.accessed:
                _vary_on_cookie(response)
            return
        signer = self.get_signing_serializer(app)
        assert signer is not None  # a session that opened has a secret key
        value = signer.dumps(dict(session))
        before, after = self._template(app)
        header = f"{before}{value}{after}"
        if len(header) > response.max_cookie_size or not _PLAIN_VALUE.fullmatch(value):
            super().save_session(app, session, response)
            return
        response.headers.add("Set-Cookie", header)
        _vary_on_cookie(response)

    def _template(self, app: Flask) -> tuple[str, str]:
        name = self.get_cookie_name(app)
        attributes = (
            self.get_cookie_domain(app),
            self.get_cookie_path(app),
            self.get_cookie_secure(app),
            self.get_cookie_httponly(app),
            self.get_cookie_samesite(app),
            self.get_cookie_partitioned(app),
        )
        key = (name, *attributes)
        template = self._templates.get(key)
        if template is None:
            domain, path, secure, httponly, samesite, partitioned = attributes
            header = dump_cookie(
                name,
                "v",
                domain=domain,
                path=path,
                secure=secure,
                httponly=httponly,
                samesite=samesite,
                partitioned=partitioned,
            )
            before = f"{name}="
            template = self._templates[key] = (before, header[len(before) + 1 :])
        return template

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        # As Flask orders them: itsdangerous signs with the last key and also accepts the
        # others. Keyed by the secrets, so a changed key (or rotated fallbacks) gets a new signer.
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        signer = self._signers.get(keys)
        if signer is None:
            signer = CookieSerializer(
                list(keys),
                salt=self.salt,
                serializer=self.serializer,
                signer_kwargs={
                    "key_derivation": self.key_derivation,
                    "digest_method": self.digest_method,
                },
            )
            self._signers[keys] = signer
        return signer


def _vary_on_cookie(response: Response) -> None:
    # response.vary parses the header into a set and writes it back: for the common case of
    # no Vary yet, one plain header does the same.
    if "Vary" in response.headers:
        response.vary.add("Cookie")
    else:
        response.headers["Vary"] = "Cookie"
