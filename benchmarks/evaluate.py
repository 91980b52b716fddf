"""How fast is the rule module? `python benchmarks/evaluate.py` prints the figures.

A plausible diary is generated (seeded, so every run measures the same data): a slowly
drifting strain level drives the answers, about one morning in eight is missed, and illness
weeks, travel, medication, night signals and dozing turn up now and then.

Measured:
- evaluate() for one date (the last), median of many runs, with 5 years and with 1 year of
  history before it — the two should be about equal (target ≤ 10 ms);
- evaluate_range() over every date of 5 years and of 1 year (target ≤ 5 s for 5 years).
"""

from __future__ import annotations

import random
import statistics
import sys
from collections.abc import Callable, Sequence
from datetime import date, time, timedelta
from time import perf_counter

from journal.domain.checkin import (
    REST_MINUTES_CHOICES,
    WALK_MINUTES_CHOICES,
    CheckIn,
    ContextTag,
    Dozed,
    NightSignal,
    RestType,
    Social,
    parse_checkin,
    to_raw,
)
from journal.domain.rules import Flag, State, evaluate, evaluate_range

SEED = 20260302
FIRST_DAY = date(2021, 3, 1)
ONE_DATE_RUNS = 201
ALL_DAYS_RUNS = 3
TARGET_ONE_DATE_MS = 10.0
TARGET_ALL_DAYS_5Y_S = 5.0


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _clock(minutes: int) -> time:
    minutes %= 1440
    return time(minutes // 60, minutes % 60)


def generate_diary(days: int, seed: int = SEED) -> list[CheckIn]:
    """`days` calendar days from FIRST_DAY; strain 0 (fine) … 1 (depleted) drifts slowly."""
    rng = random.Random(seed)
    strain = 0.3
    ill_left = 0
    records: list[CheckIn] = []
    for n in range(days):
        day = FIRST_DAY + timedelta(days=n)
        strain = min(1.0, max(0.0, strain + rng.gauss(0, 0.06) + (0.3 - strain) * 0.03))
        if ill_left == 0 and rng.random() < 0.01:
            ill_left = rng.randint(3, 7)
        ill = ill_left > 0
        ill_left = max(0, ill_left - 1)
        if rng.random() < 0.12:
            continue  # a missed morning
        records.append(_day(rng, day, strain, ill))
    return records


def _day(rng: random.Random, day: date, strain: float, ill: bool) -> CheckIn:
    def scale(good: float, bad: float, low: int, high: int, spread: float = 1.0) -> int:
        return _clamp(good + (bad - good) * strain + rng.gauss(0, spread), low, high)

    lights_out = 23 * 60 + _clamp(rng.gauss(0, 40), -120, 150)
    tib = _clamp(rng.gauss(480, 45), 300, 660)
    sol = _clamp(abs(rng.gauss(10 + 35 * strain, 12)), 0, 120)
    waso = _clamp(abs(rng.gauss(10 + 30 * strain, 12)), 0, 120)
    if sol + waso > tib - 60:
        sol, waso = 20, 20
    final_wake = None
    if rng.random() < 0.3:
        final_wake = _clock(lights_out + tib - rng.randint(0, 30))
    rest = rng.choice(REST_MINUTES_CHOICES)
    sleepiness = scale(3, 7, 1, 9)
    tags: set[ContextTag] = {ContextTag.ILLNESS} if ill else set()
    for tag, chance in (
        (ContextTag.ALCOHOL, 0.05),
        (ContextTag.TRAVEL_SHIFT, 0.03),
        (ContextTag.SLEEP_MEDICATION, 0.04),
        (ContextTag.PHYSICAL_COMPLAINTS, 0.04),
        (ContextTag.HEALTH_CONCERN, 0.003),
        (ContextTag.MEDICATION_CHANGE, 0.003),
    ):
        if rng.random() < chance:
            tags.add(tag)
    signals: set[NightSignal] = set()
    if rng.random() < 0.02:
        signals.add(rng.choice([NightSignal.BREATHING, NightSignal.LEGS]))
    dozed = None
    if sleepiness >= 7:
        dozed = rng.choices(list(Dozed), weights=(90, 8, 2, 0.2))[0]
    return CheckIn(
        date=day,
        lights_out_time=_clock(lights_out),
        sol_min=sol,
        waso_min=waso,
        final_wake_time=final_wake,
        out_of_bed_time=_clock(lights_out + tib),
        awakenings_n=rng.choice([None, 0, 1, 2, 3]),
        refreshed=scale(3, 1, 0, 4, 0.6),
        sleep_quality=rng.choice([None, 2, 3, 4]),
        morning_energy=scale(7, 3, 0, 10),
        startup_effort=scale(3, 7, 0, 10),
        tension_now=None,
        day_load=scale(4, 7, 0, 10, 1.5),
        rest_minutes=rest,
        rest_types=frozenset({rng.choice(list(RestType))}) if rest else frozenset(),
        rest_recharged=scale(3, 1, 0, 4, 0.7) if rest else None,
        letting_go=scale(7, 3, 0, 10),
        bedtime_tension=scale(3, 7, 0, 10),
        sleepiness_peak=sleepiness,
        dozed_unintended=dozed,
        social_contact=rng.choice(list(Social)),
        support_felt=rng.choice([None, 1, 2, 3, 4]),
        walk_outside_min=rng.choice(WALK_MINUTES_CHOICES),
        movement_intensity=None,
        context_tags=frozenset(tags),
        night_signals=frozenset(signals),
    )


def _median_seconds(run: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = perf_counter()
        run()
        timings.append(perf_counter() - start)
    return statistics.median(timings)


def _history(records: Sequence[CheckIn], last: date, years: int) -> list[CheckIn]:
    first = last - timedelta(days=365 * years)
    return [r for r in records if first < r.date <= last]


def main() -> int:
    diary = generate_diary(5 * 365 + 1)
    for record in diary:  # the generator must only produce what the form would accept
        parsed = parse_checkin(to_raw(record), on=record.date)
        assert parsed.checkin == record, (record.date, parsed.errors)
    last = diary[-1].date
    five, one = _history(diary, last, 5), _history(diary, last, 1)
    shuffled = random.Random(SEED).sample(five, len(five))

    one_5y = _median_seconds(lambda: evaluate(five, last), ONE_DATE_RUNS) * 1000
    one_5y_shuffled = _median_seconds(lambda: evaluate(shuffled, last), ONE_DATE_RUNS) * 1000
    one_1y = _median_seconds(lambda: evaluate(one, last), ONE_DATE_RUNS) * 1000
    all_5y = _median_seconds(lambda: evaluate_range(five, five[0].date, last), ALL_DAYS_RUNS)
    all_1y = _median_seconds(lambda: evaluate_range(one, one[0].date, last), ALL_DAYS_RUNS)

    results = evaluate_range(five, five[0].date, last)
    active_days = {
        flag: sum(
            1
            for per_day in results.values()
            for r in per_day
            if r.flag is flag and r.state is State.ACTIVE
        )
        for flag in Flag
    }

    print(
        f"diary: {len(five)} check-ins over {len(results)} days (5 years), "
        f"{len(one)} over 1 year; seed {SEED}"
    )
    print(
        "days active per flag (5 years): "
        + ", ".join(f"{flag.name} {count}" for flag, count in active_days.items())
    )
    print(
        f"evaluate, one date, 5 years of history:   {one_5y:6.2f} ms (median of "
        f"{ONE_DATE_RUNS}; target ≤ {TARGET_ONE_DATE_MS:.0f} ms)"
    )
    print(f"evaluate, one date, 5 years, unsorted:    {one_5y_shuffled:6.2f} ms")
    print(
        f"evaluate, one date, 1 year of history:    {one_1y:6.2f} ms "
        f"(5y/1y = {one_5y / one_1y:.2f})"
    )
    print(
        f"evaluate_range, all days of 5 years:      {all_5y:6.2f} s (median of "
        f"{ALL_DAYS_RUNS}; target ≤ {TARGET_ALL_DAYS_5Y_S:.0f} s)"
    )
    print(f"evaluate_range, all days of 1 year:       {all_1y:6.2f} s")

    ok = max(one_5y, one_5y_shuffled, one_1y) <= TARGET_ONE_DATE_MS
    ok = ok and all_5y <= TARGET_ALL_DAYS_5Y_S
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
