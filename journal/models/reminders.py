"""Reminders (issue 6): settings, push subscriptions, deliveries, the daily evaluation runs."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from journal.extensions import db
from journal.models.types import UTCDateTime


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
