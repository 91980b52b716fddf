"""DOMAIN D.2's flag timeline, chain-link matrix and signpost episodes.

Signposts are told as episodes (onset to resolved, or still going) that were active on at
least one day of the period, with the union of their reasons and the dismissals made during
the episode.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Final

from journal.domain.coach.model import Cell, ChainRow, Lane, SignpostEpisode, Timeline
from journal.domain.lifecycle import PRIORITY, Dismissal, Event, EventKind
from journal.domain.rules import Flag, FlagResult, Link, Reason, State

TIMELINE_DAYS: Final = 28  # D.2: the flag timeline covers the last 4 weeks

# Reason ids in the order the spec lists them, for the union over a signpost's episode.
REASON_ORDER: Final[Mapping[Flag, tuple[Reason, ...]]] = {
    Flag.SIGNPOST_LOOK_FURTHER: (Reason.CHAIN_PERSISTENT, Reason.EARLY_SIGNS_3W),
    Flag.SIGNPOST_DOCTOR: (
        Reason.SLEEPINESS,
        Reason.SLEEP_DISORDER_SIGNS,
        Reason.MEDICATION,
        Reason.MEDICAL,
    ),
}

_DAY: Final = timedelta(days=1)


def timeline_of(
    results: Mapping[date, Sequence[FlagResult]], found: Sequence[Event], days: Sequence[date]
) -> Timeline:
    """The lanes of the flags active on any of `days`, the events on them and the chain."""

    def on(day: date, flag: Flag) -> FlagResult:
        return next(r for r in results[day] if r.flag is flag)

    shown = set(days)
    lanes = []
    for flag in (*PRIORITY, Flag.IMPROVING):
        cells = tuple(Cell(on(d, flag).state, on(d, flag).level) for d in days)
        if any(c.state is State.ACTIVE for c in cells):
            lanes.append(Lane(flag, cells))
    chain = tuple(
        ChainRow(link, tuple(on(d, Flag.REST_NO_RECOVERY).links.get(link) for d in days))
        for link in Link
    )
    return Timeline(
        days=tuple(days),
        events=tuple(e for e in found if e.day in shown),
        lanes=tuple(lanes),
        chain=chain,
    )


def signpost_episodes(
    results: Mapping[date, Sequence[FlagResult]],
    found: Sequence[Event],
    dismissals: Iterable[Dismissal],
    period_first: date,
    last_day: date,
) -> tuple[SignpostEpisode, ...]:
    """The signposts' episodes that were active on a day of the period, by first active day."""
    episodes: list[SignpostEpisode] = []
    dismissed = sorted(dismissals, key=lambda d: d.day)
    days = sorted(results)
    for flag in (Flag.SIGNPOST_DOCTOR, Flag.SIGNPOST_LOOK_FURTHER):
        onsets = [e.day for e in found if e.flag is flag and e.kind is EventKind.ONSET]
        resolutions = [e.day for e in found if e.flag is flag and e.kind is EventKind.RESOLVED]
        now_active = next(r for r in results[last_day] if r.flag is flag).active
        end: date | None = None
        for onset in onsets:
            if end is not None and onset <= end:
                continue  # active again before it resolved: the same episode goes on (C.12)
            resolved = next((day for day in resolutions if day > onset), None)
            end = resolved if resolved is not None else last_day
            active = [
                (day, result)
                for day in days
                if onset <= day <= end and day >= period_first
                for result in results[day]
                if result.flag is flag and result.active
            ]
            if not active:
                continue  # the episode lies wholly before the period
            seen = {reason for _, result in active for reason in result.reasons}
            episodes.append(
                SignpostEpisode(
                    flag=flag,
                    onset=onset,
                    resolved=resolved,
                    first_active=active[0][0],
                    last_active=active[-1][0],
                    active_now=resolved is None and now_active,
                    reasons=tuple(r for r in REASON_ORDER[flag] if r in seen),
                    while_driving=any(bool(r.numbers.get("while_driving")) for _, r in active),
                    dismissals=tuple(
                        d for d in dismissed if d.flag is flag and onset <= d.day <= end
                    ),
                )
            )
    return tuple(
        sorted(episodes, key=lambda e: (e.first_active, e.flag is not Flag.SIGNPOST_DOCTOR))
    )


def empty_results(first: date, last: date) -> dict[date, list[FlagResult]]:
    """What evaluate_range would say about a diary without records: nothing can be judged."""
    out: dict[date, list[FlagResult]] = {}
    day = first
    while day <= last:
        out[day] = [
            FlagResult(
                flag,
                State.INACTIVE if flag is Flag.SIGNPOST_DOCTOR else State.INSUFFICIENT,
                None,
                (),
                dict.fromkeys(Link) if flag is Flag.REST_NO_RECOVERY else {},
                {},
            )
            for flag in Flag
        ]
        day += _DAY
    return out
