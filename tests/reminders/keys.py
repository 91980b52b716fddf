"""Keys for the push tests: the app's VAPID key (never one from instance/) and a browser's."""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def private_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


VAPID_PEM = private_pem()


def subscriber_keys() -> tuple[ec.EllipticCurvePrivateKey, str, str]:
    """A browser's push keys: the private key (to decrypt), p256dh and auth (base64url)."""
    key = ec.generate_private_key(ec.SECP256R1())
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return key, b64(point), b64(os.urandom(16))
