"""The DOMAIN part E default day as raw answers, as a form or CSV row would hold them."""

from __future__ import annotations

DEFAULT_DAY: dict[str, str | list[str]] = {
    "lights_out_time": "23:00",
    "sol_min": "15",
    "waso_min": "10",
    "out_of_bed_time": "07:00",
    "refreshed": "3",
    "morning_energy": "7",
    "startup_effort": "3",
    "day_load": "5",
    "rest_minutes": "30",
    "rest_types": ["quiet_activity"],
    "rest_recharged": "3",
    "letting_go": "7",
    "bedtime_tension": "3",
    "sleepiness_peak": "4",
    "social_contact": "meaningful",
    "support_felt": "3",
    "walk_outside_min": "30",
}


def day(**changes: str | list[str]) -> dict[str, str | list[str]]:
    answers = dict(DEFAULT_DAY)
    answers.update(changes)
    return answers
