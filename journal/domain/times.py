"""Times of day in the check-in: HH:MM text (A.2) and minutes across midnight (B.1).

A night runs past midnight, so every span between two clock times wraps at 24 hours.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Final

_TIME_RE: Final = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::00)?$")


def minutes_of(t: time) -> int:
    return t.hour * 60 + t.minute


def time_in_bed(lights_out: time, out_of_bed: time) -> int:
    """Minutes from lights-out to getting up, wrapping past midnight (B.1)."""
    return (minutes_of(out_of_bed) - minutes_of(lights_out)) % 1440


def terminal_wake(final_wake: time | None, out_of_bed: time) -> int:
    """Minutes awake in bed after the final awakening; 0 when that time was not given (B.1)."""
    if final_wake is None:
        return 0
    return (minutes_of(out_of_bed) - minutes_of(final_wake)) % 1440


def format_time(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def parse_time(text: str) -> time | None:
    """HH:MM (24 h); a trailing ':00' from some browsers' time inputs is accepted."""
    match = _TIME_RE.match(text.strip())
    if match is None:
        return None
    return time(int(match.group(1)), int(match.group(2)))
