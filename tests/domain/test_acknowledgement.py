"""The line home says after a save (issue 19): last night's sleep against the person's normal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest

from journal.domain.checkin import CheckIn, ContextTag
from journal.domain.summary.acknowledgement import (
    Acknowledgement,
    SleepAgainstNormal,
    acknowledgement,
)
from tests.domain.scenario_builder import default_day

DAY = date(2026, 3, 10)


def night(on: date, sol: int = 15, out_of_bed: time = time(7, 0), **changes: object) -> CheckIn:
    """23:00 → out_of_bed with `sol` minutes to fall asleep and 10 awake: TST 455 by default."""
    return replace(default_day(1), date=on, sol_min=sol, out_of_bed_time=out_of_bed, **changes)  # type: ignore[arg-type]


def normal_weeks(days_back: range = range(7, 35)) -> list[CheckIn]:
    """Nights of 455 minutes on these days before DAY (alike, so S is its floor, 30 min)."""
    return [night(DAY - timedelta(days=back)) for back in days_back]


def acknowledged(last_night: CheckIn, history: list[CheckIn]) -> Acknowledgement:
    ack = acknowledgement([*history, last_night], DAY)
    assert ack is not None
    return ack


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        # No normal yet: fewer than 7 nights in the window (B.3), the night alone.
        pytest.param([], SleepAgainstNormal.NO_NORMAL_YET, id="first day"),
        pytest.param(normal_weeks(range(7, 13)), SleepAgainstNormal.NO_NORMAL_YET, id="six nights"),
        # Nights after D−7 are not in the window: they do not make a normal either.
        pytest.param(
            normal_weeks(range(1, 7)), SleepAgainstNormal.NO_NORMAL_YET, id="last week only"
        ),
        pytest.param(normal_weeks(range(7, 14)), SleepAgainstNormal.ABOUT_USUAL, id="seven nights"),
        # Ill nights stay out of the normal (B.3), so they cannot make one on their own.
        pytest.param(
            [replace(r, context_tags=frozenset({ContextTag.ILLNESS})) for r in normal_weeks()],
            SleepAgainstNormal.NO_NORMAL_YET,
            id="ill weeks",
        ),
    ],
)
def test_a_normal_needs_enough_nights_in_its_window(
    history: list[CheckIn], expected: SleepAgainstNormal
) -> None:
    ack = acknowledged(night(DAY), history)
    assert ack == Acknowledgement(DAY, ack.sleep_minutes, expected)


# z = (TST − 455) / 30: |z| < 0.5 about usual (the week's arrows' band), < 1.5 a little, from
# 1.5 on more or less.
@pytest.mark.parametrize(
    ("sol", "out_of_bed", "expected"),
    [
        pytest.param(29, time(7, 0), SleepAgainstNormal.ABOUT_USUAL, id="14 min less"),
        pytest.param(30, time(7, 0), SleepAgainstNormal.A_BIT_LESS, id="15 min less"),
        pytest.param(15, time(7, 15), SleepAgainstNormal.A_BIT_MORE, id="15 min more"),
        pytest.param(15, time(7, 44), SleepAgainstNormal.A_BIT_MORE, id="44 min more"),
        pytest.param(15, time(7, 45), SleepAgainstNormal.MUCH_MORE, id="45 min more"),
        pytest.param(60, time(7, 0), SleepAgainstNormal.MUCH_LESS, id="45 min less"),
    ],
)
def test_last_night_against_the_normal(
    sol: int, out_of_bed: time, expected: SleepAgainstNormal
) -> None:
    ack = acknowledged(night(DAY, sol=sol, out_of_bed=out_of_bed), normal_weeks())
    assert ack == Acknowledgement(DAY, ack.sleep_minutes, expected)


def test_the_sleep_is_the_nights_total_sleep_time() -> None:
    ack = acknowledgement([night(DAY, sol=25, out_of_bed=time(6, 45))], DAY)
    assert ack == Acknowledgement(DAY, 480 - 15 - 25 - 10, SleepAgainstNormal.NO_NORMAL_YET)


def test_no_record_that_day_says_nothing() -> None:
    assert acknowledgement(normal_weeks(), DAY) is None
