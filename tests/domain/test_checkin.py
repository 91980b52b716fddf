"""A.2 ranges and A.5 validation, as tables; and the time prefill of A.4."""

from __future__ import annotations

from datetime import date, time

import pytest

from journal.domain.checkin import Error, parse_checkin
from journal.domain.prefill import prefill_times
from tests.payloads import day

ON = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"lights_out_time": ""}, "lights_out_time", Error.REQUIRED),
        ({"lights_out_time": "25:00"}, "lights_out_time", Error.NOT_A_TIME),
        ({"out_of_bed_time": "7 uur"}, "out_of_bed_time", Error.NOT_A_TIME),
        ({"sol_min": "-1"}, "sol_min", Error.OUT_OF_RANGE),
        ({"sol_min": "301"}, "sol_min", Error.OUT_OF_RANGE),
        ({"sol_min": "ten"}, "sol_min", Error.NOT_A_NUMBER),
        ({"waso_min": "481"}, "waso_min", Error.OUT_OF_RANGE),
        ({"awakenings_n": "21"}, "awakenings_n", Error.OUT_OF_RANGE),
        ({"refreshed": "5"}, "refreshed", Error.OUT_OF_RANGE),
        ({"refreshed": ""}, "refreshed", Error.REQUIRED),
        ({"sleep_quality": "0"}, "sleep_quality", Error.OUT_OF_RANGE),
        ({"morning_energy": "11"}, "morning_energy", Error.OUT_OF_RANGE),
        ({"startup_effort": ""}, "startup_effort", Error.REQUIRED),
        ({"tension_now": "11"}, "tension_now", Error.OUT_OF_RANGE),
        ({"day_load": "2.5"}, "day_load", Error.NOT_A_NUMBER),
        ({"rest_minutes": "45"}, "rest_minutes", Error.INVALID_CHOICE),
        ({"rest_minutes": ""}, "rest_minutes", Error.REQUIRED),
        ({"rest_types": ["sofa"]}, "rest_types", Error.INVALID_CHOICE),
        ({"rest_types": []}, "rest_types", Error.REQUIRED),
        ({"rest_recharged": ""}, "rest_recharged", Error.REQUIRED),
        ({"letting_go": "-1"}, "letting_go", Error.OUT_OF_RANGE),
        ({"bedtime_tension": ""}, "bedtime_tension", Error.REQUIRED),
        ({"sleepiness_peak": "0"}, "sleepiness_peak", Error.OUT_OF_RANGE),
        ({"sleepiness_peak": "7"}, "dozed_unintended", Error.REQUIRED),
        ({"dozed_unintended": "sometimes", "sleepiness_peak": "8"}, "dozed_unintended", Error.INVALID_CHOICE),
        ({"social_contact": "lots"}, "social_contact", Error.INVALID_CHOICE),
        ({"support_felt": "5"}, "support_felt", Error.OUT_OF_RANGE),
        ({"walk_outside_min": "15"}, "walk_outside_min", Error.INVALID_CHOICE),
        ({"movement_intensity": "wild"}, "movement_intensity", Error.INVALID_CHOICE),
        ({"context_tags": ["illness", "party"]}, "context_tags", Error.INVALID_CHOICE),
        ({"night_signals": "snoring"}, "night_signals", Error.INVALID_CHOICE),
        ({"note": "x" * 501}, "note", Error.TOO_LONG),
        # Issue 17: neither can be stored; a lone surrogate arrives as a JSON "\\ud800" escape.
        ({"note": "a\x00b"}, "note", Error.INVALID_CHARACTERS),
        ({"note": "\ud800"}, "note", Error.INVALID_CHARACTERS),
        ({"note": "voor \udfff na"}, "note", Error.INVALID_CHARACTERS),
        # A.5: time in bed 60-960 minutes, with midnight wrap.
        ({"lights_out_time": "23:00", "out_of_bed_time": "23:30"}, "out_of_bed_time", Error.TIME_IN_BED),
        ({"lights_out_time": "07:00", "out_of_bed_time": "06:59"}, "out_of_bed_time", Error.TIME_IN_BED),
        ({"lights_out_time": "22:00", "out_of_bed_time": "14:01"}, "out_of_bed_time", Error.TIME_IN_BED),
        # A.5: SOL + WASO + terminal wake must fit in the time in bed.
        ({"sol_min": "300", "waso_min": "181"}, "waso_min", Error.EXCEEDS_TIME_IN_BED),
        ({"final_wake_time": "05:00", "sol_min": "250", "waso_min": "120"}, "waso_min", Error.EXCEEDS_TIME_IN_BED),
        # A.5: the final wake time lies between lights-out and getting up.
        ({"final_wake_time": "08:00"}, "final_wake_time", Error.FINAL_WAKE_OUTSIDE),
        ({"final_wake_time": "22:59"}, "final_wake_time", Error.FINAL_WAKE_OUTSIDE),
    ],
)
def test_refused(changes: dict[str, str], field: str, error: Error) -> None:
    result = parse_checkin(day(**changes), on=ON)
    assert result.checkin is None
    assert result.errors[field] is error


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"lights_out_time": "23:00", "out_of_bed_time": "00:00", "sol_min": "0", "waso_min": "0"},  # TIB 60
        {"lights_out_time": "22:00", "out_of_bed_time": "14:00"},  # TIB 960
        {"final_wake_time": "23:00", "sol_min": "0", "waso_min": "0"},  # equal to lights-out
        {"final_wake_time": "07:00"},  # equal to getting up
        {"lights_out_time": "01:30", "out_of_bed_time": "09:00"},
        {"rest_minutes": "0", "rest_types": [], "rest_recharged": ""},
        {"sleepiness_peak": "9", "dozed_unintended": "while_driving"},
        {"note": "x" * 500, "support_felt": "", "context_tags": "illness;travel_shift"},
        {"sol_min": "300", "waso_min": "180"},  # exactly the time in bed
    ],
)
def test_accepted(changes: dict[str, str]) -> None:
    result = parse_checkin(day(**changes), on=ON)
    assert result.errors == {}
    assert result.checkin is not None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rest_minutes": "0", "rest_types": ["nap"], "rest_recharged": ""}, "rest_types"),
        ({"rest_minutes": "0", "rest_types": [], "rest_recharged": "2"}, "rest_recharged"),
        ({"sleepiness_peak": "6", "dozed_unintended": "none"}, "dozed_unintended"),
    ],
)
def test_inapplicable_answers(changes: dict[str, str], field: str) -> None:
    """Stored data (CSV, API) must leave them empty; the form quietly drops hidden answers."""
    strict = parse_checkin(day(**changes), on=ON)
    assert strict.errors[field] is Error.MUST_BE_EMPTY
    lenient = parse_checkin(day(**changes), on=ON, strict=False)
    assert lenient.checkin is not None
    assert getattr(lenient.checkin, field) in (None, frozenset())


def test_record_keeps_the_answers() -> None:
    checkin = parse_checkin(day(note="  Rustig  ", context_tags=["alcohol"]), on=ON).checkin
    assert checkin is not None
    assert checkin.lights_out_time == time(23, 0)
    assert checkin.rest_types == {"quiet_activity"}
    assert checkin.note == "Rustig"
    assert checkin.context_tags == {"alcohol"}
    assert checkin.time_in_bed == 480


def _on(day_of_month: int, lights_out: str, out_of_bed: str) -> object:
    result = parse_checkin(
        day(lights_out_time=lights_out, out_of_bed_time=out_of_bed),
        on=date(2026, 3, day_of_month),
    )
    assert result.checkin is not None
    return result.checkin


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ([], {}),
        ([("23:00", "07:00")], {"lights_out_time": "23:00", "out_of_bed_time": "07:00"}),
        # Around midnight the median stays near midnight, not near noon.
        ([("23:30", "07:00"), ("00:30", "08:00")], {"lights_out_time": "00:00", "out_of_bed_time": "07:30"}),
        ([("23:50", "06:00"), ("00:10", "07:00"), ("00:20", "09:00")], {"lights_out_time": "00:10", "out_of_bed_time": "07:00"}),
        # Only the last 7 entries count.
        ([("21:00", "05:00")] * 3 + [("23:00", "07:00")] * 7, {"lights_out_time": "23:00", "out_of_bed_time": "07:00"}),
    ],
)
def test_prefill_times(times: list[tuple[str, str]], expected: dict[str, str]) -> None:
    records = [_on(i + 1, lo, oob) for i, (lo, oob) in enumerate(times)]
    assert prefill_times(records) == expected  # type: ignore[arg-type]
