"""Web Push: the VAPID key, and sending one reminder to one browser with pywebpush.

The key pair is made once and kept in instance/vapid_private_key.pem (mode 0600), unless
JOURNAL_VAPID_PRIVATE_KEY gives one: the web process hands its public half to browsers when
they subscribe, the scheduler signs with the private half, and both read the same file.
Changing the key makes every existing subscription useless, so it is never regenerated.

The payload holds only a title, a body, the URL to open and the tag: no scores, no notes.
The delivery id is the `Topic` header (a push service replaces a waiting message with the same
topic) and the notification tag (the browser replaces a shown one), so a duplicate replaces
instead of stacking.

The scheduler posts to whatever URL a browser gave, so a subscription is accepted only with a
key that is a point on P-256 (else pywebpush fails mid-tick) and an https endpoint on a public
host: no user info, and every address the name resolves to global (not loopback, private,
link-local, multicast, reserved or unspecified). The endpoint is checked again right before
each send, because DNS can change, and redirects are never followed (issue 17).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from socket import SOCK_STREAM, getaddrinfo
from typing import Any, Final
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
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
# The characters RFC 3986 allows in a URL: no spaces, backslashes, controls or non-ASCII, on
# which URL parsers disagree (and which the database may refuse to store).
_URL: Final = re.compile(r"[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+")
_BASE64URL: Final = re.compile(r"[A-Za-z0-9_-]{1,200}={0,2}")
# NAT64's well-known prefix carries an IPv4 address in its last 32 bits (RFC 6052).
_NAT64: Final = ipaddress.IPv6Network("64:ff9b::/96")

log = logging.getLogger("journal.reminders")
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
    INVALID = "invalid"  # its keys can never work: remove the subscription


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _public(address: IPAddress) -> bool:
    """Reachable on the internet, also through an IPv4 address carried inside an IPv6 one."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in _NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
        if inner is not None and not _public(inner):
            return False
    # is_global alone lets multicast through.
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified
    )


def _addresses(host: str) -> list[IPAddress]:
    """Every address a host stands for (an IP literal in any notation, or a name); none when
    it does not resolve."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = getaddrinfo(host, None, type=SOCK_STREAM)
        return [ipaddress.ip_address(str(info[4][0])) for info in found]
    except (OSError, UnicodeError, ValueError):  # not found, or a name IDNA cannot encode
        return []


def well_formed(endpoint: str) -> bool:
    """Short enough to store, and only characters a URL may hold."""
    return len(endpoint) <= ENDPOINT_MAX and _URL.fullmatch(endpoint) is not None


def endpoint_allowed(endpoint: str, allow_local: bool) -> bool:
    """Whether the scheduler may post to this URL: https, no user info, and a host whose every
    address is public. `allow_local` (tests and local development) also lets plain http and
    this machine's own addresses through, never the rest of the network."""
    if not well_formed(endpoint):
        return False
    try:
        parts = urlsplit(endpoint)
        host, _port = parts.hostname, parts.port  # .port raises for a port that is no port
    except ValueError:
        return False
    schemes = {"https", "http"} if allow_local else {"https"}
    if parts.scheme not in schemes or not host or "@" in parts.netloc:
        return False
    addresses = _addresses(host)
    return bool(addresses) and all(
        _public(address) or (allow_local and address.is_loopback) for address in addresses
    )


def keys_valid(p256dh: str, auth: str) -> bool:
    """A browser's keys as encryption needs them: a P-256 point and a 16-byte secret."""
    if not (_BASE64URL.fullmatch(p256dh) and _BASE64URL.fullmatch(auth)):
        return False
    try:
        point, secret = _b64url_decode(p256dh), _b64url_decode(auth)
    except (binascii.Error, ValueError):
        return False
    if len(point) != 65 or point[0] != 4 or len(secret) != 16:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:  # 65 bytes that are no point on the curve
        return False
    return True


def valid_subscription(data: Mapping[str, Any], allow_local: bool) -> PushTarget | None:
    """A browser's `PushSubscription.toJSON()`, checked; None when it is not one we may use."""
    endpoint = data.get("endpoint")
    keys = data.get("keys")
    if not isinstance(endpoint, str) or not isinstance(keys, Mapping):
        return None
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(p256dh, str) or not isinstance(auth, str) or not keys_valid(p256dh, auth):
        return None
    if not endpoint_allowed(endpoint, allow_local):  # last: it may ask DNS
        return None
    return PushTarget(0, endpoint, p256dh, auth)


def payload(title: str, body: str, tag: str, url: str = "/checkin") -> str:
    return json.dumps({"title": title, "body": body, "url": url, "tag": tag}, ensure_ascii=False)


class WebPushSender:
    """Sends through pywebpush over one HTTP session (kept alive across a tick's sends).

    The key is fetched on the first send, so a tick with nothing to push never reads (or
    creates) the key file. Errors that say nothing about the subscription (its push service
    answered, or could not be reached) become outcomes; anything else is raised, for the
    caller to guard each send with (send.py).
    """

    def __init__(
        self, key: Callable[[], Vapid02], subject: str, *, allow_local: bool = False
    ) -> None:
        import requests

        self._get_key = key
        self._key: Vapid02 | None = None
        self._subject = subject
        self._allow_local = allow_local
        self._session = requests.Session()
        # A push service answers; it never redirects. A redirect would lead the request to
        # an address endpoint_allowed never saw.
        self._session.max_redirects = 0

    def __call__(self, target: PushTarget, data: str, topic: str) -> PushOutcome:
        import requests
        from pywebpush import WebPushException, webpush

        if not endpoint_allowed(target.endpoint, self._allow_local):
            # Its name resolved publicly when the browser subscribed; now it does not (or the
            # row came from elsewhere). Kept: DNS may be right again tomorrow.
            log.warning("push subscription %d skipped: not a public https address", target.id)
            return PushOutcome.FAILED
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
