"""journal.domain.schedule: due times across DST in Europe/Amsterdam, and the gentle policy."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from journal.domain.schedule import (
    AUTO_PAUSE_AFTER,
    TEXT_IDS,
    Action,
    Channel,
    Plan,
    decide,
    due_at,
    format_weekdays,
    in_quiet_hours,
    next_due,
    parse_weekdays,
    plan_step,
    text_id,
    time_allowed,
    unanswered_streak,
)

AMS = ZoneInfo("Europe/Amsterdam")
ON = Plan(enabled=True)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 28), utc(2026, 3, 28, 19)),  # CET, the day before spring-forward
        (date(2026, 3, 29), utc(2026, 3, 29, 18)),  # CEST from 02:00 that night
        (date(2026, 10, 24), utc(2026, 10, 24, 18)),  # CEST, the day before fall-back
        (date(2026, 10, 25), utc(2026, 10, 25, 19)),  # CET from 03:00 that night
    ],
)
def test_a_2000_reminder_across_dst(day: date, expected: datetime) -> None:
    assert due_at(day, time(20, 0), AMS) == expected


def _fired(plan: Plan, start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    """Simulate a scheduler ticking every `step`: the instants at which a reminder came due,
    walking the planner exactly as the dispatcher does (wake-up time → plan → next)."""
    fired: list[datetime] = []
    wake = next_due(plan, AMS, start)
    now = start
    while now <= end and wake is not None:
        if wake <= now:
            result = plan_step(plan, AMS, wake, now)
            if result.due is not None:
                fired.append(result.due)
            wake = result.wake
            continue
        now += step
    return fired


@pytest.mark.parametrize(
    ("day", "expected", "local"),
    [
        # 02:30 does not exist on 2026-03-29: it moves forward by the gap, to 03:30 CEST.
        (date(2026, 3, 29), utc(2026, 3, 29, 1, 30), time(3, 30)),
        # 02:30 happens twice on 2026-10-25: the first occurrence (CEST) only.
        (date(2026, 10, 25), utc(2026, 10, 25, 0, 30), time(2, 30)),
    ],
)
def test_a_0230_time_fires_exactly_once_on_dst_days(
    day: date, expected: datetime, local: time
) -> None:
    # The schedule itself, minute by minute around the change; the settings page refuses a
    # night-time reminder (test_night_times_cannot_be_chosen), this is the clock arithmetic.
    plan = Plan(enabled=True, at=time(2, 30))
    start = datetime.combine(day - timedelta(days=1), time(12, 0), tzinfo=UTC)
    fired = _fired(plan, start, start + timedelta(days=2), timedelta(minutes=1))
    on_day = [instant for instant in fired if instant.astimezone(AMS).date() == day]
    assert on_day == [expected]
    assert len(fired) == len({instant.astimezone(AMS).date() for instant in fired})
    # What the code returned, read on the local clock: the moved time, or the first 02:30.
    (fired_on_day,) = on_day
    assert fired_on_day.astimezone(AMS).time() in (time(3, 30), time(2, 30))
    assert fired_on_day.astimezone(AMS).time() == local
    assert fired_on_day.astimezone(AMS).utcoffset() == timedelta(hours=2)  # CEST both days
    assert due_at(day, plan.at, AMS) == expected
    assert next_due(plan, AMS, start) == expected


def test_one_instant_per_local_date_through_both_changes() -> None:
    plan = Plan(enabled=True, at=time(20, 0))
    fired = _fired(plan, utc(2026, 3, 20), utc(2026, 11, 1), timedelta(hours=1))
    days = [instant.astimezone(AMS).date() for instant in fired]
    assert days == sorted(set(days))
    assert all(instant.astimezone(AMS).time() == time(20, 0) for instant in fired)
    assert len(days) == (date(2026, 10, 31) - date(2026, 3, 20)).days + 1


def test_night_times_cannot_be_chosen() -> None:
    assert time_allowed(time(7, 0)) and time_allowed(time(21, 59))
    assert not time_allowed(time(22, 0)) and not time_allowed(time(2, 30))
    assert not time_allowed(time(6, 59))


@pytest.mark.parametrize(
    ("local", "quiet"),
    [(time(21, 59), False), (time(22, 0), True), (time(3, 0), True), (time(6, 59), True),
     (time(7, 0), False)],
)
def test_quiet_hours(local: time, quiet: bool) -> None:
    instant = datetime.combine(date(2026, 5, 4), local, tzinfo=AMS)
    assert in_quiet_hours(instant, AMS) is quiet


def _decide(plan: Plan = ON, **overrides: object) -> Action:
    day = date(2026, 5, 4)  # a Monday
    due = due_at(day, plan.at, AMS)
    args: dict[str, object] = {
        "day": day, "due": due, "now": due + timedelta(minutes=1), "checked_in": False,
        "already_reminded": False, "streak": 0,
    }
    args.update(overrides)
    return decide(plan, AMS, **args).action  # type: ignore[arg-type]


def test_sends_when_wanted() -> None:
    assert _decide() is Action.SEND


def test_checked_in_already_is_skipped_unless_asked_otherwise() -> None:
    assert _decide(checked_in=True) is Action.SKIP
    assert _decide(Plan(enabled=True, only_if_not_checked_in=False), checked_in=True) is Action.SEND


def test_a_late_reminder_that_would_land_in_the_night_is_skipped() -> None:
    plan = Plan(enabled=True, at=time(21, 30))
    due = due_at(date(2026, 5, 4), plan.at, AMS)
    assert _decide(plan, now=due + timedelta(minutes=29)) is Action.SEND
    assert _decide(plan, now=due + timedelta(minutes=31)) is Action.SKIP


def test_expired_after_two_hours() -> None:
    due = due_at(date(2026, 5, 4), ON.at, AMS)
    assert _decide(now=due + timedelta(hours=2)) is Action.SEND
    assert _decide(now=due + timedelta(hours=2, seconds=1)) is Action.EXPIRE


def test_one_a_day_across_channels() -> None:
    assert _decide(already_reminded=True) is Action.SKIP


def test_weekdays() -> None:
    weekend = Plan(enabled=True, weekdays=frozenset({5, 6}))
    assert _decide(weekend) is Action.SKIP  # Monday
    saturday = date(2026, 5, 9)
    assert _decide(weekend, day=saturday, due=due_at(saturday, weekend.at, AMS),
                   now=due_at(saturday, weekend.at, AMS)) is Action.SEND
    assert next_due(weekend, AMS, utc(2026, 5, 4, 12)) == due_at(saturday, weekend.at, AMS)
    assert next_due(Plan(enabled=True, weekdays=frozenset()), AMS, utc(2026, 5, 4)) is None


def test_pause_until_a_date_inclusive() -> None:
    paused = Plan(enabled=True, paused_until=date(2026, 5, 6))
    assert _decide(paused) is Action.SKIP
    assert next_due(paused, AMS, utc(2026, 5, 4, 12)) == due_at(date(2026, 5, 7), paused.at, AMS)


def test_off_or_auto_paused_means_nothing_is_due() -> None:
    assert next_due(Plan(), AMS, utc(2026, 5, 4)) is None
    assert next_due(Plan(enabled=True, auto_paused=True), AMS, utc(2026, 5, 4)) is None
    assert _decide(Plan(enabled=True, auto_paused=True)) is Action.SKIP
    assert _decide(Plan()) is Action.SKIP


def test_auto_pause_after_three_unanswered() -> None:
    """Three reminders sent with no check-in on or after their day: the fourth pauses."""
    streak, last_sent, last_checkin = 0, None, date(2026, 5, 1)
    actions = []
    for offset in range(5):
        day = date(2026, 5, 4) + timedelta(days=offset)
        streak = unanswered_streak(streak, last_sent, last_checkin)
        action = _decide(day=day, due=due_at(day, ON.at, AMS), now=due_at(day, ON.at, AMS),
                         streak=streak)
        actions.append(action)
        if action is not Action.SEND:
            break
        streak, last_sent = streak + 1, day
    assert actions == [Action.SEND] * AUTO_PAUSE_AFTER + [Action.PAUSE]


def test_a_checkin_answers_the_streak() -> None:
    assert unanswered_streak(2, date(2026, 5, 5), date(2026, 5, 5)) == 0
    assert unanswered_streak(2, date(2026, 5, 5), date(2026, 5, 6)) == 0
    assert unanswered_streak(2, date(2026, 5, 5), date(2026, 5, 4)) == 2
    assert unanswered_streak(2, date(2026, 5, 5), None) == 2
    assert unanswered_streak(0, None, None) == 0


def test_plan_step_recomputes_from_the_settings_as_they_are_now() -> None:
    plan = Plan(enabled=True, at=time(9, 0))
    wake = due_at(date(2026, 5, 4), time(8, 0), AMS)  # stored before the time moved to 09:00
    step = plan_step(plan, AMS, wake, wake)
    assert step.day is None and step.wake == due_at(date(2026, 5, 4), time(9, 0), AMS)
    due = step.wake
    assert due is not None
    step = plan_step(plan, AMS, due, due + timedelta(seconds=30))
    assert (step.day, step.due) == (date(2026, 5, 4), due)
    assert step.wake == due_at(date(2026, 5, 5), time(9, 0), AMS)


def test_plan_step_after_a_long_outage_skips_missed_days() -> None:
    plan = Plan(enabled=True, at=time(9, 0))
    wake = due_at(date(2026, 5, 1), plan.at, AMS)
    now = due_at(date(2026, 5, 4), time(10, 0), AMS)
    step = plan_step(plan, AMS, wake, now)
    assert step.day == date(2026, 5, 1)  # recorded (and expired by the dispatcher)
    assert step.wake == due_at(date(2026, 5, 4), plan.at, AMS)  # within 2 h: still sent


def test_texts_vary_and_are_ids() -> None:
    chosen = {text_id(7, date(2026, 5, 4) + timedelta(days=n)) for n in range(len(TEXT_IDS))}
    assert chosen == set(TEXT_IDS)


def test_weekday_text_form() -> None:
    assert parse_weekdays("1000011") == {0, 5, 6}
    assert format_weekdays(frozenset({0, 5, 6})) == "1000011"
    assert Channel("push") is Channel.PUSH
