"""The coach workspace (issue 20): coach accounts, second factors, and the connections a
person makes with a coach, with what each connection shares and when the coach looked.

A connection is the person's: they invite, choose the scope, and end it; a coach reads a
client only through an accepted, not-ended connection, and only within its scope.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from journal.extensions import db
from journal.models.types import UTCDateTime


class ConnectionPeriod(StrEnum):
    """Which days a connection shows; stored in `coach_connections.period`."""

    FROM_CONNECTING = "from_connecting"  # from the day the person invited, onwards
    LAST_8_WEEKS = "last_8_weeks"  # a rolling window: the 8 weeks up to today
    EVERYTHING = "everything"


class CoachProfile(db.Model):  # type: ignore[name-defined,misc]
    """What makes an account a coach's: the name clients see, the practice, the short code a
    client may type instead of the e-mail address, and the weekly digest."""

    __tablename__ = "coach_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    display_name: Mapped[str] = mapped_column(String(80))
    practice: Mapped[str] = mapped_column(String(120), default="")
    # Short, unambiguous, unique (e.g. "K7M-4QX"); shown to the coach to give to clients.
    code: Mapped[str] = mapped_column(String(12), unique=True)
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # The Monday of the last week whose digest went out: claimed by a conditional update, so
    # two schedulers never send the same digest twice.
    digest_sent_for: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SecondFactor(db.Model):  # type: ignore[name-defined,misc]
    """A TOTP secret (RFC 6238). Confirmed once the person typed a first code from it; only a
    confirmed factor is asked at sign-in. `last_step` refuses a code used twice."""

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str] = mapped_column(String(64))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_step: Mapped[int | None] = mapped_column(Integer, default=None)


class RecoveryCode(db.Model):  # type: ignore[name-defined,misc]
    """A single-use code for when the phone with the authenticator is gone; only its hash."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class CoachConnection(db.Model):  # type: ignore[name-defined,misc]
    """A person's invitation to a coach, its scope, and its state.

    Invited (accepted_at NULL), connected (accepted, not ended), or ended (ended_at set, by
    the person disconnecting or the coach declining). An ended connection opens nothing.
    """

    __tablename__ = "coach_connections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The name the person chose to show this coach (never their e-mail address).
    client_name: Mapped[str] = mapped_column(String(60))
    period: Mapped[str] = mapped_column(String(16))  # ConnectionPeriod
    # FROM_CONNECTING: the day of the invitation; the other periods do not read it.
    starts_on: Mapped[date] = mapped_column(Date)
    include_notes: Mapped[bool] = mapped_column(Boolean, default=False)
    # Later parts (issues 21 and 22), each only when the person ticks it.
    include_people: Mapped[bool] = mapped_column(Boolean, default=False)
    include_phase: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class ConnectionNote(db.Model):  # type: ignore[name-defined,misc]
    """A check-in whose note the person shares with one connected coach (per note)."""

    __tablename__ = "connection_notes"
    __table_args__ = (
        UniqueConstraint(
            "connection_id", "checkin_id", name="uq_connection_notes_connection_checkin"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    connection_id: Mapped[int] = mapped_column(
        ForeignKey("coach_connections.id", ondelete="CASCADE"), index=True
    )
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))


class ConnectionView(db.Model):  # type: ignore[name-defined,misc]
    """One time the coach opened this client's summary, for the person's view log."""

    __tablename__ = "connection_views"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    connection_id: Mapped[int] = mapped_column(
        ForeignKey("coach_connections.id", ondelete="CASCADE"), index=True
    )
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(8))  # ViewKind: "page" or "pdf"
