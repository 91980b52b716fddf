"""DOMAIN C.2 REST_NO_RECOVERY: seed 004's chain that blocks recovery.

Rest is taken (R0), yet mornings stay unrecovered (L4), with more links of the chain present:
load without enough recovery (L1), ongoing activation (L2), less able to let go (L3) and more
effort to function (L5). The chain's history-free part is memoised on the Diary, because
CARRYING_ALONE and SIGNPOST_LOOK_FURTHER read it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from journal.domain.metrics import Metric, rest_day, rest_without_recharge, strained_day
from journal.domain.rules.diary import Diary, active_if, count, days
from journal.domain.rules.model import Flag, FlagResult, Level, Link, Numbers, State
from journal.domain.rules.parameters import (
    CHAIN_ADVERSE_DAYS,
    CHAIN_ALL_LINKS,
    CHAIN_ATTENTION_LINKS,
    CHAIN_MIN_LINKS,
    CHAIN_REST_DAYS,
    CHAIN_STRAINED_DAYS,
    CHAIN_UNRECHARGED_DAYS,
    MIN_VALID_7,
    MIN_VALID_14,
)

# The links k counts: every link but the precondition R0 and the core link L4.
_COUNTED_LINKS = (Link.L1, Link.L2, Link.L3, Link.L5)


@dataclass(frozen=True, slots=True)
class Chain:
    state: State  # without the level's look-back
    links: Mapping[Link, bool | None]
    k: int
    rest_days: int
    unrecovered_days: int


def chain(diary: Diary, day: date) -> Chain:
    return diary.memo("chain", None, day, lambda: _compute_chain(diary, day))


def _compute_chain(diary: Diary, day: date) -> Chain:
    w7 = diary.valid_in(day, 7)
    w14 = diary.valid_in(day, 14)
    w7_ok = len(w7) >= MIN_VALID_7
    unrecovered_days = count(w7, diary.unrecovered)
    rest_days = count(w7, rest_day)

    def in_w7(holds: bool) -> bool | None:
        # C.14.5: a link is unknown only when its own window is short of data.
        return holds if w7_ok else None

    links: dict[Link, bool | None] = {
        Link.R0: in_w7(rest_days >= CHAIN_REST_DAYS),
        Link.L1: (
            count(w14, strained_day) >= CHAIN_STRAINED_DAYS if len(w14) >= MIN_VALID_14 else None
        ),
        Link.L2: in_w7(
            count(w7, lambda r: diary.adverse(Metric.BEDTIME_TENSION, r)) >= CHAIN_ADVERSE_DAYS
        ),
        Link.L3: in_w7(
            count(w7, lambda r: diary.adverse(Metric.LETTING_GO, r)) >= CHAIN_ADVERSE_DAYS
            or count(w7, rest_without_recharge) >= CHAIN_UNRECHARGED_DAYS
        ),
        Link.L4: in_w7(unrecovered_days >= CHAIN_ADVERSE_DAYS),
        Link.L5: in_w7(
            count(w7, lambda r: diary.adverse(Metric.STARTUP_EFFORT, r)) >= CHAIN_ADVERSE_DAYS
        ),
    }
    k = sum(1 for link in _COUNTED_LINKS if links[link])
    if diary.warming_up(day) or not w7_ok:
        state = State.INSUFFICIENT
    else:
        state = active_if(bool(links[Link.R0] and links[Link.L4]) and k >= CHAIN_MIN_LINKS)
    return Chain(state, links, k, rest_days, unrecovered_days)


def chain_level(diary: Diary, day: date) -> Level | None:
    """The chain's level on `day`; its only look-back (D−7) uses the history-free part."""
    today = chain(diary, day)
    if today.state is not State.ACTIVE:
        return None
    if today.k < CHAIN_ATTENTION_LINKS:
        return Level.NOTICE
    if today.k == CHAIN_ALL_LINKS:
        before = chain(diary, day - days(7))
        # "Level ≥ 2 on D−7" is k ≥ 3 there; it never needs D−14 (C.14.11).
        if before.state is State.ACTIVE and before.k >= CHAIN_ATTENTION_LINKS:
            return Level.PERSISTENT
    return Level.ATTENTION


def rest_no_recovery(diary: Diary, day: date) -> FlagResult:
    """Rest is taken (R0) yet mornings stay unrecovered (L4), with at least two more links of
    seed 004's chain present. Notice for two links, attention for three, or four without
    persistence; persistent when all four hold and the chain was at attention or higher a week
    ago. The links are reported on every date, also when the flag itself cannot be judged."""
    today = chain(diary, day)
    level = chain_level(diary, day)
    numbers: Numbers = (
        {}
        if today.state is State.INSUFFICIENT
        else {
            "rest_days": today.rest_days,
            "unrecovered_days": today.unrecovered_days,
            "links_present": today.k,
        }
    )
    return FlagResult(Flag.REST_NO_RECOVERY, today.state, level, (), today.links, numbers)
