"""DOMAIN part B: sleep metrics, composites and personal baselines, exactly."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta
from fractions import Fraction

import pytest

from journal.domain.checkin import CheckIn, ContextTag
from journal.domain.metrics import (
    S_FLOOR,
    Baseline,
    Metric,
    activation_index,
    anchor_baseline,
    baseline,
    baseline_from_scaled,
    disturbed_night,
    is_valid,
    median,
    metric_mean,
    metric_value,
    recovery_index,
    reference_window,
    rest_day,
    rest_without_recharge,
    robust_z,
    sleep_efficiency,
    strained_day,
    terminal_wake,
    time_in_bed,
    total_sleep_time,
)
from tests.domain.scenario_builder import day_date, default_day


def record(**changes: object) -> CheckIn:
    tags = changes.get("context_tags")
    if isinstance(tags, set):
        changes["context_tags"] = frozenset(tags)
    return replace(default_day(1), **changes)  # type: ignore[arg-type]


def test_default_record_from_part_b() -> None:
    """B.1: 23:00 → 07:00, SOL 15, WASO 10 gives TIB 480, TST 455, SE 94.8 %."""
    r = default_day(1)
    assert time_in_bed(r) == 480
    assert total_sleep_time(r) == 455
    assert sleep_efficiency(r) == Fraction(45500, 480)
    assert round(float(sleep_efficiency(r)), 1) == 94.8


@pytest.mark.parametrize(
    ("lights_out", "out_of_bed", "tib"),
    [
        (time(23, 0), time(7, 0), 480),  # across midnight
        (time(23, 30), time(6, 15), 405),
        (time(0, 30), time(8, 0), 450),  # after midnight: no wrap needed
        (time(22, 0), time(8, 30), 630),
        (time(20, 0), time(12, 0), 960),  # the longest valid night
        (time(23, 59), time(0, 59), 60),  # the shortest, across midnight
        (time(13, 0), time(15, 0), 120),  # a day sleep after a night shift
    ],
)
def test_time_in_bed_wraps_at_midnight(lights_out: time, out_of_bed: time, tib: int) -> None:
    assert time_in_bed(record(lights_out_time=lights_out, out_of_bed_time=out_of_bed)) == tib


@pytest.mark.parametrize(
    ("final_wake", "out_of_bed", "minutes"),
    [
        (None, time(7, 0), 0),
        (time(6, 30), time(7, 0), 30),
        (time(7, 0), time(7, 0), 0),
        (time(23, 50), time(0, 10), 20),  # wraps too
    ],
)
def test_terminal_wake(final_wake: time | None, out_of_bed: time, minutes: int) -> None:
    r = record(final_wake_time=final_wake, out_of_bed_time=out_of_bed, lights_out_time=time(22, 0))
    assert terminal_wake(r) == minutes


def test_tst_subtracts_terminal_wake_and_is_never_negative() -> None:
    assert total_sleep_time(record(final_wake_time=time(6, 0))) == 455 - 60
    # Validation forbids this, but a hand-built record must not yield negative sleep.
    assert total_sleep_time(record(sol_min=300, waso_min=300)) == 0
    assert sleep_efficiency(record(sol_min=300, waso_min=300)) == 0


@pytest.mark.parametrize(
    ("sol", "waso", "disturbed"),
    [(30, 30, False), (31, 0, True), (0, 31, True), (15, 10, False), (60, 15, True)],
)
def test_disturbed_night_at_31_minutes(sol: int, waso: int, disturbed: bool) -> None:
    assert disturbed_night(record(sol_min=sol, waso_min=waso)) is disturbed


def test_recovery_and_activation_index_are_exact() -> None:
    r = default_day(1)  # refreshed 3, energy 7, effort 3, tension 3, letting_go 7
    assert recovery_index(r) == Fraction(75 + 70 + 70, 3)
    assert activation_index(r) == 30
    assert metric_value(r, Metric.RI) == Fraction(215, 3)
    assert metric_value(r, Metric.AI) == 30
    assert metric_value(r, Metric.TST) == 455
    extreme = record(refreshed=4, morning_energy=10, startup_effort=0)
    assert recovery_index(extreme) == 100
    assert activation_index(record(bedtime_tension=10, letting_go=0)) == 100


def test_rest_day_and_rest_without_recharge() -> None:
    assert rest_day(record(rest_minutes=30))
    assert not rest_day(record(rest_minutes=15))
    assert rest_without_recharge(record(rest_minutes=60, rest_recharged=1))
    assert not rest_without_recharge(record(rest_minutes=60, rest_recharged=2))
    assert not rest_without_recharge(record(rest_minutes=15, rest_recharged=0))
    assert not rest_without_recharge(record(rest_minutes=0, rest_recharged=None))


def test_strained_day_needs_ri_strictly_below_50() -> None:
    at_50 = record(day_load=5, refreshed=2, morning_energy=5, startup_effort=5)
    assert recovery_index(at_50) == 50
    assert not strained_day(at_50)
    below = replace(at_50, morning_energy=4)
    assert strained_day(below)
    assert not strained_day(replace(below, day_load=4))


def test_validity() -> None:
    assert is_valid(record(backfilled=True))
    assert is_valid(record(context_tags=frozenset({ContextTag.TRAVEL_SHIFT})))
    assert not is_valid(record(context_tags=frozenset({ContextTag.ILLNESS})))


def test_median_of_even_count_is_mean_of_middle_two() -> None:
    assert median([1, 2, 3, 4]) == Fraction(5, 2)
    assert median([3, 1, 2]) == 2
    with pytest.raises(ValueError, match="no values"):
        median([])


def test_baseline_median_and_mad_use_even_count_rule() -> None:
    """Median 4.5; deviations .5 .5 1.5 1.5 2.5 2.5 3.5 3.5 → MAD 2; S = 1.4826 × 2."""
    base = baseline_from_scaled([1, 2, 3, 4, 5, 6, 7, 8], Metric.MORNING_ENERGY)
    assert base == Baseline(Fraction(9, 2), Fraction("2.9652"), 8)


def test_baseline_spread_never_below_floor() -> None:
    base = baseline_from_scaled([7] * 10, Metric.MORNING_ENERGY)
    assert base is not None and base.median == 7 and base.spread == 1
    ri = baseline_from_scaled([215] * 10, Metric.RI)
    assert ri is not None and ri.median == Fraction(215, 3) and ri.spread == S_FLOOR[Metric.RI]
    assert baseline_from_scaled([3] * 7, Metric.REFRESHED) == Baseline(
        Fraction(3), Fraction(1, 2), 7
    )


def test_baseline_needs_seven_values() -> None:
    assert baseline_from_scaled([5] * 6, Metric.DAY_LOAD) is None
    assert baseline_from_scaled([5] * 7, Metric.DAY_LOAD) is not None


def _days_before(on_day: int, *offsets: int, **changes: object) -> list[CheckIn]:
    on = day_date(on_day)
    return [replace(record(**changes), date=on - timedelta(days=k)) for k in offsets]


def test_reference_window_is_d_minus_34_to_d_minus_7() -> None:
    on = day_date(60)
    assert reference_window(on) == (on - timedelta(days=34), on - timedelta(days=7))
    inside = _days_before(60, *range(7, 14), morning_energy=5)
    outside = _days_before(60, 6, 5, 35, 36, morning_energy=9)
    base = baseline([*inside, *outside], Metric.MORNING_ENERGY, on)
    assert base is not None and base.median == 5 and base.n == 7
    assert baseline(_days_before(60, *range(7, 13)), Metric.MORNING_ENERGY, on) is None


def test_illness_and_travel_shift_stay_out_of_the_reference_window() -> None:
    on = day_date(60)
    normal = _days_before(60, *range(7, 14), day_load=4)
    ill = _days_before(60, *range(14, 24), day_load=9, context_tags={ContextTag.ILLNESS})
    travel = _days_before(60, *range(24, 34), day_load=9, context_tags={ContextTag.TRAVEL_SHIFT})
    base = baseline([*normal, *ill, *travel], Metric.DAY_LOAD, on)
    assert base is not None and base.median == 4 and base.n == 7
    assert baseline([*normal[:6], *ill, *travel], Metric.DAY_LOAD, on) is None


def test_anchor_baseline_is_first_fourteen_valid_records() -> None:
    records = [replace(default_day(n), morning_energy=4) for n in range(1, 15)]
    sick = replace(default_day(3), morning_energy=0, context_tags=frozenset({ContextTag.ILLNESS}))
    records[2] = sick
    later = [replace(default_day(n), morning_energy=9) for n in range(15, 40)]
    assert anchor_baseline(records, Metric.MORNING_ENERGY) is None  # 13 valid so far
    anchor = anchor_baseline([*later, *records], Metric.MORNING_ENERGY)
    # 13 records of 4, then day 15's 9: the median of fourteen is still 4.
    assert anchor == 4


def test_robust_z_and_metric_mean() -> None:
    base = Baseline(Fraction(7), Fraction(2), 10)
    assert robust_z(4, base) == Fraction(-3, 2)
    records = [record(refreshed=r) for r in (1, 2, 2)]
    assert metric_mean(records, Metric.REFRESHED) == Fraction(5, 3)
    assert metric_mean(records, Metric.RI) == sum(recovery_index(r) for r in records) / 3
