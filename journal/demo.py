"""A lived-in diary for the demo account: 8 weeks with gaps and a stretch of rest without recovery.

Built from a seeded random generator and handed `today`, so the same day gives the same diary.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from journal.domain.checkin import CheckIn, parse_checkin

DEMO_DAYS = 56
# Days (counted back from today) on which the demo person did not check in.
MISSING = frozenset({3, 11, 12, 25, 40, 47})
# Three weeks up to two days ago show the chain: rest taken, but it does not recharge; the
# last days pick up again, so the demo shows both a concern and a positive card.
STRAINED = range(2, 23)


def _clamp(value: float, low: int, high: int) -> str:
    return str(max(low, min(high, round(value))))


def demo_diary(today: date, seed: int = 7) -> list[CheckIn]:
    rng = random.Random(seed)
    records = []
    for back in range(DEMO_DAYS - 1, -1, -1):
        day = today - timedelta(days=back)
        if back in MISSING:
            continue
        strained = back in STRAINED
        recovering = back < 14
        energy = rng.gauss(3 if strained else (6 if recovering else 6.5), 0.8)
        rest = rng.choice((60, 90, 120)) if strained else rng.choice((15, 30, 30, 60))
        raw: dict[str, str | list[str]] = {
            "lights_out_time": rng.choice(("22:45", "23:00", "23:15", "23:30", "00:10")),
            "sol_min": str(rng.choice((45, 60, 30)) if strained else rng.choice((10, 15, 20))),
            "waso_min": str(rng.choice((30, 45, 20)) if strained else rng.choice((5, 10, 15))),
            "out_of_bed_time": rng.choice(("06:50", "07:00", "07:15", "07:30")),
            "refreshed": _clamp(rng.gauss(1 if strained else 3, 0.6), 0, 4),
            "morning_energy": _clamp(energy, 0, 10),
            "startup_effort": _clamp(rng.gauss(8 if strained else 4, 0.8), 0, 10),
            "day_load": _clamp(rng.gauss(7 if strained else 5, 1), 0, 10),
            "rest_minutes": str(rest),
            "rest_types": rng.sample(("screen", "passive", "nap", "quiet_activity"), 2)
            if strained
            else ["quiet_activity", "outdoors"],
            "rest_recharged": _clamp(rng.gauss(0.7 if strained else 3, 0.5), 0, 4),
            "letting_go": _clamp(rng.gauss(3 if strained else 7, 0.8), 0, 10),
            "bedtime_tension": _clamp(rng.gauss(7.5 if strained else 3, 0.8), 0, 10),
            "sleepiness_peak": _clamp(rng.gauss(5, 1), 1, 6),
            "social_contact": rng.choice(("brief", "none")) if strained else "meaningful",
            "support_felt": _clamp(rng.gauss(1.5 if strained else 3, 0.6), 0, 4),
            "walk_outside_min": str(
                rng.choice((0, 0, 10)) if strained else rng.choice((20, 30, 45))
            ),
            "movement_intensity": "calm",
        }
        if back == 20:
            raw["note"] = "Lang op de bank gelegen, maar mijn hoofd bleef malen."
        result = parse_checkin(raw, on=day, backfilled=back == 5, strict=False)
        if result.checkin is None:  # pragma: no cover - the generator only makes valid days
            raise ValueError(f"demo day {day} is invalid: {dict(result.errors)}")
        records.append(result.checkin)
    return records
