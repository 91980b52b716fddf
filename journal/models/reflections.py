"""The weekly view's reflections (issue 4)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from journal.extensions import db
from journal.models.types import UTCDateTime


class WeeklyReflection(db.Model):  # type: ignore[name-defined,misc]
    """The person's answer to the week's reflection question (DOMAIN D.1 item 11), per ISO week.

    Keyed by the ISO week as text ("2026-W11"), the same string as in the page's address, so a
    week means the same thing in the URL, the table and an export.
    """

    __tablename__ = "weekly_reflections"
    __table_args__ = (UniqueConstraint("user_id", "week", name="uq_weekly_reflections_user_week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
