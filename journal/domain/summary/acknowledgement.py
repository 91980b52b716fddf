"""The one line home says after a morning's check-in is saved (issue 19).

It tells the person back one thing they just told: the night's sleep, set against their own
normal where there is one. It is a mirror, not a verdict: no flag, no score, no "too little".
The normal is the B.3 baseline of total sleep time (the median of the reference window
D−34 … D−7, and its robust spread S), the same one the rules and the week's figures use; a
person with fewer than BASE_MIN_N nights in that window has no normal yet, and hears only
the night itself.

The comparison words follow the robust z of the night against that baseline:
|z| < 0.5 is "about as usual" (the week's arrows call the same band "→", G.3), 0.5 ≤ |z| < 1.5
is "a little more/less", and beyond that "more/less than usual".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Final

from journal.domain.checkin import CheckIn
from journal.domain.metrics import Metric, baseline, robust_z, total_sleep_time
from journal.domain.summary.figures import ARROW_Z

ABOUT_USUAL_Z: Final = ARROW_Z  # the band the week's arrows call "→" (G.3)
CLEARLY_Z: Final = Fraction(3, 2)


class SleepAgainstNormal(StrEnum):
    NO_NORMAL_YET = "no_normal_yet"
    MUCH_LESS = "much_less"
    A_BIT_LESS = "a_bit_less"
    ABOUT_USUAL = "about_usual"
    A_BIT_MORE = "a_bit_more"
    MUCH_MORE = "much_more"


@dataclass(frozen=True)
class Acknowledgement:
    day: date  # the record's date: its night is the one before this morning
    sleep_minutes: int
    against_normal: SleepAgainstNormal


def _compare(z: Fraction) -> SleepAgainstNormal:
    if abs(z) < ABOUT_USUAL_Z:
        return SleepAgainstNormal.ABOUT_USUAL
    if z >= CLEARLY_Z:
        return SleepAgainstNormal.MUCH_MORE
    if z <= -CLEARLY_Z:
        return SleepAgainstNormal.MUCH_LESS
    return SleepAgainstNormal.A_BIT_MORE if z > 0 else SleepAgainstNormal.A_BIT_LESS


def acknowledgement(records: Iterable[CheckIn], day: date) -> Acknowledgement | None:
    """The line for the record of `day`, or None when there is no record that day.

    `records` must hold the day's record and the nights of its reference window (B.3); any
    others are ignored.
    """
    history = list(records)
    record = next((r for r in history if r.date == day), None)
    if record is None:
        return None
    minutes = total_sleep_time(record)
    normal = baseline(history, Metric.TST, day)
    if normal is None:
        return Acknowledgement(day, minutes, SleepAgainstNormal.NO_NORMAL_YET)
    return Acknowledgement(day, minutes, _compare(robust_z(minutes, normal)))
