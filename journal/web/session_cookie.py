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
from functools import lru_cache
from typing import Any

from flask import Flask
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import Serializer, Signer, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode


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
