"""The rule every password meets, wherever one is set: registering, changing it, `flask demo`."""

from __future__ import annotations

from typing import Final

# Long enough that guessing, slowed by Argon2 and the rate limits, gets nowhere.
PASSWORD_MIN: Final = 10


def long_enough(password: str) -> bool:
    return len(password) >= PASSWORD_MIN
