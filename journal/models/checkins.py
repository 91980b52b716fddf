"""Stored check-ins and the converters between their rows and domain records."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
from journal.models.accounts import User
from journal.models.types import UTCDateTime


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


# Kept (bounded): a diary repeats a handful of sets, and parsing each costs more than the
# rest of a row (the coach's caseload reads thousands of rows at once).
@lru_cache(maxsize=512)
def _set_of(enum: Any, text: str) -> frozenset[Any]:
    return frozenset(enum(item) for item in text.split(";") if item)
