"""Issue 22: the phase history and each phase's observations, as tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest

from journal.domain.checkin import CheckIn, Intensity
from journal.domain.phase import (
    Observation,
    Phase,
    PhaseChange,
    Seen,
    calm_walk,
    daily_history,
    observations,
    phase_on,
    watch_items,
    weekly_phases,
)
from journal.domain.rules import Reason, State
from tests.domain.scenario_builder import build, day_date, make_day
from tests.domain.test_scenarios import SCENARIOS

D = date(2026, 3, 2)  # a Monday


def on(n: int) -> date:
    return D + timedelta(days=n)


def only(found: Sequence[Observation], seen: Seen) -> Observation:
    matches = [o for o in found if o.seen is seen]
    assert len(matches) == 1, found
    return matches[0]


# --- history ---------------------------------------------------------------------------------

S, R, H, U = Phase.SETTLING, Phase.REBUILDING, Phase.HOLDING, Phase.UNKNOWN


@pytest.mark.parametrize(
    ("history", "day", "expected"),
    [
        ([], on(0), U),
        ([PhaseChange(S, on(1))], on(0), U),  # before the first choice: don't know yet
        ([PhaseChange(S, on(1))], on(1), S),  # the day of the choice counts
        ([PhaseChange(S, on(1)), PhaseChange(R, on(5))], on(4), S),
        ([PhaseChange(S, on(1)), PhaseChange(R, on(5))], on(9), R),
        ([PhaseChange(S, on(1)), PhaseChange(H, on(1))], on(1), H),  # the last of a day wins
    ],
)
def test_phase_on(history: list[PhaseChange], day: date, expected: Phase) -> None:
    assert phase_on(history, day) is expected


@pytest.mark.parametrize(
    ("history", "shown"),
    [
        ([], []),
        ([PhaseChange(U, on(0))], []),  # choosing the default is no change
        ([PhaseChange(S, on(0))], [(S, on(0))]),
        # Two changes on one day show once, with the phase the day ended with.
        ([PhaseChange(S, on(0)), PhaseChange(R, on(0))], [(R, on(0))]),
        # Back and forth on one day: no change at all.
        (
            [PhaseChange(S, on(0)), PhaseChange(R, on(3)), PhaseChange(S, on(3))],
            [(S, on(0))],
        ),
        # Newest first.
        (
            [PhaseChange(S, on(0)), PhaseChange(R, on(10)), PhaseChange(H, on(30))],
            [(H, on(30)), (R, on(10)), (S, on(0))],
        ),
        # Back to "don't know yet" is a change too.
        ([PhaseChange(S, on(0)), PhaseChange(U, on(2))], [(U, on(2)), (S, on(0))]),
    ],
)
def test_daily_history(history: list[PhaseChange], shown: list[tuple[Phase, date]]) -> None:
    assert [(c.phase, c.on) for c in daily_history(history)] == shown


def test_weekly_phases_take_each_weeks_last_day_and_mark_changes() -> None:
    history = [PhaseChange(S, on(2)), PhaseChange(R, on(16))]
    weeks = [on(0), on(7), on(14)]
    cells = weekly_phases(history, weeks, today=on(15))
    assert [(c.phase, c.changed) for c in cells] == [(S, True), (S, False), (S, False)]
    # The current week is cut off at today: the change on day 16 is still to come.
    cells = weekly_phases(history, weeks, today=on(20))
    assert [(c.phase, c.changed) for c in cells] == [(S, True), (S, False), (R, True)]
    # A period that starts mid-week: its first week still ends on that week's Sunday.
    cells = weekly_phases([PhaseChange(S, on(6))], [on(3), on(7)], today=on(20))
    assert [(c.week_start, c.phase, c.changed) for c in cells] == [
        (on(3), S, True),
        (on(7), S, False),
    ]


# --- settling --------------------------------------------------------------------------------


def diary(days: int, **values: Any) -> list[CheckIn]:
    return build(days, (1, days, values))


@pytest.mark.parametrize(
    ("records", "rest", "sleep", "checkins"),
    [
        # The default day: 30 min of rest that recharged (3), sleep refreshed 3.
        (diary(20), 14, 14, 14),
        # 15 min is no rest day (B.2), whatever it felt like.
        (diary(20, rest_minutes=15), 0, 14, 14),
        # rest_recharged 2 ("partly") and refreshed 2 are below "mostly".
        (diary(20, rest_recharged=2, refreshed=2), 0, 0, 14),
        # Boundaries: alternate 3/2 on odd/even days.
        (build(14, (1, 14, {"refreshed": lambda n: 3 if n % 2 else 2})), 14, 7, 14),
        # Missing days are not counted, in either direction.
        (build(14, skip=range(1, 8)), 7, 7, 7),
    ],
)
def test_settling_counts_rest_and_sleep_over_the_last_14_days(
    records: list[CheckIn], rest: int, sleep: int, checkins: int
) -> None:
    today = records[-1].date
    found = observations(Phase.SETTLING, records, today)
    assert [o.seen for o in found] == [Seen.REST_RECHARGED, Seen.SLEEP_RESTORED, Seen.TALK_CAN_WAIT]
    assert only(found, Seen.REST_RECHARGED).numbers == {"n": rest, "checkins": checkins, "days": 14}
    assert only(found, Seen.SLEEP_RESTORED).numbers["n"] == sleep


def test_settling_without_recent_checkins_says_so() -> None:
    records = diary(10)
    found = observations(Phase.SETTLING, records, records[-1].date + timedelta(days=14))
    assert [o.seen for o in found] == [Seen.NO_RECENT_CHECKINS, Seen.TALK_CAN_WAIT]


def test_settling_ignores_records_after_today() -> None:
    records = diary(20)
    found = observations(Phase.SETTLING, records, day_date(3))
    assert only(found, Seen.REST_RECHARGED).numbers["checkins"] == 3


# --- rebuilding ------------------------------------------------------------------------------


def walks(pattern: Mapping[int, tuple[int, int]], days: int = 28) -> list[CheckIn]:
    """Day n gets (walk minutes, morning energy) from pattern, else (0, 4)."""
    return [
        make_day(
            n,
            {
                "walk_outside_min": pattern.get(n, (0, 4))[0],
                "morning_energy": pattern.get(n, (0, 4))[1],
            },
        )
        for n in range(1, days + 1)
    ]


@pytest.mark.parametrize(
    ("minutes", "intensity", "calm"),
    [
        (0, None, False),
        (10, None, True),  # exactly 10 minutes counts
        (10, Intensity.CALM, True),
        (20, Intensity.MODERATE, True),
        (60, Intensity.INTENSE, False),
    ],
)
def test_calm_walk(minutes: int, intensity: Intensity | None, calm: bool) -> None:
    record = make_day(1, {"walk_outside_min": minutes, "movement_intensity": intensity})
    assert calm_walk(record) is calm


def test_rebuilding_compares_the_mornings_after_a_calm_walk() -> None:
    # Five mornings after a walk of 10+ minutes with energy 6, the other 23 with energy 4.
    records = walks({n: (10, 6) for n in (3, 8, 13, 18, 23)})
    found = observations(Phase.REBUILDING, records, records[-1].date)
    walk = only(found, Seen.WALK_ENERGY)
    assert walk.numbers == {
        "n_with": 5,
        "n_without": 23,
        "days": 28,
        "mean_with": Fraction(6),
        "mean_without": Fraction(4),
    }
    assert [o.seen for o in found] == [Seen.WALK_ENERGY]


@pytest.mark.parametrize(
    ("walk_days", "enough"),
    [((1, 2), False), ((1, 2, 3), True)],  # WALK_MIN_MORNINGS on each side
)
def test_rebuilding_says_when_there_are_too_few_walks(
    walk_days: tuple[int, ...], enough: bool
) -> None:
    records = walks({n: (20, 7) for n in walk_days})
    found = observations(Phase.REBUILDING, records, records[-1].date)
    assert found[0].seen is (Seen.WALK_ENERGY if enough else Seen.WALK_ENERGY_TOO_FEW)


def test_rebuilding_too_few_other_mornings() -> None:
    records = walks({n: (30, 7) for n in range(1, 27)})
    found = observations(Phase.REBUILDING, records, records[-1].date)
    assert found[0].seen is Seen.WALK_ENERGY_TOO_FEW
    assert found[0].numbers["n_without"] == 2


def test_rebuilding_leaves_out_illness_mornings() -> None:
    records = walks({n: (10, 6) for n in (3, 8, 13)})
    records = [
        make_day(n, {"context_tags": ["illness"], "walk_outside_min": 0}) if n > 20 else r
        for n, r in enumerate(records, start=1)
    ]
    found = observations(Phase.REBUILDING, records, records[-1].date)
    assert only(found, Seen.WALK_ENERGY).numbers["n_without"] == 17


@pytest.mark.parametrize(("intense_days", "caution"), [(3, False), (4, True)])
def test_rebuilding_cautions_when_movement_is_often_intense(
    intense_days: int, caution: bool
) -> None:
    records = build(
        28,
        (1, 28, {"walk_outside_min": 0}),
        (28 - intense_days + 1, 28, {"movement_intensity": Intensity.INTENSE}),
    )
    found = observations(Phase.REBUILDING, records, records[-1].date)
    assert (Seen.INTENSE_OFTEN in [o.seen for o in found]) is caution


def test_intense_days_before_the_last_14_do_not_count() -> None:
    records = build(28, (1, 10, {"movement_intensity": Intensity.INTENSE}))
    found = observations(Phase.REBUILDING, records, records[-1].date)
    assert Seen.INTENSE_OFTEN not in [o.seen for o in found]


# --- holding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("records", "day", "state", "signs"),
    [
        # Too early for a usual level: the signs cannot be judged yet.
        (diary(10), 10, State.INSUFFICIENT, ()),
        # A steady diary: nothing shows.
        (SCENARIOS["S01"], 28, State.INACTIVE, ()),
        # S02 (DOMAIN E): the signs come one by one, day 16 onwards.
        (SCENARIOS["S02"], 16, State.ACTIVE, (Reason.E1, Reason.E4)),
        (SCENARIOS["S02"], 17, State.ACTIVE, (Reason.E1, Reason.E3, Reason.E4)),
    ],
)
def test_holding_shows_the_early_signs(
    records: list[CheckIn], day: int, state: State, signs: tuple[Reason, ...]
) -> None:
    found = observations(Phase.HOLDING, records, day_date(day), "  rust nemen \n\n slaap\n")
    early = only(found, Seen.EARLY_SIGNS)
    assert early.state is state
    assert early.signs == signs
    assert only(found, Seen.WATCH_LIST).items == ("rust nemen", "slaap")


def test_watch_items() -> None:
    assert watch_items("") == ()
    assert watch_items("a\r\n\r\n  b  \n") == ("a", "b")


# --- don't know yet --------------------------------------------------------------------------


def test_unknown_has_no_observations_only_the_way_to_choose() -> None:
    assert observations(Phase.UNKNOWN, diary(20), day_date(20)) == (Observation(Seen.CHOOSE_PHASE),)
