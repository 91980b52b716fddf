"""DOMAIN C.1 and the per-date work every rule of part C shares.

The adverse-day predicate of C.1, and the :class:`Diary`: the records sorted once, windows cut
with bisect, and the windows, baselines, adverse tests and each flag's history-free state
memoised per date, so the look-backs of C.14.11 cost a lookup instead of a recursion.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import TypeVar

from journal.domain.checkin import CheckIn
from journal.domain.metrics import (
    Baseline,
    Metric,
    baseline_of,
    is_valid,
    reference_window,
    scaled_value,
)
from journal.domain.rules.model import Numbers, Reason, State
from journal.domain.rules.parameters import ADVERSE, MIN_VALID_7, WARM_UP_DAYS

_T = TypeVar("_T")


def adverse(metric: Metric, value: int, base: Baseline | None) -> bool:
    """Beyond the absolute limit, or drifted from one's own normal by Δ = max(δ, S) and past the
    floor. The absolute arm catches a poor "normal", the relative arm catches drift. Inclusive
    at every bound, as in the C.1 example (baseline 7, S 1 → adverse at ≤ 5)."""
    rule = ADVERSE[metric]
    if rule.higher_is_better:
        if value <= rule.absolute:
            return True
        return (
            base is not None
            and value <= base.median - max(Fraction(rule.delta), base.spread)
            and value <= rule.floor
        )
    if value >= rule.absolute:
        return True
    return (
        base is not None
        and value >= base.median + max(Fraction(rule.delta), base.spread)
        and value >= rule.floor
    )


def days(n: int) -> timedelta:
    return timedelta(days=n)


def count(records: Iterable[CheckIn], test: Callable[[CheckIn], bool]) -> int:
    return sum(1 for r in records if test(r))


@dataclass(frozen=True, slots=True)
class Core:
    """A flag's state and reasons on one date, before any look-back at earlier dates."""

    state: State
    reasons: tuple[Reason, ...] = ()
    numbers: Numbers | None = None


class Diary:
    """Records sorted by date, with the per-date work every rule shares memoised.

    The flag functions take a Diary and a date. Build one with
    :func:`~journal.domain.rules.evaluate.diary_of` to ask several flags or dates about the same
    records; :func:`~journal.domain.rules.evaluate.evaluate` builds its own.
    Records must have distinct dates.
    """

    def __init__(self, ordered: Sequence[CheckIn], first: date | None) -> None:
        self.records = ordered
        self.dates = [r.date for r in ordered]
        self.first = first
        self._memo: dict[tuple[str, object, date], object] = {}

    def memo(self, key: str, arg: object, day: date, compute: Callable[[], _T]) -> _T:
        slot = (key, arg, day)
        if slot in self._memo:
            return self._memo[slot]  # type: ignore[return-value]
        value = compute()
        self._memo[slot] = value
        return value

    def between(self, first: date, last: date) -> Sequence[CheckIn]:
        return self.records[bisect_left(self.dates, first) : bisect_right(self.dates, last)]

    def all_in(self, last: date, days: int) -> Sequence[CheckIn]:
        """Every record (illness included) in the `days`-day window ending on `last`."""
        return self.between(last - timedelta(days=days - 1), last)

    def valid_in(self, last: date, days: int) -> Sequence[CheckIn]:
        """The valid records (B.4) in the `days`-day window ending on `last`."""
        return self.memo(
            "valid", days, last, lambda: [r for r in self.all_in(last, days) if is_valid(r)]
        )

    def warming_up(self, day: date) -> bool:
        return self.first is None or (day - self.first).days < WARM_UP_DAYS

    def baseline(self, metric: Metric, day: date) -> Baseline | None:
        return self.memo(
            "baseline",
            metric,
            day,
            lambda: baseline_of(self.between(*reference_window(day)), metric),
        )

    def adverse(self, metric: Metric, record: CheckIn) -> bool:
        """C.1 for one record, judged against the baseline of the record's own date."""
        return self.memo(
            "adverse",
            metric,
            record.date,
            lambda: adverse(
                metric, scaled_value(record, metric), self.baseline(metric, record.date)
            ),
        )

    def unrecovered(self, record: CheckIn) -> bool:
        """The L4 morning: sleep did not recharge and/or energy stayed low; counted once."""
        return self.adverse(Metric.REFRESHED, record) or self.adverse(Metric.MORNING_ENERGY, record)


def gate(diary: Diary, day: date) -> bool:
    """The common entry test of C.3–C.7: past warm-up and ≥ MIN_VALID_7 valid records in W7."""
    return not diary.warming_up(day) and len(diary.valid_in(day, 7)) >= MIN_VALID_7


def active_if(holds: bool) -> State:
    return State.ACTIVE if holds else State.INACTIVE
