"""Secret tokens in links (share links, password resets, e-mail confirmations).

A token is 256 random bits; only its SHA-256 is stored, so a copy of the database opens nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Final

TOKEN_BYTES: Final = 32  # 256 bits
TOKEN_RE: Final = re.compile(r"^[A-Za-z0-9_-]{43}$")  # what token_urlsafe(32) gives


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()
