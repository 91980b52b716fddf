"""Reminders: when one is due in the person's own time zone, and the gentle policy around it.

Pure: handed `now`, never reads the clock, no Flask or database. A reminder is an invitation,
not an alarm, so the policy here errs towards *not* sending:

- at most one reminder a day, across channels (the caller passes `already_reminded`);
- never between 22:00 and 07:00 local time (the settings refuse such a time, and a late
  reminder that would land in the night is skipped);
- only on the weekdays the person chose, and not while paused (`paused_until`, inclusive);
- not when today's check-in is already done, if the person asked for that (the default);
- after AUTO_PAUSE_AFTER reminders in a row that no check-in followed, reminders pause by
  themselves until the person resumes them;
- a reminder more than EXPIRE_AFTER late is not sent at all (expired).

Due times use `zoneinfo` with PEP 495 semantics: a local time that does not exist on the
spring-forward day (02:30 in Amsterdam on 2026-03-29) is read with the offset from before the
gap, i.e. it moves forward by the gap (03:30 CEST); a local time that occurs twice on the
fall-back day is its first occurrence (fold=0). There is exactly one due instant per local
date, so a reminder fires once on both days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

QUIET_FROM: Final = time(22, 0)
QUIET_UNTIL: Final = time(7, 0)
EXPIRE_AFTER: Final = timedelta(hours=2)
AUTO_PAUSE_AFTER: Final = 3
DEFAULT_TIME: Final = time(9, 0)
ALL_WEEKDAYS: Final = frozenset(range(7))  # date.weekday(): Monday is 0
# How far ahead a next due time is looked for; a week covers any weekday choice.
_SEARCH_DAYS: Final = 8

# Warm texts, by id; the words (nl, en) live in the translation catalogs. None of them names
# a score, a note or a pattern, and none says the person missed or failed anything.
TEXT_IDS: Final = ("ready", "moment", "pace", "minute", "welcome")


class Channel(StrEnum):
    PUSH = "push"
    EMAIL = "email"


# A person who chose both is reminded by push, with e-mail as the fallback when no device
# could be reached: one reminder a day, over the channel most likely to be seen.
CHANNEL_ORDER: Final = (Channel.PUSH, Channel.EMAIL)


class Action(StrEnum):
    SEND = "send"
    SKIP = "skip"
    EXPIRE = "expire"
    PAUSE = "pause"  # do not send, and pause reminders (the auto-pause)


@dataclass(frozen=True, slots=True)
class Plan:
    """A person's reminder settings, as the policy needs them."""

    enabled: bool = False
    at: time = DEFAULT_TIME
    weekdays: frozenset[int] = ALL_WEEKDAYS
    channels: frozenset[Channel] = frozenset({Channel.PUSH})
    only_if_not_checked_in: bool = True
    paused_until: date | None = None  # no reminders up to and including this date
    auto_paused: bool = False

    @property
    def active(self) -> bool:
        return self.enabled and not self.auto_paused and bool(self.weekdays) and bool(self.channels)

    def wanted_on(self, day: date) -> bool:
        """Whether this local date is one the person wants a reminder on."""
        if not self.active or day.weekday() not in self.weekdays:
            return False
        return self.paused_until is None or day > self.paused_until


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    reason: str  # an id for the delivery record, never shown with personal data


def due_at(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local time `at` on local date `day` (see the module docstring)."""
    return datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone).astimezone(UTC)


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def in_quiet_hours(instant: datetime, zone: ZoneInfo) -> bool:
    """22:00 up to 07:00 local time: nobody is woken or kept up by us."""
    local = instant.astimezone(zone).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def time_allowed(at: time) -> bool:
    """A reminder time the person may choose: outside the quiet hours."""
    return QUIET_UNTIL <= at.replace(tzinfo=None) < QUIET_FROM


def next_due(plan: Plan, zone: ZoneInfo, after: datetime) -> datetime | None:
    """The first due instant strictly after `after`, or None when no reminder will come."""
    if not plan.active:
        return None
    day = local_date(after, zone) - timedelta(days=1)  # yesterday's time may still be ahead in UTC
    if plan.paused_until is not None and plan.paused_until >= day:
        day = plan.paused_until + timedelta(days=1)
    for offset in range(_SEARCH_DAYS + 1):
        candidate = day + timedelta(days=offset)
        if plan.wanted_on(candidate):
            instant = due_at(candidate, plan.at, zone)
            if instant > after:
                return instant
    return None


@dataclass(frozen=True, slots=True)
class Step:
    """What the planner does for one person whose stored wake-up time has come."""

    day: date | None  # the local date to plan a reminder for now, if any
    due: datetime | None  # that reminder's due instant
    wake: datetime | None  # when to look at this person again (None: not until settings change)


def plan_step(plan: Plan, zone: ZoneInfo, wake: datetime, now: datetime) -> Step:
    """Plan the reminder whose stored wake-up time `wake` has come, and find the next one.

    The wake-up time is only a hint for the tick's query: the due instant is computed again
    from the settings and zone as they are now, so a changed time zone or time cannot make a
    reminder fire at the wrong hour. Days missed entirely while no scheduler ran (more than
    EXPIRE_AFTER ago) are passed over without a record; the one being planned is recorded and,
    if it is too late, marked expired by the dispatcher.
    """
    if not plan.active:
        return Step(None, None, None)
    day = local_date(wake, zone)
    if not plan.wanted_on(day):
        return Step(None, None, next_due(plan, zone, max(wake, now - EXPIRE_AFTER)))
    due = due_at(day, plan.at, zone)
    if due > now:
        return Step(None, None, due)
    after = max(due, now - EXPIRE_AFTER)
    return Step(day, due, next_due(plan, zone, after))


def unanswered_streak(streak: int, last_sent_on: date | None, last_checkin_on: date | None) -> int:
    """How many reminders in a row no check-in followed, as far as we know now.

    A check-in dated on or after the day of the last reminder answers that reminder and every
    one before it (a late entry for that day counts too), so the streak starts again at 0.
    """
    if last_sent_on is None:
        return 0
    if last_checkin_on is not None and last_checkin_on >= last_sent_on:
        return 0
    return streak


def decide(
    plan: Plan,
    zone: ZoneInfo,
    *,
    day: date,
    due: datetime,
    now: datetime,
    checked_in: bool,
    already_reminded: bool,
    streak: int,
) -> Decision:
    """Whether a planned reminder is still wanted at the moment it would be sent.

    Checked again just before sending, because things change between planning and sending:
    the person checks in, pauses, changes the days, or is reminded on another channel.
    `streak` is the result of :func:`unanswered_streak` for this person now.
    """
    if not plan.enabled:
        return Decision(Action.SKIP, "disabled")
    if plan.auto_paused:
        return Decision(Action.SKIP, "auto_paused")
    if plan.paused_until is not None and day <= plan.paused_until:
        return Decision(Action.SKIP, "paused")
    if day.weekday() not in plan.weekdays:
        return Decision(Action.SKIP, "weekday")
    if already_reminded:
        return Decision(Action.SKIP, "already_reminded")
    if checked_in and plan.only_if_not_checked_in:
        return Decision(Action.SKIP, "checked_in")
    if now - due > EXPIRE_AFTER:
        return Decision(Action.EXPIRE, "late")
    if in_quiet_hours(now, zone):
        return Decision(Action.SKIP, "quiet_hours")
    if streak >= AUTO_PAUSE_AFTER:
        return Decision(Action.PAUSE, "unanswered")
    return Decision(Action.SEND, "")


def text_id(user_id: int, day: date) -> str:
    """Which warm text to use: varies from day to day, the same for every channel that day."""
    return TEXT_IDS[(user_id * 7 + day.toordinal()) % len(TEXT_IDS)]


def parse_weekdays(text: str) -> frozenset[int]:
    """The stored form, seven '0'/'1' characters from Monday, as a set of weekday numbers."""
    return frozenset(i for i, flag in enumerate(text[:7]) if flag == "1")


def format_weekdays(days: frozenset[int]) -> str:
    return "".join("1" if i in days else "0" for i in range(7))
