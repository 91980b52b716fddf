"""DOMAIN D.1 items 9–10: what stood out this week and what may have helped.

What stood out reads the flags on the week's last evaluated day. What may have helped compares
mornings: a record's yesterday-fields (walk, contact, rest) describe the day before its date,
and the same record's RI is the morning after that day, so "the next-morning RI after a walk"
is the RI of the very record that reports the walk; no pairing of records across dates is
needed, and a missing day cannot pair the wrong morning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Final

from journal.domain.checkin import CheckIn, Social
from journal.domain.lifecycle import by_priority
from journal.domain.metrics import is_valid, recharged, recovery_index, rest_day
from journal.domain.rules import Flag, FlagResult
from journal.domain.summary.model import Factor, Helped, StoodOut

MAX_STOOD_OUT: Final = 3
WALK_HELPED_FROM: Final = 20  # D.1 item 10: a walk that may have helped
HELPED_MIN_MORNINGS: Final = 2  # each side of a comparison
HELPED_MIN_DIFFERENCE: Final = 5  # RI points


def stood_out(results: Sequence[FlagResult]) -> tuple[StoodOut, ...]:
    """At most three active flags, signposts first by priority, IMPROVING last; the chain and
    the early signs merge into one item as on the cards (C.12)."""
    active = by_priority(results)
    flags = {r.flag for r in active}
    merge = Flag.REST_NO_RECOVERY in flags and Flag.EARLY_SIGNS in flags
    early = next((r.reasons for r in active if r.flag is Flag.EARLY_SIGNS), ())
    items = [
        StoodOut(
            r.flag,
            r.level,
            r.reasons,
            r.numbers,
            r.links,
            early if merge and r.flag is Flag.REST_NO_RECOVERY else (),
        )
        for r in active
        # Both chain flags active: one item, the chain, with the early signs inside (C.12).
        if not (merge and r.flag is Flag.EARLY_SIGNS)
    ]
    return tuple(items[:MAX_STOOD_OUT])


_FACTORS: Final[dict[Factor, Callable[[CheckIn], bool]]] = {
    Factor.WALK: lambda r: r.walk_outside_min >= WALK_HELPED_FROM,
    Factor.CONTACT: lambda r: r.social_contact is Social.MEANINGFUL,
    Factor.RECHARGING_REST: lambda r: rest_day(r) and recharged(r),
}


def helped(week: Sequence[CheckIn]) -> tuple[Helped, ...]:
    """The factors whose mornings were at least HELPED_MIN_DIFFERENCE RI points *higher*, with
    at least HELPED_MIN_MORNINGS mornings on each side; a factor that went with lower mornings
    is not listed. Illness-tagged mornings are left out: a flu morning would otherwise read as
    "no walk, low recovery"."""
    mornings = [r for r in week if is_valid(r)]
    found = []
    for factor, holds in _FACTORS.items():
        with_ri = [recovery_index(r) for r in mornings if holds(r)]
        without_ri = [recovery_index(r) for r in mornings if not holds(r)]
        if len(with_ri) < HELPED_MIN_MORNINGS or len(without_ri) < HELPED_MIN_MORNINGS:
            continue
        with_mean = Fraction(sum(with_ri, Fraction(0)), len(with_ri))
        without_mean = Fraction(sum(without_ri, Fraction(0)), len(without_ri))
        if with_mean - without_mean >= HELPED_MIN_DIFFERENCE:
            found.append(Helped(factor, with_mean, without_mean, len(with_ri), len(without_ri)))
    return tuple(found)
