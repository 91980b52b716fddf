"""The caseload's rows and order (issue 20): pure tables, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest

from journal.demo import demo_diary
from journal.domain.checkin import CheckIn
from journal.domain.coach.caseload import (
    CaseloadRow,
    Client,
    Group,
    Period,
    caseload_row,
    digest_counts,
    flags_on,
    group_of,
    ordered,
    reads_from,
    scope_start,
    stored_flags_hold,
    window,
)
from journal.domain.coach.glance import KeptGlance, glance, glance_reads_from, kept_glance
from journal.domain.rules import Flag, FlagResult, Level, State, evaluate
from journal.domain.summary import WeekMetric, monday_of, week_figures
from journal.models import ConnectionPeriod
from tests.domain.scenario_builder import default_day

TODAY = date(2026, 3, 10)  # a Tuesday
DAY = timedelta(days=1)


def flag(name: Flag, level: Level) -> FlagResult:
    return FlagResult(name, State.ACTIVE, level, (), {}, {})


SIGNPOST = flag(Flag.SIGNPOST_DOCTOR, Level.DOCTOR)
ATTENTION = flag(Flag.REST_NO_RECOVERY, Level.ATTENTION)
PERSISTENT = flag(Flag.EARLY_SIGNS, Level.PERSISTENT)
NOTICE = flag(Flag.SLEEP_DISRUPTED, Level.NOTICE)
IMPROVING = flag(Flag.IMPROVING, Level.POSITIVE)


def row(name: str, quiet: int, *active: FlagResult, connection: int = 0) -> CaseloadRow:
    return CaseloadRow(
        connection_id=connection,
        name=name,
        period=Period.EVERYTHING,
        last_checkin=TODAY - timedelta(days=quiet),
        quiet_days=quiet,
        week_checkins=1,
        active=active,
        recovery=None,
        trend_week=None,
        pattern=None,
        pattern_week=None,
        group=group_of(active, quiet),
    )


def test_the_periods_are_the_stored_ids() -> None:
    assert {p.value for p in Period} == {p.value for p in ConnectionPeriod}


@pytest.mark.parametrize(
    ("active", "quiet", "group"),
    [
        ((SIGNPOST,), 0, Group.SIGNPOST),
        ((SIGNPOST,), 9, Group.SIGNPOST),  # a signpost outranks the silence
        ((ATTENTION,), 3, Group.QUIET),  # three days is the line
        ((ATTENTION,), 2, Group.ATTENTION),
        ((PERSISTENT,), 0, Group.ATTENTION),
        ((NOTICE,), 0, Group.REST),  # notice is below attention
        ((IMPROVING,), 0, Group.REST),
        ((), 2, Group.REST),
    ],
)
def test_the_group_of_a_row(active: tuple[FlagResult, ...], quiet: int, group: Group) -> None:
    assert group_of(active, quiet) is group


def test_the_order_is_by_group_then_the_longest_quiet_never_by_a_score() -> None:
    rows = [
        row("Rest recent", 0, NOTICE),
        row("Rest older", 2),
        row("Attention", 1, ATTENTION),
        row("Quiet 3", 3),
        row("Quiet 10", 10, ATTENTION),
        row("Signpost", 0, SIGNPOST),
        row("Bram", 1),
        row("anna", 1),  # ties: by name, whatever the case
    ]
    assert [r.name for r in ordered(rows)] == [
        "Signpost",
        "Quiet 10",
        "Quiet 3",
        "Attention",
        "Rest older",
        "anna",
        "Bram",
        "Rest recent",
    ]


@pytest.mark.parametrize(
    ("period", "starts_on", "start"),
    [
        (Period.FROM_CONNECTING, date(2026, 2, 1), date(2026, 2, 1)),
        (Period.LAST_8_WEEKS, date(2025, 1, 1), TODAY - timedelta(days=55)),
        (Period.EVERYTHING, date(2026, 3, 1), None),
    ],
)
def test_the_scope_start(period: Period, starts_on: date, start: date | None) -> None:
    assert scope_start(period, starts_on, TODAY) == start


@pytest.mark.parametrize(
    ("start", "stale", "holds"),
    [
        (None, None, True),
        (TODAY - timedelta(days=200), None, True),
        (TODAY - timedelta(days=10), None, False),  # the scope cuts into what the rules read
        (None, TODAY, False),  # a save today changed today's states
        (None, TODAY + DAY, True),
    ],
)
def test_stored_flags_are_used_only_when_they_equal_the_rules_in_scope(
    start: date | None, stale: date | None, holds: bool
) -> None:
    assert stored_flags_hold(start, TODAY, stale) is holds


def client(period: Period = Period.EVERYTHING, starts_on: date = date(2026, 1, 1)) -> Client:
    return Client(7, "Sanne", period, starts_on, TODAY)


def test_a_row_of_the_demo_diary() -> None:
    records = demo_diary(TODAY)
    found = caseload_row(client(), records, records[0].date, records[-1].date)
    assert found.last_checkin == TODAY and found.quiet_days == 0
    assert found.week_checkins == week_figures(records, monday_of(TODAY), TODAY).checkins
    # The flags of the day the summary judges, signposts first.
    expected = [r.flag for r in evaluate(records, TODAY) if r.active]
    assert sorted(r.flag for r in found.active) == sorted(expected)
    assert found.active[0].flag in (Flag.SIGNPOST_DOCTOR, Flag.SIGNPOST_LOOK_FURTHER)
    assert found.group is Group.SIGNPOST


@pytest.mark.parametrize("back", range(0, 21, 3))
def test_the_glance_agrees_with_week_figures(back: int) -> None:
    """The row's Herstelscore trend and pattern are G.3's, for this week and past ones."""
    records = demo_diary(TODAY)
    today = TODAY - timedelta(days=back)
    monday = monday_of(today)
    mine = [r for r in records if r.date >= window(today)[0] and r.date <= today]
    seen = glance(mine, monday, today)
    full = week_figures(records, monday, today)
    ri = full.metric(WeekMetric.RI)
    assert (seen.checkins, seen.pattern) == (full.checkins, full.pattern)
    assert (seen.recovery.mean, seen.recovery.baseline, seen.recovery.z, seen.recovery.arrow) == (
        ri.mean,
        ri.baseline,
        ri.z,
        ri.arrow,
    )


def test_from_connecting_shows_nothing_from_before() -> None:
    """Before the invitation the client was doing badly; since, nothing: the row knows only
    that there is no check-in since connecting."""
    records = demo_diary(TODAY - timedelta(days=5))
    found = caseload_row(
        client(Period.FROM_CONNECTING, TODAY - timedelta(days=4)),
        records,
        records[0].date,
        records[-1].date,
    )
    assert found.last_checkin is None
    assert found.quiet_days == 4
    assert found.active == () and found.recovery is None and found.pattern is None
    assert found.group is Group.QUIET


def test_stored_states_are_used_and_the_rules_otherwise() -> None:
    records = demo_diary(TODAY)
    stored = {TODAY: [NOTICE, flag(Flag.CARRYING_ALONE, Level.INFO)]}
    used = caseload_row(client(), records, records[0].date, TODAY, stored)
    assert [r.flag for r in used.active] == [Flag.SLEEP_DISRUPTED, Flag.CARRYING_ALONE]
    stale = caseload_row(client(), records, records[0].date, TODAY, stored, stale_from=TODAY)
    assert [r.flag for r in stale.active] == [
        r.flag for r in caseload_row(client(), records, records[0].date, TODAY).active
    ]


def test_without_a_check_in_today_the_flags_are_yesterdays() -> None:
    records = [r for r in demo_diary(TODAY) if r.date < TODAY]
    found = caseload_row(client(), records, records[0].date, records[-1].date)
    assert found.quiet_days == 1
    expected = {r.flag for r in flags_on(records, records[0].date, TODAY - DAY) if r.active}
    assert {r.flag for r in found.active} == expected


def calm_weeks(days: int, energy: int) -> list[CheckIn]:
    return [
        replace(default_day(1), date=TODAY - timedelta(days=back), morning_energy=energy)
        for back in range(days)
    ]


def test_the_trend_falls_back_to_last_week_on_a_monday_without_a_check_in() -> None:
    monday = monday_of(TODAY)
    records = [r for r in calm_weeks(40, 7) if r.date < monday]
    found = caseload_row(
        Client(1, "A", Period.EVERYTHING, date(2025, 1, 1), monday),
        records,
        records[-1].date,
        records[0].date,
    )
    assert found.week_checkins == 0
    assert found.trend_week == monday - timedelta(days=7)
    assert found.recovery is not None and found.recovery.mean == Fraction(found.recovery.mean)
    assert found.pattern_week == monday - timedelta(days=7)


def test_digest_counts_only() -> None:
    rows = [row("a", 0, SIGNPOST), row("b", 5, ATTENTION), row("c", 4), row("d", 0, NOTICE)]
    counts = digest_counts(rows)
    assert (counts.clients, counts.worth_a_look, counts.quiet) == (4, 2, 2)


MONDAY = monday_of(TODAY)
SUNDAY = MONDAY + timedelta(days=6)


@pytest.mark.parametrize(
    ("through", "start", "stale", "holds"),
    [
        (TODAY, None, None, True),
        (TODAY - DAY, None, None, True),  # stored yesterday, nothing saved since
        (TODAY + DAY, None, None, False),  # stored on a day still to come (a clock set back)
        (TODAY, glance_reads_from(MONDAY), None, True),  # the scope covers every day it read
        (TODAY, glance_reads_from(MONDAY) + DAY, None, False),  # the scope cuts into it
        (TODAY, None, SUNDAY, False),  # a save in the week
        (TODAY, None, MONDAY - timedelta(days=20), False),  # a save in its baseline
        (TODAY, None, SUNDAY + DAY, True),  # a save after the week
    ],
)
def test_a_stored_glance_is_used_only_where_it_equals_the_computed(
    through: date, start: date | None, stale: date | None, holds: bool
) -> None:
    seen = glance(demo_diary(TODAY), MONDAY, TODAY)
    found = kept_glance({MONDAY: KeptGlance(seen, through)}, MONDAY, TODAY, start, stale)
    assert found == (seen if holds else None)
    assert kept_glance({}, MONDAY, TODAY, start, stale) is None


def test_with_flags_and_glances_stored_a_row_reads_no_record() -> None:
    records = demo_diary(TODAY)
    computed = caseload_row(client(), records, records[0].date, TODAY, {TODAY: []})
    glances = {
        monday: KeptGlance(glance(records, monday, TODAY), min(TODAY, monday + timedelta(days=6)))
        for monday in (MONDAY, MONDAY - timedelta(days=7))
    }
    assert reads_from(client(), TODAY, {TODAY: []}, None, glances) is None
    assert reads_from(client(), TODAY, {TODAY: []}, None, {}) is not None
    kept = caseload_row(client(), [], records[0].date, TODAY, {TODAY: []}, None, glances)
    assert kept == computed
