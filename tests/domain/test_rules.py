"""DOMAIN part C, unit level: the adverse test, the evaluation contract and part E's checks."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest

from journal.domain.checkin import CheckIn, ContextTag, Dozed
from journal.domain.metrics import Baseline, Metric
from journal.domain.rules import (
    HORIZON_DAYS,
    Flag,
    FlagResult,
    Level,
    Link,
    Reason,
    State,
    adverse,
    evaluate,
    evaluate_range,
    result_to_json,
)
from tests.domain.scenario_builder import alt, build, day_date, default_day, make_day

ILL = ["illness"]
TRAVEL = ["travel_shift"]


def on(records: list[CheckIn], n: int) -> dict[Flag, FlagResult]:
    return {r.flag: r for r in evaluate(records, day_date(n))}


def states(records: list[CheckIn], n: int) -> dict[Flag, State]:
    return {flag: r.state for flag, r in on(records, n).items()}


# --- C.1 ------------------------------------------------------------------------------------


def base(median: int, spread: Fraction | int = 1) -> Baseline:
    return Baseline(Fraction(median), Fraction(spread), 20)


@pytest.mark.parametrize(
    ("metric", "value", "baseline", "expected"),
    [
        # The C.1 examples for energy.
        (Metric.MORNING_ENERGY, 5, base(7), True),
        (Metric.MORNING_ENERGY, 6, base(7), False),
        (Metric.MORNING_ENERGY, 6, base(8), False),  # relative threshold 6, floor keeps ≤ 5
        (Metric.MORNING_ENERGY, 5, base(8), True),
        (Metric.MORNING_ENERGY, 4, base(3), False),  # a low normal: only the absolute ≤ 3
        (Metric.MORNING_ENERGY, 3, base(3), True),
        (Metric.MORNING_ENERGY, 3, None, True),
        (Metric.MORNING_ENERGY, 4, None, False),
        # Δ = max(δ, S): a wide spread widens the margin.
        (Metric.MORNING_ENERGY, 5, base(8, Fraction(5, 2)), True),
        (Metric.MORNING_ENERGY, 5, base(7, Fraction(5, 2)), False),
        (Metric.REFRESHED, 1, None, True),
        (Metric.REFRESHED, 2, base(3), True),
        (Metric.REFRESHED, 2, base(3, Fraction(3, 2)), False),
        (Metric.REFRESHED, 3, base(4), False),  # the floor ≤ 2
        (Metric.STARTUP_EFFORT, 7, None, True),
        (Metric.STARTUP_EFFORT, 5, base(3), True),
        (Metric.STARTUP_EFFORT, 4, base(2), False),  # the floor ≥ 5
        (Metric.STARTUP_EFFORT, 6, base(5), False),
        (Metric.LETTING_GO, 3, None, True),
        (Metric.LETTING_GO, 5, base(7), True),
        (Metric.BEDTIME_TENSION, 7, None, True),
        (Metric.BEDTIME_TENSION, 5, base(3), True),
        (Metric.BEDTIME_TENSION, 6, base(5), False),
    ],
)
def test_adverse(metric: Metric, value: int, baseline: Baseline | None, expected: bool) -> None:
    assert adverse(metric, value, baseline) is expected


# --- The evaluation contract ------------------------------------------------------------------


def test_one_result_per_flag_in_flag_order() -> None:
    results = evaluate(build(10), day_date(10))
    assert [r.flag for r in results] == list(Flag)
    assert [f.value for f in Flag] == [f.name for f in Flag]


def test_levels_have_ids() -> None:
    assert [level.id for level in Level] == [
        "positive",
        "info",
        "notice",
        "attention",
        "persistent",
        "doctor",
    ]
    assert [int(level) for level in Level] == [-1, 0, 1, 2, 3, 4]


def test_result_to_json_has_the_g2_shape() -> None:
    records = build(28, (15, 28, {"morning_energy": 2, "refreshed": 0, "rest_minutes": 60}))
    document = [result_to_json(r) for r in evaluate(records, day_date(28))]
    json.dumps(document)  # plain JSON types only
    chain = document[0]
    assert set(chain) == {"flag", "state", "level", "reasons", "links", "numbers"}
    assert chain["flag"] == "REST_NO_RECOVERY"
    assert list(chain["links"]) == list(Link)
    for item in document:
        assert item["state"] in {"active", "inactive", "insufficient_data"}
        assert item["level"] is None or item["level"] in {level.id for level in Level}
        if item["flag"] != "REST_NO_RECOVERY":
            assert item["links"] == {}
        if item["state"] != "active":
            assert item["level"] is None and item["reasons"] == []


def test_result_to_json_writes_plain_strings() -> None:
    records = build(28, (15, 28, {"sol_min": 45, "waso_min": 40}))
    document = [result_to_json(r) for r in evaluate(records, day_date(28))]
    assert any(item["reasons"] for item in document)
    for item in document:
        assert all(type(reason) is str for reason in item["reasons"])
        assert all(type(link) is str for link in item["links"])


@pytest.mark.parametrize(
    ("text", "reasons"),
    [
        ("", ()),
        ("E1", (Reason.E1,)),
        ("sleepiness;medical", (Reason.SLEEPINESS, Reason.MEDICAL)),
        ("disturbed_nights;;short_sleep;", (Reason.DISTURBED_NIGHTS, Reason.SHORT_SLEEP)),
    ],
)
def test_reasons_read_back_from_stored_text(text: str, reasons: tuple[Reason, ...]) -> None:
    parsed = Reason.parse_list(text)
    assert parsed == reasons
    assert all(type(reason) is Reason for reason in parsed)


def test_stored_reasons_round_trip_and_refuse_unknown_ids() -> None:
    every = tuple(Reason)
    assert Reason.parse_list(";".join(every)) == every
    with pytest.raises(ValueError, match="short_sleeep"):
        Reason.parse_list("disturbed_nights;short_sleeep")


def test_record_order_does_not_matter_and_later_records_are_ignored() -> None:
    records = build(40, (20, 40, {"refreshed": 0, "morning_energy": 2, "rest_minutes": 60}))
    day = day_date(30)
    expected = evaluate([r for r in records if r.date <= day], day)
    assert evaluate(list(reversed(records)), day) == expected
    assert evaluate(records, day) == expected


def test_two_records_on_one_date_are_refused() -> None:
    records = build(3)
    with pytest.raises(ValueError, match="two check-ins"):
        evaluate([*records, records[1]], day_date(3))


def test_evaluate_range_covers_every_calendar_date() -> None:
    records = build(20, skip=range(8, 12))
    by_date = evaluate_range(records, day_date(-2), day_date(22))
    assert list(by_date) == [day_date(n) for n in range(-2, 23)]
    for day, results in by_date.items():
        assert results == evaluate(records, day)


def test_empty_diary() -> None:
    results = {r.flag: r for r in evaluate([], date(2026, 1, 1))}
    assert results[Flag.SIGNPOST_DOCTOR].state is State.INACTIVE
    assert all(
        r.state is State.INSUFFICIENT for f, r in results.items() if f is not Flag.SIGNPOST_DOCTOR
    )
    assert evaluate_range([], date(2026, 1, 1), date(2026, 1, 3)).keys() == {
        date(2026, 1, 1),
        date(2026, 1, 2),
        date(2026, 1, 3),
    }


def test_dates_before_the_first_record_are_insufficient_but_doctor_is_inactive() -> None:
    records = build(10)
    result = on(records, 0)
    assert result[Flag.SIGNPOST_DOCTOR].state is State.INACTIVE
    assert all(
        r.state is State.INSUFFICIENT for f, r in result.items() if f is not Flag.SIGNPOST_DOCTOR
    )


def test_cost_horizon_covers_the_deepest_look_back() -> None:
    """A diary longer than the horizon gives the same answers one date at a time."""
    records = build(
        HORIZON_DAYS + 40,
        (20, 70, {"morning_energy": 3, "refreshed": 1, "rest_minutes": 60, "startup_effort": 7}),
        (30, 50, {"sol_min": 45}),
    )
    by_date = evaluate_range(records, day_date(1), day_date(HORIZON_DAYS + 40))
    for day, results in by_date.items():
        assert evaluate(records, day) == results, day


def test_cost_horizon_reaches_the_record_48_days_back() -> None:
    """C.8 reads EARLY_SIGNS on D−14, whose baseline (B.3) starts at D−14−34 = D−48.

    Day 60 is D. Days 40–60 are travel days (valid in windows, never in a baseline) with effort
    7 (E1 on D−14, D−7 and D), and from day 47 letting go 3 (E2 on D−7 and D only). On D−14
    (day 46) the second sign is E3, and it hangs on day 12 = D−48: refreshed alternates 2/3 on
    days 12–39, so with day 12 the baseline is 14 × 2 and 14 × 3 (B 2.5, E3 at a mean ≤ 1.75);
    without it, 14 × 2 and 13 × 3 (B 2, E3 at ≤ 1.25). W7's mean refreshed is 11/7 ≈ 1.57.
    """
    records = build(
        60,
        (1, 39, {"refreshed": alt(2, 3)}),
        (40, 60, {"context_tags": TRAVEL, "startup_effort": 7, "refreshed": alt(1, 2)}),
        (40, 60, {"day_load": 3, "rest_minutes": 0}),  # no E4, no chain
        (47, 60, {"letting_go": 3}),
    )
    deepest = day_date(60) - timedelta(days=48)
    assert deepest == day_date(12)

    early_46 = on(records, 46)[Flag.EARLY_SIGNS]
    assert early_46.state is State.ACTIVE and early_46.reasons == ("E1", "E3")
    assert on(records, 53)[Flag.EARLY_SIGNS].state is State.ACTIVE
    assert on(records, 60)[Flag.EARLY_SIGNS].state is State.ACTIVE
    further = on(records, 60)[Flag.SIGNPOST_LOOK_FURTHER]
    assert further.state is State.ACTIVE and further.level is Level.PERSISTENT
    assert further.reasons == ("early_signs_3w",)
    # One date at a time sees what the whole diary sees.
    by_date = evaluate_range(records, day_date(44), day_date(62))
    for day, results in by_date.items():
        assert evaluate(records, day) == results, day
    # The record 48 days back really decides it: without it there is no E3 on day 46.
    without = [r for r in records if r.date != deepest]
    assert on(without, 46)[Flag.EARLY_SIGNS].state is State.INACTIVE
    assert on(without, 60)[Flag.SIGNPOST_LOOK_FURTHER].state is State.INACTIVE


# --- Part E's unit-level checks ----------------------------------------------------------------


def test_warm_up_no_flag_but_doctor_before_day_7() -> None:
    """Even a diary that is bad from day 1 shows nothing but SIGNPOST_DOCTOR on days 1–6."""
    severe = {
        "morning_energy": 1,
        "refreshed": 0,
        "startup_effort": 9,
        "rest_minutes": 120,
        "rest_recharged": 0,
        "letting_go": 1,
        "bedtime_tension": 9,
        "day_load": 9,
        "sol_min": 60,
        "social_contact": "none",
        "support_felt": 0,
        "walk_outside_min": 0,
        "sleepiness_peak": 8,
        "dozed_unintended": "during_activity",
    }
    records = build(8, (1, 8, severe))
    for n in range(1, 7):
        result = on(records, n)
        assert result[Flag.SIGNPOST_DOCTOR].state is State.ACTIVE, n
        for flag, r in result.items():
            if flag is not Flag.SIGNPOST_DOCTOR:
                assert r.state is State.INSUFFICIENT, (n, flag)
                assert r.level is None and r.reasons == ()
    day_7 = on(records, 7)
    assert day_7[Flag.SLEEP_DISRUPTED].state is State.ACTIVE
    assert day_7[Flag.LITTLE_OUTDOOR_MOVEMENT].state is State.ACTIVE


def test_chain_links_are_reported_during_warm_up() -> None:
    """C.14.5: links come from their own windows, whatever the flag's state."""
    records = build(6, (1, 6, {"rest_minutes": 60, "refreshed": 0}))
    chain = on(records, 6)[Flag.REST_NO_RECOVERY]
    assert chain.state is State.INSUFFICIENT
    assert chain.links == {
        "R0": True,
        "L1": None,
        "L2": False,
        "L3": False,
        "L4": True,
        "L5": False,
    }
    assert on(records, 4)[Flag.REST_NO_RECOVERY].links["R0"] is None  # four records only


def test_while_driving_fires_the_doctor_signpost_the_same_day() -> None:
    records = build(20, (12, 12, {"sleepiness_peak": 8, "dozed_unintended": "while_driving"}))
    assert on(records, 11)[Flag.SIGNPOST_DOCTOR].state is State.INACTIVE
    for n in range(12, 19):  # in W7 for a week
        doctor = on(records, n)[Flag.SIGNPOST_DOCTOR]
        assert doctor.state is State.ACTIVE and doctor.level is Level.DOCTOR
        assert doctor.reasons == ("sleepiness",)  # while_driving is not a reason (C.14.8)
        assert doctor.numbers["while_driving"] is True
        assert doctor.numbers["dozed"] == "while_driving"
    assert on(records, 19)[Flag.SIGNPOST_DOCTOR].state is State.INACTIVE


def test_while_driving_on_the_very_first_day() -> None:
    records = [make_day(1, {"sleepiness_peak": 9, "dozed_unintended": Dozed.WHILE_DRIVING})]
    doctor = on(records, 1)[Flag.SIGNPOST_DOCTOR]
    assert doctor.state is State.ACTIVE and doctor.numbers["while_driving"] is True


def test_dozing_at_rest_alone_is_no_signpost() -> None:
    records = build(14, (10, 10, {"sleepiness_peak": 7, "dozed_unintended": "at_rest"}))
    doctor = on(records, 10)[Flag.SIGNPOST_DOCTOR]
    assert doctor.state is State.INACTIVE and doctor.numbers["while_driving"] is False


def test_backfilled_records_count_as_valid() -> None:
    records = build(14, skip=(9, 10))
    backfilled = [replace(r, backfilled=True) if r.date >= day_date(11) else r for r in records]
    # Five records in W7 (days 8, 11–14): evaluable, and the same as without the flag.
    assert states(backfilled, 14)[Flag.SLEEP_DISRUPTED] is State.INACTIVE
    assert evaluate(backfilled, day_date(14)) == evaluate(records, day_date(14))
    fewer = [r for r in backfilled if r.date != day_date(8)]
    assert states(fewer, 14)[Flag.SLEEP_DISRUPTED] is State.INSUFFICIENT


def test_travel_shift_counts_in_windows_but_not_in_baselines() -> None:
    """A travel week is valid for the windows; it just is nobody's normal (C.14.3)."""
    travel_weeks = build(
        28,
        (1, 21, {"context_tags": TRAVEL, "day_load": 2}),
        (22, 28, {"walk_outside_min": 0}),
    )
    result = on(travel_weeks, 28)
    assert result[Flag.LITTLE_OUTDOOR_MOVEMENT].state is State.ACTIVE
    # Days 1–21 are the only ones in the reference window of day 28, all travel: no baseline.
    assert result[Flag.EARLY_SIGNS].state is State.INSUFFICIENT
    plain = build(28, (1, 21, {"day_load": 2}), (22, 28, {"walk_outside_min": 0}))
    assert on(plain, 28)[Flag.EARLY_SIGNS].state is State.INACTIVE
    # In the window itself travel days are ordinary valid records.
    travelling_now = build(28, (22, 28, {"context_tags": TRAVEL, "walk_outside_min": 0}))
    assert on(travelling_now, 28)[Flag.LITTLE_OUTDOOR_MOVEMENT].state is State.ACTIVE
    assert on(travelling_now, 28)[Flag.EARLY_SIGNS].state is State.INACTIVE


def test_travel_shift_days_keep_their_own_baseline_out() -> None:
    """The adverse test of a record uses the baseline of its date, built without travel days."""
    bright = {"morning_energy": 9, "refreshed": 4, "context_tags": TRAVEL}
    dim = {"morning_energy": 5, "refreshed": 2, "rest_minutes": 60}
    records = build(40, (1, 30, bright), (31, 40, dim))
    # Only travel days before day 31, so no baseline: energy 5 and refreshed 2 are not adverse.
    assert on(records, 40)[Flag.REST_NO_RECOVERY].links["L4"] is False
    # Had the travel days counted, a baseline of 9 would make energy 5 adverse (≤ 9 − 2, ≤ 5).
    untagged = build(40, (1, 30, {**bright, "context_tags": []}), (31, 40, dim))
    assert on(untagged, 40)[Flag.REST_NO_RECOVERY].links["L4"] is True


def test_illness_is_missing_except_for_doctor_and_gap() -> None:
    records = build(
        21,
        (15, 21, {"context_tags": ILL, "walk_outside_min": 0}),
        (18, 18, {"context_tags": ["illness", "health_concern"]}),
    )
    result = on(records, 21)
    for flag in (Flag.REST_NO_RECOVERY, Flag.SLEEP_DISRUPTED, Flag.LITTLE_OUTDOOR_MOVEMENT):
        assert result[flag].state is State.INSUFFICIENT, flag
    assert result[Flag.SIGNPOST_DOCTOR].reasons == ("medical",)
    assert result[Flag.CHECKIN_GAP].state is State.INACTIVE  # seven check-ins, ill or not
    assert result[Flag.CHECKIN_GAP].numbers["n"] == 7


# --- Further clarifications of C.14 ------------------------------------------------------------


def test_checkin_gap_fires_from_day_14_only() -> None:
    records = build(30, skip=range(4, 31))  # three check-ins, then silence
    assert states(records, 6)[Flag.CHECKIN_GAP] is State.INSUFFICIENT
    for n in range(7, 14):
        assert states(records, n)[Flag.CHECKIN_GAP] is State.INACTIVE, n  # no second warm-up
    gap = on(records, 14)[Flag.CHECKIN_GAP]
    assert gap.state is State.ACTIVE and gap.level is Level.INFO and gap.numbers["n"] == 0
    assert gap.reasons == ()


def test_look_further_is_insufficient_while_nothing_can_be_judged() -> None:
    records = build(30, skip=range(20, 31))
    assert states(records, 5)[Flag.SIGNPOST_LOOK_FURTHER] is State.INSUFFICIENT
    assert states(records, 19)[Flag.SIGNPOST_LOOK_FURTHER] is State.INACTIVE
    assert states(records, 28)[Flag.SIGNPOST_LOOK_FURTHER] is State.INSUFFICIENT


def test_doctor_counts_every_record_and_lists_reasons_in_spec_order() -> None:
    tags = {"context_tags": ["medication_change", "illness"], "night_signals": ["breathing"]}
    records = build(
        14,
        (10, 11, tags),
        (12, 13, {"sleepiness_peak": 9}),
    )
    doctor = on(records, 13)[Flag.SIGNPOST_DOCTOR]
    assert doctor.reasons == ("sleepiness", "sleep_disorder_signs", "medication")
    assert doctor.numbers["detail_breathing"] is True
    assert doctor.numbers["medication_change"] is True
    assert doctor.numbers["dozed"] == "none"


@pytest.mark.parametrize(
    ("nights", "active"),
    [
        ({"legs": 2}, False),
        ({"legs": 3}, True),
        ({"breathing": 1}, False),
        ({"breathing": 2}, True),
    ],
)
def test_doctor_night_signal_counts_over_14_days(nights: dict[str, int], active: bool) -> None:
    ((signal, count),) = nights.items()
    days = [1, 8, 14][:count]  # spread over two weeks: the W14 window, not W7
    records = build(14, *[(d, d, {"night_signals": [signal]}) for d in days])
    assert (states(records, 14)[Flag.SIGNPOST_DOCTOR] is State.ACTIVE) is active


def test_exact_arithmetic_decides_ties() -> None:
    """IMPROVING's recovery_up at a mean RI rise of exactly 8 (RI is in thirds) fires."""
    p7 = {"refreshed": 2, "morning_energy": 6, "startup_effort": 3}  # RI 60
    w7_high = {"refreshed": 1, "morning_energy": 8, "startup_effort": 0}  # RI 68⅓
    w7_low = {"refreshed": 0, "morning_energy": 10, "startup_effort": 0}  # RI 66⅔
    skip = (6, 7, 13, 14)  # five valid records in each week
    # Day 14's W7 is days 8–14, P7 days 1–7: mean W7 = (4 × 205 + 200) / 15 = 68 = 60 + 8.
    records = build(14, (1, 7, p7), (8, 14, w7_high), (12, 12, w7_low), skip=skip)
    result = on(records, 14)[Flag.IMPROVING]
    assert result.state is State.ACTIVE and result.reasons[0] == "recovery_up"
    just_below = build(14, (1, 7, p7), (8, 14, w7_high), (11, 12, w7_low), skip=skip)
    assert "recovery_up" not in on(just_below, 14)[Flag.IMPROVING].reasons


def test_sleep_disrupted_short_sleep_and_low_efficiency() -> None:
    records = build(
        7, (1, 7, {"lights_out_time": "01:00", "out_of_bed_time": "06:30", "waso_min": 30})
    )
    # TIB 330, TST 285: short, and SE 86.4 % is not low.
    sd = on(records, 7)[Flag.SLEEP_DISRUPTED]
    assert sd.reasons == ("short_sleep",) and sd.level is Level.NOTICE
    exactly_85 = build(7, (1, 7, {"waso_min": 30, "final_wake_time": "06:33"}))
    # TIB 480, TST 480 − 15 − 30 − 27 = 408: SE exactly 85 is not below 85.
    assert on(exactly_85, 7)[Flag.SLEEP_DISRUPTED].state is State.INACTIVE
    # One minute less sleep: TST 407 (6 h 47), SE 84.8 % is below 85, and with SOL 15 and
    # WASO 30 no night is disturbed, so low efficiency is the only reason.
    below_85 = build(7, (1, 7, {"waso_min": 30, "final_wake_time": "06:32"}))
    sd = on(below_85, 7)[Flag.SLEEP_DISRUPTED]
    assert sd.state is State.ACTIVE and sd.level is Level.NOTICE
    assert sd.reasons == ("low_efficiency",)
    assert sd.numbers["n"] == 0
    # Well below: an hour awake before getting up, TST 395 (≥ 360), SE 82.3 %.
    early_wake = build(7, (1, 7, {"final_wake_time": "06:00"}))
    sd = on(early_wake, 7)[Flag.SLEEP_DISRUPTED]
    assert sd.state is State.ACTIVE and sd.level is Level.NOTICE
    assert sd.reasons == ("low_efficiency",)
    # Low efficiency a week long on D−7 as well: attention.
    two_weeks = build(14, (1, 14, {"final_wake_time": "06:00"}))
    sd = on(two_weeks, 14)[Flag.SLEEP_DISRUPTED]
    assert sd.reasons == ("low_efficiency",) and sd.level is Level.ATTENTION


def test_no_room_and_carrying_alone() -> None:
    heavy = {
        "day_load": 8,
        "rest_minutes": 15,
        "morning_energy": 4,
        "startup_effort": 6,
        "refreshed": 2,
        "social_contact": "brief",
        "support_felt": None,
    }
    records = build(10, (1, 10, heavy))
    result = on(records, 10)
    assert result[Flag.NO_ROOM_TO_RECOVER].state is State.ACTIVE
    assert result[Flag.NO_ROOM_TO_RECOVER].numbers["n_heavy"] == 7
    assert result[Flag.CARRYING_ALONE].state is State.ACTIVE
    supported = build(10, (1, 10, {**heavy, "support_felt": 3}))
    assert on(supported, 10)[Flag.CARRYING_ALONE].state is State.INACTIVE


def test_chain_numbers_for_the_template() -> None:
    records = build(10, (1, 10, {"rest_minutes": 60, "refreshed": 0, "startup_effort": 7}))
    chain = on(records, 10)[Flag.REST_NO_RECOVERY]
    assert chain.numbers["rest_days"] == 7
    assert chain.numbers["unrecovered_days"] == 7


def test_result_history_matches_single_date_over_gaps_and_illness() -> None:
    records = build(
        70,
        (10, 40, {"rest_minutes": 60, "refreshed": 1, "morning_energy": 3}),
        (20, 25, {"context_tags": ILL}),
        skip=(30, 31, 32, 50, 51),
    )
    first, last = day_date(1), day_date(70) + timedelta(days=3)
    for day, results in evaluate_range(records, first, last).items():
        assert evaluate(records, day) == results


def test_default_day_builder_is_part_e() -> None:
    r = default_day(1)
    assert (r.refreshed, r.morning_energy, r.startup_effort, r.day_load) == (3, 7, 3, 5)
    assert r.context_tags == frozenset() and r.dozed_unintended is None
    assert make_day(1, {"sleepiness_peak": 7}).dozed_unintended is Dozed.NONE
    assert make_day(1, {"rest_minutes": 0}).rest_recharged is None
    assert ContextTag.ILLNESS in make_day(1, {"context_tags": ILL}).context_tags
