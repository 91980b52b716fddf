"""Evaluated flag states per day, and the signpost cards a person closed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from journal.extensions import db
from journal.models.types import UTCDateTime


class FlagState(db.Model):  # type: ignore[name-defined,misc]
    """A flag's evaluated state on one date; onset, escalation and resolved are read from these."""

    __tablename__ = "flag_states"
    __table_args__ = (UniqueConstraint("user_id", "date", "flag", name="uq_flag_states_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    flag: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(20))
    level: Mapped[int | None] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(String(200), default="")


class SignpostDismissal(db.Model):  # type: ignore[name-defined,misc]
    """The person closed a signpost card, optionally saying why (DOMAIN C.12)."""

    __tablename__ = "signpost_dismissals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    flag: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    reasons: Mapped[str] = mapped_column(String(200), default="")
    dismiss_reason: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
