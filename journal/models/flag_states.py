"""Evaluated flag states per day, the week glances kept with them, and the signpost cards a
person closed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
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


class WeekGlance(db.Model):  # type: ignore[name-defined,misc]
    """A person's week at a glance for the coach's caseload (journal.domain.coach.glance),
    stored each time their flags are evaluated: this week and the last. Fractions are kept
    exactly, as text ("37/6")."""

    __tablename__ = "week_glances"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    through: Mapped[date] = mapped_column(Date)  # the last day the glance had
    checkins: Mapped[int] = mapped_column(Integer)
    ri_mean: Mapped[str | None] = mapped_column(Text)
    base_median: Mapped[str | None] = mapped_column(Text)
    base_spread: Mapped[str | None] = mapped_column(Text)
    base_n: Mapped[int | None] = mapped_column(Integer)
    pattern: Mapped[str | None] = mapped_column(String(40))  # a Quadrant


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
