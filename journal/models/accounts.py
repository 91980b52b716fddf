"""Accounts: the `users` table, its one-time links, and the signed-in snapshot of a row."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from journal.extensions import db
from journal.models.types import UTCDateTime

if TYPE_CHECKING:
    from journal.models.checkins import CheckinRow


def _new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(5), default="nl")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Amsterdam")
    # Part of the login id: changing it ends every other session and remember-me cookie.
    session_token: Mapped[str] = mapped_column(String(32), default=_new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The earliest date whose flags must be evaluated again: a save only marks it, the next
    # read of the flags does the work, so saving a check-in stays one quick transaction.
    flags_stale_from: Mapped[date | None] = mapped_column(Date, default=None)
    # When the person opened the link mailed to this address (or set a password through one):
    # reminder e-mails go only to a confirmed address (issue 19). NULL: not confirmed yet.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # When the person finished or skipped the first-run welcome (issue 19). NULL: show it on the
    # next sign-in. Accounts from before the welcome count as welcomed since they were made.
    welcomed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    checkins: Mapped[list[CheckinRow]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def get_id(self) -> str:
        return login_id(self.id, self.session_token)

    def rotate_session_token(self) -> None:
        self.session_token = _new_session_token()


class TokenPurpose(StrEnum):
    """What a one-time link does; stored in `account_tokens.purpose`."""

    PASSWORD_RESET = "password_reset"
    EMAIL_VERIFY = "email_verify"


class AccountToken(db.Model):  # type: ignore[name-defined,misc]
    """A link mailed to the person: set a new password, or confirm the address (issue 19).

    Only the SHA-256 of the token is kept, so a copy of the database resets no password. One
    table for both kinds, rather than a column pair on `users`: a person may ask twice before
    the first mail arrives, and each mail's link must work until one of them is used. A link
    works while unused and unexpired; `used_at` is set once, by a conditional update, so two
    requests racing with the same link cannot both use it. The rows go with the account
    (ON DELETE CASCADE).
    """

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


def login_id(user_id: int, session_token: str) -> str:
    """What the session cookie keeps: the account and the token that ends it when rotated."""
    return f"{user_id}:{session_token}"


@dataclass(frozen=True, eq=False)
class SignedIn(UserMixin):  # type: ignore[misc]
    """The account as a signed-in request reads it: who, in which language and time zone.

    A snapshot rather than the `User` row: making an ORM object of the row costs more than the
    query itself, on every signed-in request. A view that changes the account loads its `User`.
    """

    id: int
    email: str
    language: str
    timezone: str
    session_token: str
    email_verified_at: datetime | None

    def get_id(self) -> str:
        return login_id(self.id, self.session_token)
