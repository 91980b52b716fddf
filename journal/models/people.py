"""The support-network map (issue 21): the people on it, the map's own state, and who a
check-in's real contact was with.

These are other people's details: only what the person chose to write (a name or nickname,
optionally a number), never in logs or e-mails, part of the data download, and gone with the
account (ON DELETE CASCADE all the way from `users`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from journal.domain.people import (
    NAME_MAX_CHARS,
    PHONE_MAX_CHARS,
    Person,
    Reach,
    Ring,
    helps_from_text,
)
from journal.extensions import db
from journal.models.types import UTCDateTime


class SupportPerson(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "support_people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX_CHARS))
    # Normalized: an optional leading + and the digits (journal.domain.people.normalize_phone).
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX_CHARS), default=None)
    ring: Mapped[int | None] = mapped_column(SmallInteger, default=None)  # Ring, 1 closest
    # HelpKind values joined by commas in HelpKind's order ("practical,listening"); "" = none.
    helps: Mapped[str] = mapped_column(String(48), default="")
    reach: Mapped[str | None] = mapped_column(String(12), default=None)  # Reach
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def to_domain(self) -> Person:
        return Person(
            id=self.id,
            name=self.name,
            phone=self.phone,
            ring=Ring(self.ring) if self.ring in {r.value for r in Ring} else None,
            helps=helps_from_text(self.helps),
            reach=Reach(self.reach) if self.reach in {r.value for r in Reach} else None,
        )


class SupportMap(db.Model):  # type: ignore[name-defined,misc]
    """One per person who started a map: how far the five steps got, the two reflection
    notes, when anything on the map last changed, and when "Klopt je kaart nog?" was put away.
    Sharing with a coach is per connection (CoachConnection.include_people), not here."""

    __tablename__ = "support_maps"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    step: Mapped[int] = mapped_column(SmallInteger, default=1)  # Step reached
    note_available: Mapped[str | None] = mapped_column(Text, default=None)
    note_gaps: Mapped[str | None] = mapped_column(Text, default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revisit_dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class CheckinContact(db.Model):  # type: ignore[name-defined,misc]
    """For "met wie?": someone of the inner circles a check-in's real contact was with."""

    __tablename__ = "checkin_contacts"

    checkin_id: Mapped[int] = mapped_column(
        ForeignKey("checkins.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("support_people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
