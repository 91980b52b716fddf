"""Database tables, typed, and the converters between rows and domain records."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from journal.domain.checkin import (
    ENUMS,
    FIELD_ORDER,
    SET_ENUMS,
    CheckIn,
    ContextTag,
    Dozed,
    Intensity,
    NightSignal,
    RestType,
    Social,
    join_set,
)
from journal.extensions import db


class UTCDateTime(TypeDecorator[datetime]):
    """A moment, stored in UTC and always read back time-zone aware.

    PostgreSQL keeps the offset; SQLite stores the digits only and hands back naive values.
    Converting here, once, spares every reader the "naive means UTC" repair.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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


class CheckinRow(db.Model):  # type: ignore[name-defined,misc]
    """One stored check-in; the columns carry the DOMAIN A.2 ids so form, CSV and API agree."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("user_id", "date", name="uq_checkins_user_date"),
        # Idempotency key from an offline client; unique so a retried send cannot add a row.
        # Partial: a check-in saved from the form has none, and indexing its NULL would cost
        # every such save one more index entry and one more page written.
        Index(
            "uq_checkins_client_id",
            "client_id",
            unique=True,
            sqlite_where=text("client_id IS NOT NULL"),
            postgresql_where=text("client_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    client_id: Mapped[str | None] = mapped_column(String(36), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    backfilled: Mapped[bool] = mapped_column(Boolean, default=False)

    lights_out_time: Mapped[time] = mapped_column(Time)
    sol_min: Mapped[int] = mapped_column(Integer)
    waso_min: Mapped[int] = mapped_column(Integer)
    final_wake_time: Mapped[time | None] = mapped_column(Time)
    out_of_bed_time: Mapped[time] = mapped_column(Time)
    awakenings_n: Mapped[int | None] = mapped_column(Integer)
    refreshed: Mapped[int] = mapped_column(Integer)
    sleep_quality: Mapped[int | None] = mapped_column(Integer)
    morning_energy: Mapped[int] = mapped_column(Integer)
    startup_effort: Mapped[int] = mapped_column(Integer)
    tension_now: Mapped[int | None] = mapped_column(Integer)
    day_load: Mapped[int] = mapped_column(Integer)
    rest_minutes: Mapped[int] = mapped_column(Integer)
    rest_types: Mapped[str] = mapped_column(String(200), default="")
    rest_recharged: Mapped[int | None] = mapped_column(Integer)
    letting_go: Mapped[int] = mapped_column(Integer)
    bedtime_tension: Mapped[int] = mapped_column(Integer)
    sleepiness_peak: Mapped[int] = mapped_column(Integer)
    dozed_unintended: Mapped[str | None] = mapped_column(String(20))
    social_contact: Mapped[str] = mapped_column(String(20))
    support_felt: Mapped[int | None] = mapped_column(Integer)
    walk_outside_min: Mapped[int] = mapped_column(Integer)
    movement_intensity: Mapped[str | None] = mapped_column(String(20))
    context_tags: Mapped[str] = mapped_column(String(300), default="")
    night_signals: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(back_populates="checkins")

    @classmethod
    def new(
        cls, user_id: int, checkin: CheckIn, made_at: datetime, client_id: str | None = None
    ) -> CheckinRow:
        """A row for a check-in made at `made_at`, where its 48-hour edit window starts."""
        return cls(**new_row_values(user_id, checkin, made_at, client_id))

    def to_domain(self) -> CheckIn:
        return CheckIn(
            date=self.date,
            lights_out_time=self.lights_out_time,
            sol_min=self.sol_min,
            waso_min=self.waso_min,
            final_wake_time=self.final_wake_time,
            out_of_bed_time=self.out_of_bed_time,
            awakenings_n=self.awakenings_n,
            refreshed=self.refreshed,
            sleep_quality=self.sleep_quality,
            morning_energy=self.morning_energy,
            startup_effort=self.startup_effort,
            tension_now=self.tension_now,
            day_load=self.day_load,
            rest_minutes=self.rest_minutes,
            rest_types=_set_of(RestType, self.rest_types),
            rest_recharged=self.rest_recharged,
            letting_go=self.letting_go,
            bedtime_tension=self.bedtime_tension,
            sleepiness_peak=self.sleepiness_peak,
            dozed_unintended=Dozed(self.dozed_unintended) if self.dozed_unintended else None,
            social_contact=Social(self.social_contact),
            support_felt=self.support_felt,
            walk_outside_min=self.walk_outside_min,
            movement_intensity=(
                Intensity(self.movement_intensity) if self.movement_intensity else None
            ),
            context_tags=_set_of(ContextTag, self.context_tags),
            night_signals=_set_of(NightSignal, self.night_signals),
            note=self.note,
            backfilled=self.backfilled,
        )

    def apply(self, checkin: CheckIn) -> None:
        """Copy a validated record's answers onto this row (the date and owner stay)."""
        for name, value in column_values(checkin).items():
            setattr(self, name, value)


def new_row_values(
    user_id: int, checkin: CheckIn, made_at: datetime, client_id: str | None = None
) -> dict[str, Any]:
    """Every column of a new check-in row but its id, for an ORM row or a Core insert."""
    return {
        "user_id": user_id,
        "date": checkin.date,
        "client_id": client_id,
        "created_at": made_at,
        "updated_at": made_at,
        "backfilled": checkin.backfilled,
        **column_values(checkin),
    }


def column_values(checkin: CheckIn) -> dict[str, Any]:
    """A validated record's answers as column values, for an ORM row or a Core insert."""
    values = {name: getattr(checkin, name) for name in FIELD_ORDER}
    for name in SET_ENUMS:
        values[name] = join_set(name, values[name])
    for name in ENUMS:
        if values[name] is not None:
            values[name] = values[name].value
    return values


def _set_of(enum: Any, text: str) -> frozenset[Any]:
    return frozenset(enum(item) for item in text.split(";") if item)


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


# --- Weekly view (issue 4) ---


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


# --- Reminders (issue 6) ---


class ReminderSettings(db.Model):  # type: ignore[name-defined,misc]
    """A person's reminder choices (one row per person, made on first save of /settings).

    `next_due_at` is when the scheduler should look at this person again (UTC), indexed so
    that a tick reads only the people who are due, however many people there are. It is
    recomputed after each planning step and whenever the settings change; NULL means "not
    until the settings change" (off, auto-paused, or no day chosen).
    """

    __tablename__ = "reminder_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    remind_at: Mapped[time] = mapped_column(Time, default=time(9, 0))
    # Seven "0"/"1" characters, Monday first (journal.domain.schedule.parse_weekdays).
    weekdays: Mapped[str] = mapped_column(String(7), default="1111111")
    push: Mapped[bool] = mapped_column(Boolean, default=True)
    email: Mapped[bool] = mapped_column(Boolean, default=False)
    only_if_not_checked_in: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_until: Mapped[date | None] = mapped_column(Date, default=None)
    auto_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # Reminders sent in a row that no check-in followed (journal.domain.schedule).
    unanswered: Mapped[int] = mapped_column(Integer, default=0)
    last_sent_on: Mapped[date | None] = mapped_column(Date, default=None)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None, index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class PushSubscription(db.Model):  # type: ignore[name-defined,misc]
    """One browser on one device that accepts Web Push for a person (several are allowed)."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The push service's URL for this browser: a capability, so it is never logged.
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_agent: Mapped[str] = mapped_column(String(20), default="")  # a family: "Firefox"


class ReminderDelivery(db.Model):  # type: ignore[name-defined,misc]
    """One reminder over one channel on one local date: the scheduler's source of truth.

    The unique key (user, channel, local date) makes planning an insert-if-absent, so a
    second scheduler process, a retried tick or a settings change can never plan it twice.
    Status: planned → claimed → sent | failed | skipped | expired. `sending_at` is set (and
    committed) just before the message leaves: a claim abandoned after that point is closed
    as failed rather than sent again, because a reminder twice is worse than one missed.
    """

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "channel", "local_date", name="uq_reminder_deliveries_user_channel_day"
        ),
        # The claim query: due planned rows, and claims left behind by a crashed process.
        db.Index("ix_reminder_deliveries_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(8))
    local_date: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(10), default="planned")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    sending_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    detail: Mapped[str] = mapped_column(String(200), default="")


class EvaluationRun(db.Model):  # type: ignore[name-defined,misc]
    """The daily 12:00 evaluation done for one time zone and local date.

    Lets a tick find out in one small query that today's evaluation is already done, instead
    of looking at every person every minute.
    """

    __tablename__ = "evaluation_runs"
    __table_args__ = (UniqueConstraint("zone", "local_date", name="uq_evaluation_runs_zone_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    zone: Mapped[str] = mapped_column(String(64))
    local_date: Mapped[date] = mapped_column(Date)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())


# --- Sharing (issue 7) ---


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
