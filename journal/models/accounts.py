"""Accounts: the `users` table and the signed-in snapshot of a row."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Date, Integer, String
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

    checkins: Mapped[list[CheckinRow]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def get_id(self) -> str:
        return login_id(self.id, self.session_token)

    def rotate_session_token(self) -> None:
        self.session_token = _new_session_token()


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

    def get_id(self) -> str:
        return login_id(self.id, self.session_token)
