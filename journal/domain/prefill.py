"""DOMAIN A.4: the form's time fields prefilled from the person's recent nights."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from journal.domain.checkin import CheckIn
from journal.domain.times import minutes_of

PREFILL_WINDOW: Final = 7
# Lights-out clusters around midnight, so its median is taken on a clock that starts at noon
# (23:30 and 00:30 average to midnight, not to noon); getting up uses midnight. The optional
# final wake time is not prefilled: an untouched optional field must stay unanswered.
_PREFILL_ANCHORS: Final = {"lights_out_time": 720, "out_of_bed_time": 0}


def prefill_times(recent: Sequence[CheckIn]) -> dict[str, str]:
    """Median of each time field over the last 7 entries (A.4), as HH:MM; absent when unknown."""
    latest = sorted(recent, key=lambda c: c.date)[-PREFILL_WINDOW:]
    prefill: dict[str, str] = {}
    for name, anchor in _PREFILL_ANCHORS.items():
        shifted = sorted(
            (minutes_of(t) - anchor) % 1440
            for t in (getattr(c, name) for c in latest)
            if t is not None
        )
        if not shifted:
            continue
        middle = len(shifted) // 2
        if len(shifted) % 2:
            median = shifted[middle]
        else:
            # Mean of the two middle values (C.14.2), rounded half up to a whole minute.
            median = (shifted[middle - 1] + shifted[middle] + 1) // 2
        minutes = (median + anchor) % 1440
        prefill[name] = f"{minutes // 60:02d}:{minutes % 60:02d}"
    return prefill
