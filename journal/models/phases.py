"""The person's recovery phase and their "wat speelt er?" answers (issue 22).

Phases and questions are stored as the domain's StrEnum values (journal.domain.phase), so the
table, the page and the export say the same thing.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from journal.extensions import db
from journal.models.types import UTCDateTime


class PhaseChange(db.Model):  # type: ignore[name-defined,misc]
    """One choice of phase, on the person's local date. Every change is kept (the page shows
    one per day); the current phase is the last one made."""

    __tablename__ = "phase_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(16))
    changed_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PhasePreference(db.Model):  # type: ignore[name-defined,misc]
    """Whether the week page shows the phase's observations, and the person's own list of
    what they will watch for in "Vasthouden"."""

    __tablename__ = "phase_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    observations_hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    watch_list: Mapped[str] = mapped_column(Text, default="")


class ReflectAnswer(db.Model):  # type: ignore[name-defined,misc]
    """The person's answer to one "wat speelt er?" question; shared with a connected coach
    only when they tick it."""

    __tablename__ = "reflect_answers"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    question: Mapped[str] = mapped_column(String(16), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    shared_with_coach: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
