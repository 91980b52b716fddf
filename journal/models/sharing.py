"""Sharing with a coach (issue 7): links, the notes shared through them, their views."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from journal.extensions import db
from journal.models.types import UTCDateTime


class ShareLink(db.Model):  # type: ignore[name-defined,misc]
    """A link the person gave their coach: a rolling period of the coach summary (DOMAIN D.2).

    Only the SHA-256 of the token is kept, so a copy of the database opens no summary. A link
    is open while not revoked and not expired; the coach page reads nothing else from here.
    """

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(60))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    period_weeks: Mapped[int] = mapped_column(Integer)
    include_notes: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    # The database's ON DELETE CASCADE removes notes and views (also when the account goes).
    notes: Mapped[list[ShareLinkNote]] = relationship(
        back_populates="link", cascade="all, delete-orphan", passive_deletes=True
    )
    views: Mapped[list[ShareView]] = relationship(
        back_populates="link",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ShareView.viewed_at.desc()",
    )


class ShareLinkNote(db.Model):  # type: ignore[name-defined,misc]
    """A check-in whose note the person ticked for one link (notes are shared per note)."""

    __tablename__ = "share_link_notes"
    __table_args__ = (
        UniqueConstraint("link_id", "checkin_id", name="uq_share_link_notes_link_checkin"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("share_links.id", ondelete="CASCADE"))
    # Deleting the check-in withdraws its note from every link.
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))

    link: Mapped[ShareLink] = relationship(back_populates="notes")


class ShareView(db.Model):  # type: ignore[name-defined,misc]
    """One opening of a share link, for the person's view log: the time and a browser family
    (never the full User-Agent, which can single a person out)."""

    __tablename__ = "share_views"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(
        ForeignKey("share_links.id", ondelete="CASCADE"), index=True
    )
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    browser_family: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8), default="page")  # "page" or "pdf"

    link: Mapped[ShareLink] = relationship(back_populates="views")
