"""What the map's figures say: "wie kan ik bellen?", counts per ring and kind of help, contact
days by ring in a week, and when the map is worth a second look.

Every rule takes what it needs (and `today`) as arguments: no clock, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from journal.domain.people.model import INNER_RINGS, HelpKind, Person, Reach, Ring

CALL_PICKS_MAX: Final = 3
# People who listen or help practically are the ones to call when it is heavy; someone who
# only gives advice or company is still on the map, just not suggested here.
CALL_HELPS: Final = frozenset({HelpKind.LISTENING, HelpKind.PRACTICAL})
CALL_REACH: Final = (Reach.OFTEN, Reach.SOMETIMES)
# About three months: the card "Klopt je kaart nog?" after this many days without a change.
REVISIT_AFTER: Final = timedelta(days=91)


class Ask(StrEnum):
    """One small concrete thing to ask someone; the web layer words it."""

    LISTEN = "listen"  # ten minutes to tell your story, no advice needed
    TASK = "task"  # one small task off your plate
    TOGETHER = "together"  # a short walk or a coffee together


# The asks a kind of help invites, most fitting first; listening before practical help, as
# being heard is the smallest thing to ask for.
_ASKS: Final = {
    HelpKind.LISTENING: (Ask.LISTEN, Ask.TOGETHER),
    HelpKind.PRACTICAL: (Ask.TASK,),
    HelpKind.COMPANY: (Ask.TOGETHER,),
}


@dataclass(frozen=True)
class CallPick:
    person: Person
    ask: Ask


def who_to_call(people: Iterable[Person]) -> list[CallPick]:
    """Two or three people to call now: reachable often or sometimes, who listen or help
    practically; inner rings first, then "often" before "sometimes", then by name. Each with
    one ask, a different one for each person where their kinds of help allow it."""
    fit = [p for p in people if p.reach in CALL_REACH and p.helps & CALL_HELPS]
    fit.sort(key=lambda p: (p.ring or len(Ring) + 1, CALL_REACH.index(p.reach), p.name.lower()))
    picks: list[CallPick] = []
    used: set[Ask] = set()
    for person in fit[:CALL_PICKS_MAX]:
        options = [ask for kind, asks in _ASKS.items() if kind in person.helps for ask in asks]
        ask = next((a for a in options if a not in used), options[0])
        used.add(ask)
        picks.append(CallPick(person, ask))
    return picks


@dataclass(frozen=True)
class Counts:
    """How many people per ring and per kind of help: what a coach may see, never who."""

    people: int
    by_ring: dict[Ring, int]
    unplaced: int  # not (yet) in a ring
    by_help: dict[HelpKind, int]


def counts(people: Sequence[Person]) -> Counts:
    return Counts(
        people=len(people),
        by_ring={ring: sum(1 for p in people if p.ring is ring) for ring in Ring},
        unplaced=sum(1 for p in people if p.ring is None),
        by_help={kind: sum(1 for p in people if kind in p.helps) for kind in HelpKind},
    )


@dataclass(frozen=True)
class ContactDay:
    """One check-in: whether it said "ja, echt contact", and the rings of who it was with."""

    date: date
    meaningful: bool
    rings: frozenset[Ring] = frozenset()


@dataclass(frozen=True)
class ContactByRing:
    days: int  # days with real contact (the week page's own count)
    closest: int  # of those, days with someone of the innermost circle
    close: int  # of those, days with someone of the second circle
    tagged: int  # of those, days on which the person said who with


def contact_by_ring(days: Iterable[ContactDay], first: date, last: date) -> ContactByRing:
    """Contact days from `first` to `last` (inclusive) by ring. Only days with real contact
    count, as on the week page; a day with people of both inner circles counts for each."""
    real = [d for d in days if first <= d.date <= last and d.meaningful]
    return ContactByRing(
        days=len(real),
        closest=sum(1 for d in real if Ring.CLOSEST in d.rings),
        close=sum(1 for d in real if Ring.CLOSE in d.rings),
        tagged=sum(1 for d in real if d.rings & INNER_RINGS),
    )


def revisit_due(updated_on: date | None, dismissed_on: date | None, today: date) -> bool:
    """The card "Klopt je kaart nog?": about three months after the map last changed, or after the
    card was last put away, whichever is later. No map yet, no card."""
    if updated_on is None:
        return False
    since = max(updated_on, dismissed_on) if dismissed_on else updated_on
    return today - since >= REVISIT_AFTER
