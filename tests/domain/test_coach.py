"""DOMAIN D.2: the coach summary's figures, checked against values worked out here from the raw
answers (own formulas for RI, AI, TST and SE, statistics.median, plain sums), not by calling the
metrics module. The coach's week is G.3's: the ISO week of today, cut off at today, with every
figure from the same week_figures as the person's week page.

The seeded diary has 42 days from Monday 2 March 2026 (day 1) to Sunday 12 April (day 42), with
answers that vary by day number, an illness day (3, out of the anchor and the baselines), a
travel day (20, out of the baselines only) and two missed days in the last week (38 and 40).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest

from journal.domain.checkin import CheckIn, Intensity, RestType, Social
from journal.domain.coach import (
    LEAD_IN_DAYS,
    CoachSummary,
    Quadrant,
    Row,
    coach_summary,
    quadrant,
    signpost_episodes,
    window,
)
from journal.domain.lifecycle import DayState, Dismissal, EventKind, events
from journal.domain.metrics import ANCHOR_N
from journal.domain.rules import Flag, FlagResult, Level, State, evaluate
from journal.domain.summary import week_figures, week_summary
from tests.domain.scenario_builder import build, day_date
from tests.domain.test_scenarios import SCENARIOS

DAYS = 42
TODAY = day_date(DAYS)
MISSED = (38, 40)
ILL_DAY = 3
TRAVEL_DAY = 20
REST_CYCLE = (0, 15, 30, 60, 90, 120, 180)
TYPE_CYCLE = (
    ["passive"],
    ["nap", "screen"],
    ["quiet_activity"],
    ["screen"],
    ["relaxation", "outdoors"],
)
SOCIAL_CYCLE = ("meaningful", "brief", "none")
WALK_CYCLE = (0, 10, 20, 30, 45, 60)
INTENSITY_CYCLE = (None, "calm", "moderate", "intense")


def _intensity(n: int) -> Intensity | None:
    value = INTENSITY_CYCLE[n % 4]
    return None if value is None else Intensity(value)


def seeded() -> list[CheckIn]:
    records = build(
        DAYS,
        (
            1,
            DAYS,
            {
                "morning_energy": lambda n: 3 + n % 5,
                "startup_effort": lambda n: 2 + (n * 3) % 7,
                "refreshed": lambda n: n % 5,
                "letting_go": lambda n: 3 + n % 6,
                "bedtime_tension": lambda n: 2 + (n * 2) % 7,
                "day_load": lambda n: 3 + n % 6,
                "sol_min": lambda n: 10 + (n * 7) % 40,
                "waso_min": lambda n: 5 + (n * 11) % 30,
                "out_of_bed_time": lambda n: "07:30" if n % 3 == 0 else "07:00",
                "rest_minutes": lambda n: REST_CYCLE[n % 7],
                "rest_types": lambda n: TYPE_CYCLE[n % 5],
                "rest_recharged": lambda n: n % 5,
                "social_contact": lambda n: SOCIAL_CYCLE[n % 3],
                "support_felt": lambda n: None if n % 4 == 0 else n % 5,
                "walk_outside_min": lambda n: WALK_CYCLE[n % 6],
                "movement_intensity": _intensity,
                "note": lambda n: f"note of day {n}" if n % 9 == 0 else None,
            },
        ),
        (ILL_DAY, ILL_DAY, {"context_tags": ["illness"]}),
        (TRAVEL_DAY, TRAVEL_DAY, {"context_tags": ["travel_shift"]}),
        skip=MISSED,
    )
    return records


DIARY = seeded()
BY_DAY = {(r.date - day_date(1)).days + 1: r for r in DIARY}


# --- Our own formulas (B.1, B.2), independent of journal.domain.metrics -----------------------


def tib(r: CheckIn) -> int:
    start = r.lights_out_time.hour * 60 + r.lights_out_time.minute
    end = r.out_of_bed_time.hour * 60 + r.out_of_bed_time.minute
    return (end - start) % 1440


VALUE: dict[Row, Callable[[CheckIn], Fraction]] = {
    Row.RI: lambda r: Fraction(
        r.refreshed * 25 + r.morning_energy * 10 + (10 - r.startup_effort) * 10, 3
    ),
    Row.AI: lambda r: Fraction(r.bedtime_tension * 10 + (10 - r.letting_go) * 10, 2),
    Row.MORNING_ENERGY: lambda r: Fraction(r.morning_energy),
    Row.REFRESHED: lambda r: Fraction(r.refreshed),
    Row.STARTUP_EFFORT: lambda r: Fraction(r.startup_effort),
    Row.LETTING_GO: lambda r: Fraction(r.letting_go),
    Row.BEDTIME_TENSION: lambda r: Fraction(r.bedtime_tension),
    Row.DAY_LOAD: lambda r: Fraction(r.day_load),
    Row.TST: lambda r: Fraction(tib(r) - r.sol_min - r.waso_min),
    Row.SOL: lambda r: Fraction(r.sol_min),
    Row.WASO: lambda r: Fraction(r.waso_min),
    Row.SE: lambda r: Fraction(100 * (tib(r) - r.sol_min - r.waso_min), tib(r)),
}
FLOOR = {
    Row.RI: Fraction(8),
    Row.AI: Fraction(8),
    Row.REFRESHED: Fraction(1, 2),
    Row.TST: Fraction(30),
    Row.SOL: Fraction(10),  # G.3
    Row.WASO: Fraction(10),
    Row.SE: Fraction(5),
}


def days(first: int, last: int) -> list[CheckIn]:
    return [BY_DAY[n] for n in range(first, last + 1) if n in BY_DAY]


def mean(records: list[CheckIn], row: Row) -> Fraction:
    return Fraction(sum(VALUE[row](r) for r in records), len(records))


@pytest.fixture(scope="module")
def summary() -> CoachSummary:
    return coach_summary(DIARY, [], TODAY, 8)


# --- Check-ins -----------------------------------------------------------------------------------


def test_week_is_the_iso_week_of_today(summary: CoachSummary) -> None:
    assert summary.last_day == TODAY
    assert summary.week_first == day_date(36)  # TODAY is a Sunday
    assert summary.period_first == TODAY - timedelta(days=55)


def test_the_week_is_the_calendar_week_cut_off_at_today() -> None:
    """Issue 18: the coach's "this week" was the last 7 days (Friday to Thursday here) while
    the person's week page showed the calendar week. Both are now G.3's ISO week up to today."""
    today = day_date(39)  # Thursday 9 April
    s = coach_summary(DIARY, [], today, 4)
    assert s.week_first == day_date(36)
    assert s.week == week_figures(DIARY, day_date(36), today)
    assert s.week == week_summary(DIARY, day_date(36), today).figures
    assert s.checkins.n == 3  # Monday, Tuesday and Thursday; Wednesday (38) is missing
    assert s.checkins.missing == (day_date(38),)
    assert s.metric(Row.MORNING_ENERGY).mean == mean(days(36, 39), Row.MORNING_ENERGY)
    assert s.metric(Row.RI).previous_mean == mean(days(29, 35), Row.RI)
    assert s.blocks[-1].first == day_date(36) and s.blocks[-1].last == today
    assert s.blocks[-1].checkins == 3


def test_pattern_only_with_four_check_ins() -> None:
    """Issue 18: after two check-ins the coach page showed a pattern while every other figure
    said there was too little data. G.3: no pattern with fewer than 4 check-ins."""
    two = [r for r in DIARY if day_date(36) <= r.date <= day_date(37)]
    s = coach_summary(two, [], day_date(37), 2)
    assert s.checkins.n == 2 and s.pattern is None
    assert s.blocks[-1].quadrant is None
    assert coach_summary(DIARY, [], day_date(39), 2).pattern is None  # 3 check-ins so far
    assert coach_summary(DIARY, [], day_date(41), 2).pattern is not None  # 4


def test_a_new_account_is_not_counted_against_days_before_it() -> None:
    """Missing days start at the first record (G.3), also for a link made on day 2."""
    two = [r for r in DIARY if day_date(37) <= r.date <= day_date(39)]  # no 38: Tue and Thu
    s = coach_summary(two, [], day_date(39), 2)
    assert s.checkins.missing == (day_date(38),)
    assert (s.checkins.n, s.checkins.days, s.checkins.started) == (2, 3, day_date(37))


def test_checkins_count_and_missing_dates(summary: CoachSummary) -> None:
    assert summary.checkins.n == 5
    assert summary.checkins.days == 7
    assert summary.checkins.missing == (day_date(38), day_date(40))
    assert summary.checkins.started is None
    assert summary.checkins.gap is False


def test_the_flags_end_yesterday_until_today_is_checked_in() -> None:
    """The flags and the timeline end yesterday until today's check-in exists; the week is
    G.3's, cut off at today, so today without a record is missing (G.3: the cut-off day is
    included). Before G.3 the week was the 7 days up to yesterday, days 35–41."""
    without_today = [r for r in DIARY if r.date != TODAY]
    s = coach_summary(without_today, [], TODAY, 4)
    assert s.last_day == TODAY - timedelta(days=1)
    assert s.week_first == day_date(36)
    assert s.checkins.missing == (day_date(38), day_date(40), TODAY)
    assert s.checkins.n == 4  # days 36, 37, 39, 41


# --- The metrics table ---------------------------------------------------------------------------


@pytest.mark.parametrize("row", list(Row))
def test_metrics_row(summary: CoachSummary, row: Row) -> None:
    week = days(36, 42)
    previous = days(29, 35)
    # Reference window of the last day (day 42): days 8 … 35, without illness or travel days.
    reference = [r for r in days(8, 35) if not r.context_tags]
    values = [VALUE[row](r) for r in reference]
    b = statistics.median(values)
    mad = statistics.median([abs(v - b) for v in values])
    s = max(Fraction("1.4826") * mad, FLOOR.get(row, Fraction(1)))
    anchor_records = [r for n, r in sorted(BY_DAY.items()) if n != ILL_DAY][:ANCHOR_N]

    got = summary.metric(row)
    assert got.n == 5
    assert got.mean == mean(week, row)
    assert got.baseline is not None
    assert got.baseline.median == b
    assert got.baseline.spread == s
    assert got.baseline.n == len(reference) == 27  # 28 days less the travel day
    assert got.z == (mean(week, row) - b) / s
    assert got.anchor == statistics.median([VALUE[row](r) for r in anchor_records])
    assert got.previous_mean == mean(previous, row)
    assert got.change == mean(week, row) - mean(previous, row)


def test_metrics_rows_are_in_d2_order(summary: CoachSummary) -> None:
    assert [m.metric for m in summary.metrics] == list(Row)
    assert len(summary.metrics) == 12


def test_a_few_figures_by_hand(summary: CoachSummary) -> None:
    # Week: days 36, 37, 39, 41, 42. Energy = 3 + n mod 5: 4, 5, 7, 4, 5 → 25/5 = 5.
    assert summary.metric(Row.MORNING_ENERGY).mean == 5
    # SOL = 10 + 7n mod 40: 36 → 10+12=22, 37 → 10+19=29, 39 → 10+33=43, 41 → 10+7=17,
    # 42 → 10+14=24; mean 135/5 = 27.
    assert summary.metric(Row.SOL).mean == 27


def test_no_baseline_and_no_anchor_early_on() -> None:
    s = coach_summary(DIARY[:10], [], DIARY[9].date, 2)
    ri = s.metric(Row.RI)
    assert ri.baseline is None and ri.z is None
    assert ri.anchor is None  # fewer than 14 valid records: the anchor is not frozen yet
    assert ri.mean is not None


# --- Rest, contact, movement ---------------------------------------------------------------------


def test_rest_of_the_week(summary: CoachSummary) -> None:
    """The week's rest is G.3's (the person's week page shows the same): by type over rest
    days (≥ 30 min) for types used on ≥ 2 of them. Before G.3 the coach's week listed every
    type used at least once, over records with any rest."""
    week = days(36, 42)
    rest = summary.rest_week
    rest_days = [r for r in week if r.rest_minutes >= 30]
    recharged = [r for r in rest_days if r.rest_recharged is not None and r.rest_recharged >= 3]
    assert rest.rest_days == len(rest_days)
    assert rest.total_minutes == sum(r.rest_minutes for r in week)
    assert rest.recharged_days == len(recharged)
    assert rest.recharged_ratio == Fraction(len(recharged), len(rest_days))
    expected = {}
    for rest_type in RestType:
        used = [r for r in rest_days if rest_type in r.rest_types]
        if len(used) >= 2:
            expected[rest_type] = Fraction(sum(r.rest_recharged or 0 for r in used), len(used))
    assert {t.rest_type: t.mean_recharged for t in rest.by_type} == expected
    assert rest == summary.week.rest


def test_rest_profile_of_the_period_by_hand() -> None:
    # Days 1–7 only: rest 15, 30, 60, 90, 120, 180, 0 (day n → REST_CYCLE[n mod 7]);
    # recharged n mod 5: 1, 2, 3, 4, 0, 1, 2; types TYPE_CYCLE[n mod 5].
    s = coach_summary(DIARY[:7], [], day_date(7), 2)
    rest = s.rest_period
    assert rest.total_minutes == 15 + 30 + 60 + 90 + 120 + 180
    assert rest.rest_days == 5  # days 2–6 have ≥ 30 minutes
    assert rest.recharged_days == 2  # days 3 (3) and 4 (4)
    assert rest.ratio == Fraction(2, 5)
    by_type = {row.rest_type: row for row in rest.by_type}
    # nap+screen on days 1 and 6 (15 and 180 minutes, recharged 1 and 1): half each.
    assert by_type[RestType.NAP].minutes == Fraction(15, 2) + 90
    assert by_type[RestType.NAP].ratio == 0
    # screen alone on day 3 (60 min, recharged 3) plus its half of days 1 and 6.
    assert by_type[RestType.SCREEN].days == 3
    assert by_type[RestType.SCREEN].minutes == Fraction(15, 2) + 90 + 60
    assert by_type[RestType.SCREEN].ratio == Fraction(1, 3)


def test_contact_and_movement_of_the_week(summary: CoachSummary) -> None:
    week = days(36, 42)
    support = [r.support_felt for r in week if r.support_felt is not None]
    assert summary.contact_week.meaningful_days == sum(
        1 for r in week if r.social_contact is Social.MEANINGFUL
    )
    assert summary.contact_week.support_mean == Fraction(sum(support), len(support))
    assert summary.movement_week.total_minutes == sum(r.walk_outside_min for r in week)
    assert summary.movement_week.walk_days == sum(1 for r in week if r.walk_outside_min >= 10)
    assert dict(summary.movement_week.intensity) == {
        level: sum(1 for r in week if r.movement_intensity is level) for level in Intensity
    }


# --- Pattern mix -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ai", "ri", "expected"),
    [
        (Fraction(50), Fraction(49), Quadrant.ACTIVATED_LOW_RECOVERY),
        (Fraction(149, 3), Fraction(49), Quadrant.LOW_ACTIVATION_LOW_RECOVERY),
        (Fraction(50), Fraction(50), Quadrant.ACTIVATED_RECOVERING),
        (Fraction(0), Fraction(50), Quadrant.SETTLED),
    ],
)
def test_quadrant_bounds(ai: Fraction, ri: Fraction, expected: Quadrant) -> None:
    assert quadrant(ai, ri) is expected


def test_pattern_mix_trajectory(summary: CoachSummary) -> None:
    """One point per ISO week, the last one this week (G.3); a week's pattern needs 4
    check-ins. Before G.3 the points were rolling 7-day blocks ending on the last day."""
    assert len(summary.blocks) == 8
    for back, block in enumerate(reversed(summary.blocks)):
        last = TODAY - timedelta(days=7 * back)  # TODAY is a Sunday
        assert block.last == last
        assert block.first == last - timedelta(days=6)
        span = [r for r in DIARY if block.first <= r.date <= block.last]
        assert block.checkins == len(span)
        if len(span) < 4:  # weeks before the first record
            assert block.quadrant is None
            continue
        ai, ri = mean(span, Row.AI), mean(span, Row.RI)
        assert (block.ai, block.ri) == (ai, ri)
        activated, low = ai >= 50, ri < 50
        expected = {
            (True, True): Quadrant.ACTIVATED_LOW_RECOVERY,
            (False, True): Quadrant.LOW_ACTIVATION_LOW_RECOVERY,
            (True, False): Quadrant.ACTIVATED_RECOVERING,
            (False, False): Quadrant.SETTLED,
        }[activated, low]
        assert block.quadrant is expected
    assert summary.pattern is summary.blocks[-1].quadrant


def test_scenarios_land_in_their_quadrant() -> None:
    s02 = coach_summary(SCENARIOS["S02"], [], SCENARIOS["S02"][-1].date, 4)
    # S02 days 22–28: energy 3/2, effort 8, refreshed 1/0 → RI low; tension 7/8, letting go 3/2.
    assert s02.pattern is Quadrant.ACTIVATED_LOW_RECOVERY
    assert [b.quadrant for b in s02.blocks][:2] == [Quadrant.SETTLED, Quadrant.SETTLED]
    s01 = coach_summary(SCENARIOS["S01"], [], SCENARIOS["S01"][-1].date, 4)
    assert s01.pattern is Quadrant.SETTLED


# --- Flags ---------------------------------------------------------------------------------------


def test_timeline_events_and_chain_matrix_follow_the_rules() -> None:
    records = SCENARIOS["S02"]
    today = records[-1].date  # day 28
    s = coach_summary(records, [], today, 4)
    assert s.timeline.days == tuple(day_date(n) for n in range(1, 29))
    events = {(e.flag, e.kind, e.day) for e in s.timeline.events}
    assert (Flag.REST_NO_RECOVERY, EventKind.ONSET, day_date(18)) in events
    assert (Flag.EARLY_SIGNS, EventKind.ONSET, day_date(16)) in events
    assert (Flag.EARLY_SIGNS, EventKind.ESCALATION, day_date(17)) in events
    assert (Flag.SIGNPOST_LOOK_FURTHER, EventKind.ONSET, day_date(25)) in events
    assert all(e.day >= day_date(16) for e in s.timeline.events)  # nothing before d16 (E S02)
    # The matrix is the chain's links of every day, exactly as evaluate() gives them.
    for i, day in enumerate(s.timeline.days):
        chain = next(r for r in evaluate(records, day) if r.flag is Flag.REST_NO_RECOVERY)
        for row in s.timeline.chain:
            assert row.values[i] == chain.links[row.link]
    assert [row.link for row in s.timeline.chain] == ["R0", "L1", "L2", "L3", "L4", "L5"]
    assert all(row.values[-1] is True for row in s.timeline.chain)  # d28: the full chain
    lanes = {lane.flag: lane for lane in s.timeline.lanes}
    assert Flag.IMPROVING not in lanes and Flag.SIGNPOST_DOCTOR not in lanes
    assert lanes[Flag.REST_NO_RECOVERY].cells[-1].level is Level.PERSISTENT
    assert s.carrying_alone is True


def test_resolved_event_is_on_the_timeline() -> None:
    records = SCENARIOS["S03"]
    s = coach_summary(records, [], records[-1].date, 4)
    assert (Flag.REST_NO_RECOVERY, EventKind.RESOLVED, day_date(20)) in {
        (e.flag, e.kind, e.day) for e in s.timeline.events
    }
    assert s.carrying_alone is False


def test_active_flags_of_the_last_day() -> None:
    records = SCENARIOS["S02"]
    s = coach_summary(records, [], records[-1].date, 4)
    active = [r.flag for r in s.active]
    # C.12 priority order.
    assert active[:3] == [
        Flag.SIGNPOST_LOOK_FURTHER,
        Flag.REST_NO_RECOVERY,
        Flag.EARLY_SIGNS,
    ]


def test_signposts_with_reasons_dates_and_dismissals() -> None:
    records = SCENARIOS["S07"]  # DR from d11, sleepiness added d12–d18, inactive d19–d21
    today = records[-1].date
    dismissed = [
        Dismissal(Flag.SIGNPOST_DOCTOR, day_date(13), ("sleepiness",), "discussed_with_gp"),
        Dismissal(Flag.SIGNPOST_DOCTOR, day_date(14), ("sleep_disorder_signs",), None),
        Dismissal(Flag.SIGNPOST_LOOK_FURTHER, day_date(13), ("chain_persistent",), None),
    ]
    s = coach_summary(records, dismissed, today, 4)
    (episode,) = s.signposts
    assert episode.flag is Flag.SIGNPOST_DOCTOR
    assert episode.onset == episode.first_active == day_date(11)
    assert episode.last_active == day_date(18)
    assert episode.resolved == day_date(21)
    assert episode.active_now is False
    assert episode.reasons == ("sleepiness", "sleep_disorder_signs")
    assert episode.while_driving is False
    assert episode.dismissals == tuple(dismissed[:2])


def test_signpost_still_active_and_gap() -> None:
    records = build(
        28,
        (24, 24, {"dozed_unintended": "while_driving", "sleepiness_peak": 9}),
        skip=range(22, 24),
    )
    s = coach_summary(records, [], records[-1].date, 4)
    (episode,) = s.signposts
    assert episode.active_now and episode.while_driving
    assert episode.onset == day_date(24)
    records = build(28, skip=(22, 23, 24, 25, 26))
    s = coach_summary(records, [], day_date(28), 2)
    assert s.checkins.gap is True and s.checkins.n == 2
    gap = next(r for r in evaluate(records, day_date(28)) if r.flag is Flag.CHECKIN_GAP)
    assert gap.state is State.ACTIVE


# --- Scope: the period bounds what is shown --------------------------------------------------------


def test_a_signpost_active_again_before_it_resolved_is_one_episode() -> None:
    """C.12: active, inactive, active again is a second onset but not a second episode; the
    coach sees one episode from the first onset to the resolution."""
    first = date(2026, 3, 1)
    pattern = "AIAIIII"  # resolved on the third inactive day in a row (day 6)
    results = {
        first + timedelta(days=i): [
            FlagResult(flag, State.ACTIVE, Level.DOCTOR, ("medical",), {}, {})
            if flag is Flag.SIGNPOST_DOCTOR and mark == "A"
            else FlagResult(flag, State.INACTIVE, None, (), {}, {})
            for flag in Flag
        ]
        for i, mark in enumerate(pattern)
    }
    found = events(DayState.of(day, r) for day, day_results in results.items() for r in day_results)
    onsets = [e.day for e in found if e.kind is EventKind.ONSET]
    assert onsets == [first, first + timedelta(days=2)]
    (episode,) = signpost_episodes(results, found, [], first, first + timedelta(days=len(pattern) - 1))
    assert (episode.onset, episode.resolved) == (first, first + timedelta(days=5))
    assert (episode.first_active, episode.last_active) == (first, first + timedelta(days=2))
    assert episode.active_now is False


def test_two_week_period_shows_two_weeks() -> None:
    s = coach_summary(DIARY, [], TODAY, 2)
    assert len(s.timeline.days) == 14
    assert s.timeline.days[0] == s.period_first == TODAY - timedelta(days=13)
    assert len(s.blocks) == 2
    assert all(e.day >= s.period_first for e in s.timeline.events)
    assert s.rest_period.first == s.period_first


def test_notes_only_when_ticked_and_inside_the_period() -> None:
    s = coach_summary(DIARY, [], TODAY, 2)
    assert s.notes == ()  # nothing ticked: no note text at all
    ticked = {day_date(36), day_date(27), day_date(9)}  # 27 and 9 lie before the 2 weeks
    s = coach_summary(DIARY, [], TODAY, 2, shared_notes=ticked)
    assert [(n.date, n.text) for n in s.notes] == [(day_date(36), "note of day 36")]
    s = coach_summary(DIARY, [], TODAY, 8, shared_notes=ticked)
    assert [n.date for n in s.notes] == [day_date(9), day_date(27), day_date(36)]


def test_the_window_is_all_it_needs() -> None:
    """Cost does not grow with history: the window plus the first records give the same
    summary as the whole diary."""
    long = build(
        400, (1, 400, {"morning_energy": lambda n: 3 + n % 6, "refreshed": lambda n: n % 5})
    )
    long = [replace(r, context_tags=frozenset()) for r in long]
    today = long[-1].date
    first, last = window(today, 8)
    assert (last - first).days == 7 * 8 + LEAD_IN_DAYS + 48
    part = [r for r in long if first <= r.date <= last] + long[:ANCHOR_N]
    assert coach_summary(part, [], today, 8) == coach_summary(long, [], today, 8)


def test_records_after_today_are_ignored() -> None:
    s = coach_summary(DIARY, [], day_date(30), 4)
    assert s.last_day == day_date(30)
    assert s.blocks[-1].last == day_date(30)
    assert s.week.through == day_date(30) and s.checkins.n == 2


def test_empty_diary() -> None:
    s = coach_summary([], [], date(2026, 3, 10), 4)
    assert s.checkins.n == 0 and s.checkins.missing == ()
    assert s.pattern is None
    assert s.timeline.lanes == ()
    assert all(v is None for row in s.timeline.chain for v in row.values)


def test_weeks_must_be_2_4_or_8() -> None:
    with pytest.raises(ValueError):
        coach_summary(DIARY, [], TODAY, 3)
