"""Web Push: the VAPID key, and sending one reminder to one browser with pywebpush.

The key pair is made once and kept in instance/vapid_private_key.pem (mode 0600), unless
JOURNAL_VAPID_PRIVATE_KEY gives one: the web process hands its public half to browsers when
they subscribe, the scheduler signs with the private half, and both read the same file.
Changing the key makes every existing subscription useless, so it is never regenerated.

The payload holds only a title, a body, the URL to open and the tag: no scores, no notes.
The delivery id is the `Topic` header (a push service replaces a waiting message with the same
topic) and the notification tag (the browser replaces a shown one), so a duplicate replaces
instead of stacking.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from flask import Flask
from py_vapid import Vapid02

from journal.config import instance_file

KEY_FILE: Final = "vapid_private_key.pem"
# A reminder more than 2 hours late is not wanted (journal.domain.schedule.EXPIRE_AFTER): the
# push service may drop it after that instead of delivering it to a phone that wakes up later.
TTL_SECONDS: Final = 2 * 60 * 60
TIMEOUT_SECONDS: Final = 10.0
GONE: Final = frozenset({404, 410})  # the browser unsubscribed or the subscription expired
ENDPOINT_MAX: Final = 1000

_lock = threading.Lock()
_keys: dict[str, Vapid02] = {}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _load_key(text: str) -> Vapid02:
    if "-----BEGIN" in text:
        key = serialization.load_pem_private_key(text.encode(), password=None)
        return Vapid02(key)
    return Vapid02.from_string(text.strip())


def _new_key() -> bytes:
    fresh = Vapid02()
    fresh.generate_keys()
    return bytes(fresh.private_pem())


def vapid_key(app: Flask) -> Vapid02:
    """The app's VAPID key pair (from configuration, else from the instance folder)."""
    configured = app.config["JOURNAL"].get("VAPID_PRIVATE_KEY")
    cache_key = configured or app.instance_path
    with _lock:
        key = _keys.get(cache_key)
        if key is None:
            key = _load_key(
                configured or instance_file(Path(app.instance_path), KEY_FILE, _new_key)
            )
            _keys[cache_key] = key
        return key


def application_server_key(app: Flask) -> str:
    """The public key as browsers want it for `pushManager.subscribe` (base64url, raw point)."""
    point = vapid_key(app).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(point)


@dataclass(frozen=True, slots=True)
class PushTarget:
    """One browser subscription, as pywebpush wants it."""

    id: int
    endpoint: str
    p256dh: str
    auth: str

    def info(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushOutcome(StrEnum):
    SENT = "sent"
    GONE = "gone"  # remove the subscription
    FAILED = "failed"


def valid_subscription(data: Mapping[str, Any], allow_http: bool) -> PushTarget | None:
    """A browser's `PushSubscription.toJSON()`, checked; None when it is not one.

    Endpoints must be https (every real push service is): the scheduler posts to whatever
    URL is stored here, so it must not be pointed at plain-http addresses on the inside.
    """
    endpoint = data.get("endpoint")
    keys = data.get("keys")
    if not isinstance(endpoint, str) or not isinstance(keys, Mapping):
        return None
    if len(endpoint) > ENDPOINT_MAX:
        return None
    parts = urlsplit(endpoint)
    schemes = {"https", "http"} if allow_http else {"https"}
    if parts.scheme not in schemes or not parts.hostname:
        return None
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(p256dh, str) or not isinstance(auth, str):
        return None
    try:
        point, secret = _b64url_decode(p256dh), _b64url_decode(auth)
    except (binascii.Error, ValueError):
        return None
    if len(point) != 65 or point[0] != 4 or len(secret) != 16:
        return None
    return PushTarget(0, endpoint, p256dh, auth)


def payload(title: str, body: str, tag: str, url: str = "/checkin") -> str:
    return json.dumps({"title": title, "body": body, "url": url, "tag": tag}, ensure_ascii=False)


class WebPushSender:
    """Sends through pywebpush over one HTTP session (kept alive across a tick's sends).

    The key is fetched on the first send, so a tick with nothing to push never reads (or
    creates) the key file.
    """

    def __init__(self, key: Callable[[], Vapid02], subject: str) -> None:
        import requests

        self._get_key = key
        self._key: Vapid02 | None = None
        self._subject = subject
        self._session = requests.Session()

    def __call__(self, target: PushTarget, data: str, topic: str) -> PushOutcome:
        import requests
        from pywebpush import WebPushException, webpush

        if self._key is None:
            self._key = self._get_key()
        try:
            webpush(
                target.info(),
                data=data,
                vapid_private_key=self._key,
                # A new dict each time: pywebpush writes this endpoint's audience into it.
                vapid_claims={"sub": self._subject},
                ttl=TTL_SECONDS,
                timeout=TIMEOUT_SECONDS,
                headers={"Topic": topic, "Urgency": "normal"},
                requests_session=self._session,
            )
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            return PushOutcome.GONE if status in GONE else PushOutcome.FAILED
        except requests.RequestException:
            return PushOutcome.FAILED
        return PushOutcome.SENT

    def close(self) -> None:
        self._session.close()
