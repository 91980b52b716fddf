"""Gentle reminders (issue 6): the scheduler process, its claims, Web Push and e-mail.

The scheduler runs in its own process (`flask --app journal reminders run`, see scheduler.py),
never inside a web worker. The database is the source of truth: ReminderSettings.next_due_at
says when to look at a person again, ReminderDelivery holds one row per (person, channel,
local date). This module holds the little that the web layer shares with the scheduler.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Protocol

from journal.clock import zone_of
from journal.domain.schedule import Channel, Plan, next_due, parse_weekdays
from journal.models import ReminderSettings


class SettingsLike(Protocol):
    """A ReminderSettings row, or a plain result row with its columns (the tick reads those:
    ORM objects would cost more to track than the reminder work itself)."""

    @property
    def enabled(self) -> bool: ...
    @property
    def remind_at(self) -> time: ...
    @property
    def weekdays(self) -> str: ...
    @property
    def push(self) -> bool: ...
    @property
    def email(self) -> bool: ...
    @property
    def only_if_not_checked_in(self) -> bool: ...
    @property
    def paused_until(self) -> date | None: ...
    @property
    def auto_paused(self) -> bool: ...


def plan_of(settings: SettingsLike) -> Plan:
    channels = {Channel.PUSH} if settings.push else set()
    if settings.email:
        channels.add(Channel.EMAIL)
    return Plan(
        enabled=bool(settings.enabled),
        at=settings.remind_at,
        weekdays=parse_weekdays(settings.weekdays),
        channels=frozenset(channels),
        only_if_not_checked_in=bool(settings.only_if_not_checked_in),
        paused_until=settings.paused_until,
        auto_paused=bool(settings.auto_paused),
    )


def reschedule(settings: ReminderSettings, timezone: str, now: datetime) -> None:
    """Set when the scheduler looks at this person next, after any change to the settings.

    Strictly after `now`: a time that already passed today counts from tomorrow, so saving
    the settings never sends a reminder at once. A day already reminded stays reminded: the
    delivery's unique key and the sender's "already reminded today" check see to that.
    """
    settings.next_due_at = next_due(plan_of(settings), zone_of(timezone), now)
