"""DOMAIN C.12: from stored daily flag states to events, and from events to the day's cards.

Pure functions over plain data. The web layer stores one :class:`DayState` per flag and date
(what :func:`journal.domain.rules.evaluate` returned) and one :class:`Dismissal` per signpost
the person closed, and asks:

- :func:`events` — onset, escalation and resolved events, for timelines and the coach view;
- :func:`cards_for_day` — which cards to show today: new concern cards (at most two, by
  priority, the chain and early signs merged into one), the pinned signposts, and at most one
  positive card.

Precedence when cards disagree in tone (issue 18). A signpost ("looking further could help",
"worth discussing with your GP") and IMPROVING ("something is shifting") can hold on the same
day: rest and sleep can refresh less than they used to over weeks while this week's mornings
are better than last week's. Two cards in opposite tones, one above the other, read as a
contradiction, so they become one card that holds both truths:

==================  ===================  ==================================================
signpost shown      IMPROVING active     cards
==================  ===================  ==================================================
yes                 yes (any day)        the signpost card, carrying IMPROVING's reasons
                                         (:attr:`Card.also_improving`); no positive card
yes                 no                   the signpost card
no (none active,    yes, onset today     IMPROVING's own card, beside any concern cards
or dismissed)                            (C.10: "something is moving, even though…")
==================  ===================  ==================================================

With two signposts, the first in priority carries it (:func:`improvement_host`). The same
order decides the Patronen page, which lists every active flag.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Final

from journal.domain.rules import (
    RESOLVE_DAYS,
    Flag,
    FlagResult,
    Level,
    Links,
    Numbers,
    Reason,
    State,
)

# C.12 priority, highest first. IMPROVING is not in it: it has a slot of its own.
PRIORITY: Final = (
    Flag.SIGNPOST_DOCTOR,
    Flag.SIGNPOST_LOOK_FURTHER,
    Flag.REST_NO_RECOVERY,
    Flag.EARLY_SIGNS,
    Flag.NO_ROOM_TO_RECOVER,
    Flag.SLEEP_DISRUPTED,
    Flag.CARRYING_ALONE,
    Flag.LITTLE_OUTDOOR_MOVEMENT,
    Flag.CHECKIN_GAP,
)
POSITIVE: Final = frozenset({Flag.IMPROVING})
SIGNPOSTS: Final = frozenset({Flag.SIGNPOST_DOCTOR, Flag.SIGNPOST_LOOK_FURTHER})
MAX_NEW_CONCERN_CARDS: Final = 2
MAX_POSITIVE_CARDS: Final = 1
REASON_SUPPRESS_DAYS: Final = 28  # a dismissal with a reason hides that reason this long
RESHOW_AFTER_DAYS: Final = 14  # a plain dismissal hides a still-active signpost this long

_RANK: Final[Mapping[Flag, int]] = {flag: rank for rank, flag in enumerate(PRIORITY)}


def priority_rank(flag: Flag) -> int:
    """Position in the C.12 priority (0 = most important); IMPROVING sorts last."""
    return _RANK.get(flag, len(PRIORITY))


def by_priority(results: Iterable[FlagResult]) -> list[FlagResult]:
    """The active results in C.12 priority order, IMPROVING last (patterns page, D.1 item 9)."""
    return sorted((r for r in results if r.active), key=lambda r: priority_rank(r.flag))


# --- Events ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayState:
    """One flag's stored state on one date."""

    day: date
    flag: Flag
    state: State
    level: Level | None = None
    reasons: tuple[Reason, ...] = ()

    @classmethod
    def of(cls, day: date, result: FlagResult) -> DayState:
        return cls(day, result.flag, result.state, result.level, result.reasons)


class EventKind(StrEnum):
    ONSET = "onset"
    ESCALATION = "escalation"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class Event:
    day: date
    flag: Flag
    kind: EventKind
    level: Level | None  # the level reached; None for RESOLVED


def _flag_events(states: Sequence[DayState]) -> list[Event]:
    """Events of one flag, states in date order.

    insufficient_data days are skipped: they neither break nor extend anything (B.4). Onset is
    an active day after a non-active evaluable day (or none); escalation a rise of the level
    rank from one active evaluable day to the next; resolved is said once per episode, on the
    first day on which the last RESOLVE_DAYS evaluable days were all inactive.
    """
    found: list[Event] = []
    previous: DayState | None = None
    inactive_run = 0
    open_episode = False
    for state in states:
        if state.state is State.INSUFFICIENT:
            continue
        if state.state is State.ACTIVE:
            inactive_run = 0
            was_active = previous is not None and previous.state is State.ACTIVE
            if not was_active:
                found.append(Event(state.day, state.flag, EventKind.ONSET, state.level))
                open_episode = True
            elif _rank(state.level) > _rank(previous.level if previous else None):
                found.append(Event(state.day, state.flag, EventKind.ESCALATION, state.level))
        else:
            inactive_run += 1
            if open_episode and inactive_run >= RESOLVE_DAYS:
                found.append(Event(state.day, state.flag, EventKind.RESOLVED, None))
                open_episode = False
        previous = state
    return found


def _rank(level: Level | None) -> int:
    # An active state always has a level; None only guards hand-built states.
    return int(Level.POSITIVE) - 1 if level is None else int(level)


def events(history: Iterable[DayState]) -> list[Event]:
    """All events in a history of daily states, of any flags, in date then Flag order.

    A date absent from the history is treated like insufficient_data (skipped). If a flag has
    two states for one date, the last one given wins (a re-evaluation after an edit).
    """
    per_flag: dict[Flag, dict[date, DayState]] = defaultdict(dict)
    for state in history:
        per_flag[state.flag][state.day] = state
    found = [
        event
        for states in per_flag.values()
        for event in _flag_events([states[day] for day in sorted(states)])
    ]
    order = {flag: n for n, flag in enumerate(Flag)}
    return sorted(found, key=lambda e: (e.day, order[e.flag]))


# --- Cards -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dismissal:
    """The person closed a signpost card on `day`.

    `reasons` are the signpost's reasons on the card that was closed. `dismiss_reason` is the id
    of the reason they picked (for example "discussed_with_gp"), or None for a plain close.
    """

    flag: Flag
    day: date
    reasons: tuple[Reason, ...]
    dismiss_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Card:
    """One card to show today. `reasons` of a signpost hold only the reasons not dismissed."""

    flag: Flag
    level: Level | None
    reasons: tuple[Reason, ...]
    numbers: Numbers = field(default_factory=dict)
    links: Links = field(default_factory=dict)
    event: EventKind | None = None  # why it is new today; None for a pinned signpost
    pinned: bool = False
    # A merged chain card (REST_NO_RECOVERY with EARLY_SIGNS active too) lists the signs here.
    early_signs: tuple[Reason, ...] = ()
    # A signpost card shown while IMPROVING is active holds its reasons too (see the module
    # doc's precedence), instead of a second card in the opposite tone.
    also_improving: tuple[Reason, ...] = ()

    @property
    def new(self) -> bool:
        return self.event is not None

    @property
    def merged(self) -> bool:
        return bool(self.early_signs)


def improvement_host(shown: Iterable[Flag]) -> Flag | None:
    """The card that carries IMPROVING's words among the flags shown: the first signpost in
    priority order, or None when no signpost is shown (IMPROVING then has a card of its own)."""
    signposts = [flag for flag in shown if flag in SIGNPOSTS]
    return min(signposts, key=priority_rank, default=None)


def hidden_reasons(flag: Flag, today: date, dismissals: Iterable[Dismissal]) -> frozenset[Reason]:
    """Signpost reasons the person has dismissed and that stay hidden today.

    A dismissal with a reason (e.g. "already discussed with my GP") hides the reasons on that
    card for REASON_SUPPRESS_DAYS days; a plain close hides them for RESHOW_AFTER_DAYS days, so
    a signpost still active two weeks later is shown again. A reason that was not on the closed
    card is never hidden by it: new information is shown at once.
    """
    hidden: set[Reason] = set()
    for dismissal in dismissals:
        if dismissal.flag is not flag:
            continue
        age = (today - dismissal.day).days
        days = REASON_SUPPRESS_DAYS if dismissal.dismiss_reason else RESHOW_AFTER_DAYS
        if 0 <= age < days:
            hidden.update(dismissal.reasons)
    return frozenset(hidden)


def cards_for_day(
    today: date,
    results: Sequence[FlagResult],
    history: Iterable[DayState],
    dismissals: Iterable[Dismissal] = (),
) -> list[Card]:
    """The cards for `today`, most important first.

    `results` is today's evaluate() output and `history` the stored states of earlier days
    (states dated today or later are ignored). Only each flag's last evaluable state before
    today decides whether today is an onset or escalation, so a few weeks of history is
    plenty; a flag with no evaluable state in it counts as never active. Policy:

    - A concern card is shown only on the day of an onset or escalation; at most
      MAX_NEW_CONCERN_CARDS a day, the highest in priority. Those left out are not carried
      over: the flag is still on the patterns page.
    - When REST_NO_RECOVERY and EARLY_SIGNS are both active and either has an event today, one
      merged chain card takes the chain's place, with the early signs listed inside it.
    - An active signpost is pinned every day until dismissed (see :func:`hidden_reasons`); a
      signpost whose every reason is hidden is not shown, not even on onset.
    - IMPROVING gets the single positive slot, on onset only (its level never rises),
      unless a signpost is shown: then the first signpost card carries its reasons on every
      day both are active, and there is no positive card (the module doc's precedence).
    """
    dismissals = list(dismissals)
    by_flag = {r.flag: r for r in results}
    past = [s for s in history if s.day < today]
    today_events = {
        e.flag: e.kind
        for e in events([*past, *(DayState.of(today, r) for r in results)])
        if e.day == today and e.kind is not EventKind.RESOLVED
    }

    def visible(result: FlagResult) -> tuple[Reason, ...]:
        if result.flag not in SIGNPOSTS:
            return result.reasons
        hidden = hidden_reasons(result.flag, today, dismissals)
        return tuple(r for r in result.reasons if r not in hidden)

    chain = by_flag.get(Flag.REST_NO_RECOVERY)
    early = by_flag.get(Flag.EARLY_SIGNS)
    merge = bool(chain and chain.active and early and early.active)

    new_cards: list[Card] = []
    for flag in PRIORITY:
        result = by_flag.get(flag)
        if result is None or not result.active or (merge and flag is Flag.EARLY_SIGNS):
            continue  # with both chain flags active, the early signs live in the chain card
        event = today_events.get(flag)
        early_signs: tuple[Reason, ...] = ()
        if merge and flag is Flag.REST_NO_RECOVERY and early is not None:
            event = event or today_events.get(Flag.EARLY_SIGNS)
            early_signs = early.reasons
        reasons = visible(result)
        if event is None or (flag in SIGNPOSTS and not reasons):
            continue
        if len(new_cards) < MAX_NEW_CONCERN_CARDS:
            new_cards.append(
                Card(
                    flag,
                    result.level,
                    reasons,
                    result.numbers,
                    result.links,
                    event=event,
                    pinned=flag in SIGNPOSTS,
                    early_signs=early_signs,
                )
            )

    shown = {card.flag for card in new_cards}
    pinned: list[Card] = []
    for flag in PRIORITY:
        result = by_flag.get(flag)
        if flag not in SIGNPOSTS or flag in shown or result is None or not result.active:
            continue
        reasons = visible(result)
        if reasons:
            pinned.append(Card(flag, result.level, reasons, result.numbers, pinned=True))

    concern = sorted([*new_cards, *pinned], key=lambda c: priority_rank(c.flag))
    improving = by_flag.get(Flag.IMPROVING)
    host = improvement_host(c.flag for c in concern)
    if improving is not None and improving.active and host is not None:
        return [
            replace(c, also_improving=improving.reasons) if c.flag is host else c for c in concern
        ]

    positive: list[Card] = []
    for flag in Flag:
        result = by_flag.get(flag)
        if flag in POSITIVE and result is not None and result.active and flag in today_events:
            positive.append(
                Card(flag, result.level, result.reasons, result.numbers, event=today_events[flag])
            )
    return concern + positive[:MAX_POSITIVE_CARDS]
