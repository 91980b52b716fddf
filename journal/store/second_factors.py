"""The second factor (issue 20): a TOTP secret (RFC 6238) and single-use recovery codes.

Codes are checked here and nowhere else. A TOTP code is good for its own 30-second step and
the steps either side (clocks on phones drift), and only once: `last_step` is raised by a
conditional update, so a code seen over someone's shoulder, or two requests racing with the
same code, open nothing twice. A recovery code is used by a conditional update as well; only
its SHA-256 is stored, like the link tokens (journal/store/tokens.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

import pyotp
from sqlalchemy import delete, func, or_, select, update

from journal.extensions import db
from journal.models import RecoveryCode, SecondFactor

ISSUER: Final = "Hersteldagboek"
RECOVERY_CODE_COUNT: Final = 10
# No 0/O, 1/I/L or 5/S, so a code read from paper is typed right; 29 signs.
ALPHABET: Final = "2346789ABCDEFGHJKMNPQRTUVWXYZ"
_RECOVERY_LENGTH: Final = 12  # ~58 bits: a leaked hash is not worth guessing back
_VALID_WINDOW: Final = 1  # the step before and after the current one count too
_TOTP_DIGITS: Final = 6


class Passed(StrEnum):
    """How a code was accepted; the view tells the person when a recovery code was used."""

    TOTP = "totp"
    RECOVERY = "recovery"


@dataclass(frozen=True)
class FactorState:
    """What the security page shows: whether a factor is on, and recovery codes left."""

    confirmed: bool
    recovery_left: int


def new_secret() -> str:
    return pyotp.random_base32()


def setup_uri(secret: str, account_name: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=ISSUER)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirmed(user_id: int) -> bool:
    return (
        db.session.scalar(
            select(SecondFactor.user_id).where(
                SecondFactor.user_id == user_id, SecondFactor.confirmed_at.is_not(None)
            )
        )
        is not None
    )


def state(user_id: int) -> FactorState:
    left = db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )
    return FactorState(confirmed=confirmed(user_id), recovery_left=int(left or 0))


def _digits(code: str) -> str:
    """What was typed, without the spaces some apps show ("123 456")."""
    return "".join(code.split())


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The step whose code this is, within the window; compared in constant time."""
    code = _digits(code)
    if len(code) != _TOTP_DIGITS or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - _VALID_WINDOW, current + _VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def confirm(user_id: int, secret: str, code: str, now: datetime) -> bool:
    """Make `secret` the account's factor once a first code from it proves the app has it.

    Replaces a factor that was there: the old one stays good until this moment, so an
    abandoned replacement locks nobody out. Commits.
    """
    step = _matching_step(secret, code, now)
    if step is None:
        return False
    factor = db.session.get(SecondFactor, user_id)
    if factor is None:
        factor = SecondFactor(user_id=user_id)
        db.session.add(factor)
    factor.secret = secret
    factor.confirmed_at = now
    factor.last_step = step  # the code just typed cannot be used to sign in
    db.session.commit()
    return True


def _use_step(user_id: int, step: int) -> bool:
    """Claim `step` unless it or a later one was used: one winner however many race."""
    claimed = db.session.execute(
        update(SecondFactor)
        .where(
            SecondFactor.user_id == user_id,
            or_(SecondFactor.last_step.is_(None), SecondFactor.last_step < step),
        )
        .values(last_step=step)
    )
    db.session.commit()
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def check_totp(user_id: int, code: str, now: datetime) -> bool:
    """A code from the confirmed factor's app, not used before. Commits."""
    secret = db.session.scalar(
        select(SecondFactor.secret).where(
            SecondFactor.user_id == user_id, SecondFactor.confirmed_at.is_not(None)
        )
    )
    if secret is None:
        return False
    step = _matching_step(secret, code, now)
    return step is not None and _use_step(user_id, step)


def normalise_recovery(code: str) -> str:
    """Upper case, without the dashes and spaces people type or leave out."""
    return "".join(sign for sign in code.upper() if sign.isalnum())


def _recovery_hash(code: str) -> str:
    return hashlib.sha256(normalise_recovery(code).encode("utf-8", "surrogatepass")).hexdigest()


def use_recovery_code(user_id: int, code: str, now: datetime) -> bool:
    """Spend one unused recovery code of this account. Commits."""
    if not normalise_recovery(code):
        return False
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == _recovery_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
    )
    db.session.commit()
    return bool(used.rowcount)  # type: ignore[attr-defined]


def check_code(user_id: int, code: str, now: datetime) -> Passed | None:
    """The sign-in's second step: a TOTP code, else a recovery code, else None."""
    if check_totp(user_id, code, now):
        return Passed.TOTP
    if len(_digits(code)) > _TOTP_DIGITS and use_recovery_code(user_id, code, now):
        return Passed.RECOVERY
    return None


def _new_recovery_code() -> str:
    signs = "".join(secrets.choice(ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return "-".join(signs[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4))


def new_recovery_codes(user_id: int) -> list[str]:
    """Ten fresh codes in place of all earlier ones; shown once, only hashes kept. Commits."""
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    db.session.add_all(RecoveryCode(user_id=user_id, code_hash=_recovery_hash(c)) for c in codes)
    db.session.commit()
    return codes


def remove(user_id: int) -> None:
    """Turn the second factor off: the secret and every recovery code go. Commits."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user_id))
    db.session.commit()
