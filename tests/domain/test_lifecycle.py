"""DOMAIN C.12: events from daily states, and the cards of a day."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import pytest

from journal.domain.lifecycle import (
    Card,
    DayState,
    Dismissal,
    Event,
    EventKind,
    by_priority,
    cards_for_day,
    events,
    hidden_reasons,
    improvement_host,
)
from journal.domain.rules import Flag, FlagResult, Level, State, evaluate_range

A, I, X = State.ACTIVE, State.INACTIVE, State.INSUFFICIENT  # noqa: E741 (a state table)
ONSET, ESCALATION, RESOLVED = EventKind.ONSET, EventKind.ESCALATION, EventKind.RESOLVED
START = date(2026, 3, 2)


def d(n: int) -> date:
    return START + timedelta(days=n - 1)


def history(
    flag: Flag, *days: tuple[State, Level | None] | State, start: int = 1
) -> list[DayState]:
    """Daily states from day `start` on; a bare ACTIVE means level notice."""
    out = []
    for n, spec in enumerate(days, start=start):
        state, level = (
            (spec, Level.NOTICE if spec is A else None) if isinstance(spec, State) else spec
        )
        out.append(DayState(d(n), flag, state, level))
    return out


def kinds(found: Sequence[Event]) -> list[tuple[int, EventKind]]:
    return [((e.day - START).days + 1, e.kind) for e in found]


RNR = Flag.REST_NO_RECOVERY


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ((I, I, A, A, I, I, I), [(3, ONSET), (7, RESOLVED)]),
        # insufficient days are skipped: they neither break nor count towards resolution
        ((A, X, I, X, X, I, I, I), [(1, ONSET), (7, RESOLVED)]),
        ((A, X, A), [(1, ONSET)]),
        # a flag that was never active never resolves
        ((I, I, I, I), []),
        ((X, X, A), [(3, ONSET)]),
        # a relapse before resolution is a new onset; resolution comes once
        ((A, I, A, I, I, I, I, I), [(1, ONSET), (3, ONSET), (6, RESOLVED)]),
        # after resolution a new episode can start and resolve again
        ((A, I, I, I, A, I, I, I), [(1, ONSET), (4, RESOLVED), (5, ONSET), (8, RESOLVED)]),
        (
            ((A, Level.NOTICE), (A, Level.ATTENTION), (A, Level.ATTENTION), (A, Level.PERSISTENT)),
            [(1, ONSET), (2, ESCALATION), (4, ESCALATION)],
        ),
        # a falling level is no event, rising back to where it was is
        (
            ((A, Level.ATTENTION), (A, Level.NOTICE), (A, Level.ATTENTION)),
            [(1, ONSET), (3, ESCALATION)],
        ),
        # escalation compares with the previous evaluable day, across insufficient ones
        (((A, Level.NOTICE), X, (A, Level.ATTENTION)), [(1, ONSET), (3, ESCALATION)]),
    ],
)
def test_events(
    days: tuple[State | tuple[State, Level | None], ...], expected: list[tuple[int, EventKind]]
) -> None:
    assert kinds(events(history(RNR, *days))) == expected


def test_events_of_several_flags_are_in_date_then_flag_order() -> None:
    mixed = [*history(Flag.IMPROVING, I, A), *history(RNR, A, A)]
    found = events(reversed(mixed))
    assert [(e.flag, (e.day - START).days + 1) for e in found] == [
        (RNR, 1),
        (Flag.IMPROVING, 2),
    ]
    assert found[0].level is Level.NOTICE


def test_a_restated_day_replaces_the_earlier_state() -> None:
    """After an edit a date is re-evaluated; the last state given for it wins."""
    states = [*history(RNR, I, A), DayState(d(2), RNR, I)]
    assert events(states) == []


# --- Cards -------------------------------------------------------------------------------------


def result(
    flag: Flag,
    state: State = A,
    level: Level | None = Level.NOTICE,
    reasons: tuple[str, ...] = (),
) -> FlagResult:
    if state is not A:
        level, reasons = None, ()
    return FlagResult(flag, state, level, reasons, {}, {})


def day_results(active: Mapping[Flag, tuple[Level, tuple[str, ...]]]) -> list[FlagResult]:
    return [result(flag, A, *active[flag]) if flag in active else result(flag, I) for flag in Flag]


def past_states(day: int, results: Sequence[FlagResult]) -> list[DayState]:
    return [DayState.of(d(day), r) for r in results]


QUIET = day_results({})


def flags_of(cards: Sequence[Card]) -> list[Flag]:
    return [c.flag for c in cards]


def test_cards_only_on_onset_or_escalation() -> None:
    today = day_results({Flag.SLEEP_DISRUPTED: (Level.NOTICE, ("disturbed_nights",))})
    first = cards_for_day(d(2), today, past_states(1, QUIET))
    assert flags_of(first) == [Flag.SLEEP_DISRUPTED]
    assert first[0].event is ONSET and first[0].new and not first[0].pinned
    assert first[0].reasons == ("disturbed_nights",)
    # The day after: still active, same level → no card.
    assert cards_for_day(d(3), today, [*past_states(1, QUIET), *past_states(2, today)]) == []
    # A rise in level → a card again.
    worse = day_results({Flag.SLEEP_DISRUPTED: (Level.ATTENTION, ("disturbed_nights",))})
    again = cards_for_day(d(4), worse, [*past_states(2, today), *past_states(3, today)])
    assert flags_of(again) == [Flag.SLEEP_DISRUPTED] and again[0].event is ESCALATION


def test_at_most_two_new_concern_cards_plus_one_positive_by_priority() -> None:
    today = day_results(
        {
            Flag.CHECKIN_GAP: (Level.INFO, ()),
            Flag.LITTLE_OUTDOOR_MOVEMENT: (Level.INFO, ()),
            Flag.SLEEP_DISRUPTED: (Level.NOTICE, ("short_sleep",)),
            Flag.NO_ROOM_TO_RECOVER: (Level.NOTICE, ()),
            Flag.IMPROVING: (Level.POSITIVE, ("recovery_up",)),
        }
    )
    cards = cards_for_day(d(2), today, past_states(1, QUIET))
    assert flags_of(cards) == [Flag.NO_ROOM_TO_RECOVER, Flag.SLEEP_DISRUPTED, Flag.IMPROVING]
    assert cards[-1].level is Level.POSITIVE


def test_signposts_come_first_and_count_as_new_cards() -> None:
    today = day_results(
        {
            Flag.REST_NO_RECOVERY: (Level.ATTENTION, ()),
            Flag.SIGNPOST_DOCTOR: (Level.DOCTOR, ("medication",)),
            Flag.SIGNPOST_LOOK_FURTHER: (Level.PERSISTENT, ("chain_persistent",)),
        }
    )
    cards = cards_for_day(d(2), today, past_states(1, QUIET))
    assert flags_of(cards) == [Flag.SIGNPOST_DOCTOR, Flag.SIGNPOST_LOOK_FURTHER]
    assert all(c.pinned and c.new for c in cards)


def test_merged_chain_card_lists_the_early_signs() -> None:
    chain_only = day_results({Flag.REST_NO_RECOVERY: (Level.NOTICE, ())})
    both = day_results(
        {
            Flag.REST_NO_RECOVERY: (Level.NOTICE, ()),
            Flag.EARLY_SIGNS: (Level.ATTENTION, ("E1", "E3")),
            Flag.CARRYING_ALONE: (Level.NOTICE, ()),
        }
    )
    # Early signs start while the chain was already active: one merged card, and the slot
    # it frees goes to the next flag.
    cards = cards_for_day(d(2), both, past_states(1, chain_only))
    assert flags_of(cards) == [Flag.REST_NO_RECOVERY, Flag.CARRYING_ALONE]
    assert cards[0].merged and cards[0].early_signs == ("E1", "E3")
    assert cards[0].event is ONSET
    # Both start the same day: still one card.
    cards = cards_for_day(d(2), both, past_states(1, QUIET))
    assert flags_of(cards) == [Flag.REST_NO_RECOVERY, Flag.CARRYING_ALONE]
    # Early signs alone: its own card.
    alone = day_results({Flag.EARLY_SIGNS: (Level.NOTICE, ("E1", "E4"))})
    cards = cards_for_day(d(2), alone, past_states(1, QUIET))
    assert flags_of(cards) == [Flag.EARLY_SIGNS] and not cards[0].merged


DOCTOR = day_results({Flag.SIGNPOST_DOCTOR: (Level.DOCTOR, ("sleepiness",))})


def test_signpost_stays_pinned_until_dismissed() -> None:
    past = [*past_states(1, QUIET), *past_states(2, DOCTOR)]
    cards = cards_for_day(d(5), DOCTOR, past)
    assert flags_of(cards) == [Flag.SIGNPOST_DOCTOR]
    assert cards[0].pinned and not cards[0].new and cards[0].reasons == ("sleepiness",)


def test_plain_dismissal_hides_for_14_days_then_shows_again() -> None:
    closed = [Dismissal(Flag.SIGNPOST_DOCTOR, d(3), ("sleepiness",))]
    past = past_states(2, DOCTOR)
    assert cards_for_day(d(3), DOCTOR, past, closed) == []
    assert cards_for_day(d(16), DOCTOR, past, closed) == []
    assert flags_of(cards_for_day(d(17), DOCTOR, past, closed)) == [Flag.SIGNPOST_DOCTOR]


def test_dismissal_with_a_reason_suppresses_that_reason_for_28_days() -> None:
    closed = [Dismissal(Flag.SIGNPOST_DOCTOR, d(3), ("sleepiness",), "discussed_with_gp")]
    past = past_states(2, DOCTOR)
    assert cards_for_day(d(17), DOCTOR, past, closed) == []
    assert cards_for_day(d(30), DOCTOR, past, closed) == []
    assert flags_of(cards_for_day(d(31), DOCTOR, past, closed)) == [Flag.SIGNPOST_DOCTOR]
    # A reason that was not on the dismissed card is news: shown at once, on its own.
    more = day_results({Flag.SIGNPOST_DOCTOR: (Level.DOCTOR, ("sleepiness", "medical"))})
    cards = cards_for_day(d(10), more, past, closed)
    assert flags_of(cards) == [Flag.SIGNPOST_DOCTOR] and cards[0].reasons == ("medical",)
    assert hidden_reasons(Flag.SIGNPOST_DOCTOR, d(10), closed) == {"sleepiness"}
    assert hidden_reasons(Flag.SIGNPOST_LOOK_FURTHER, d(10), closed) == frozenset()


def test_a_dismissed_signpost_starting_again_stays_hidden_for_its_reason() -> None:
    closed = [Dismissal(Flag.SIGNPOST_DOCTOR, d(3), ("sleepiness",), "discussed_with_gp")]
    past = [*past_states(2, DOCTOR), *past_states(5, QUIET), *past_states(6, QUIET)]
    past += past_states(7, QUIET)
    assert cards_for_day(d(8), DOCTOR, past, closed) == []
    # Starting again on days 20 and 30 (17 and 27 days after the dismissal): past the 14 days
    # of a plain close, yet inside the 28 days of a dismissal with a reason (C.12).
    plain = [Dismissal(Flag.SIGNPOST_DOCTOR, d(3), ("sleepiness",))]
    for n in (20, 30):
        restart = past_states(2, DOCTOR)
        for quiet_day in (n - 3, n - 2, n - 1):
            restart += past_states(quiet_day, QUIET)
        assert cards_for_day(d(n), DOCTOR, restart, closed) == [], n
        assert hidden_reasons(Flag.SIGNPOST_DOCTOR, d(n), closed) == {"sleepiness"}, n
        # The same restart after a plain close is shown: only the reason keeps it hidden.
        shown = cards_for_day(d(n), DOCTOR, restart, plain)
        assert flags_of(shown) == [Flag.SIGNPOST_DOCTOR], n
        assert shown[0].event is ONSET and shown[0].reasons == ("sleepiness",)
    # From day 31 (28 days on) the suppression has ended: a restart is a new card again.
    restart = [*past_states(2, DOCTOR), *past_states(28, QUIET), *past_states(29, QUIET)]
    restart += past_states(30, QUIET)
    assert hidden_reasons(Flag.SIGNPOST_DOCTOR, d(31), closed) == frozenset()
    cards = cards_for_day(d(31), DOCTOR, restart, closed)
    assert flags_of(cards) == [Flag.SIGNPOST_DOCTOR]
    assert cards[0].event is ONSET and cards[0].pinned
    assert cards[0].reasons == ("sleepiness",)


def test_history_from_today_on_is_ignored() -> None:
    today = day_results({Flag.NO_ROOM_TO_RECOVER: (Level.NOTICE, ())})
    stale = past_states(2, today)  # an earlier evaluation of today itself
    assert flags_of(cards_for_day(d(2), today, [*past_states(1, QUIET), *stale])) == [
        Flag.NO_ROOM_TO_RECOVER
    ]


def test_by_priority() -> None:
    today = day_results(
        {
            Flag.IMPROVING: (Level.POSITIVE, ("recovery_up",)),
            Flag.CHECKIN_GAP: (Level.INFO, ()),
            Flag.SIGNPOST_DOCTOR: (Level.DOCTOR, ("medical",)),
        }
    )
    assert [r.flag for r in by_priority(today)] == [
        Flag.SIGNPOST_DOCTOR,
        Flag.CHECKIN_GAP,
        Flag.IMPROVING,
    ]


def test_cards_over_a_whole_scenario() -> None:
    """Part E S02 day by day: cards only on events, never more than two concerns a day."""
    from tests.domain.test_scenarios import SCENARIOS

    records = SCENARIOS["S02"]
    by_date = evaluate_range(records, records[0].date, records[-1].date)
    stored: list[DayState] = []
    shown: dict[int, list[Flag]] = {}
    for n, (day, results) in enumerate(by_date.items(), start=1):
        cards = cards_for_day(day, results, stored)
        concern = [c for c in cards if c.flag is not Flag.IMPROVING and c.new]
        assert len(concern) <= 2
        shown[n] = flags_of(cards)
        stored += [DayState.of(day, r) for r in results]
    assert shown[15] == []
    assert shown[16] == [Flag.EARLY_SIGNS, Flag.CARRYING_ALONE]  # onsets
    assert shown[17] == [Flag.EARLY_SIGNS]  # escalation to attention
    # Day 18: the chain starts while early signs are active → one merged card, then outdoor.
    assert shown[18] == [Flag.REST_NO_RECOVERY, Flag.LITTLE_OUTDOOR_MOVEMENT]
    assert shown[27] == [Flag.SIGNPOST_LOOK_FURTHER]  # pinned
    assert shown[25] == [Flag.SIGNPOST_LOOK_FURTHER, Flag.REST_NO_RECOVERY]


# --- Issue 18: a signpost and an improvement on one day ----------------------------------------

IMP = (Level.POSITIVE, ("recovery_up", "sleep_refreshing"))
LOOK = (Level.PERSISTENT, ("chain_persistent",))
GP = (Level.DOCTOR, ("medical",))


@pytest.mark.parametrize(
    ("today", "yesterday", "expected"),
    [
        # IMPROVING starts on a day a signpost is pinned: one card, the signpost's, that holds
        # both truths; no "Er beweegt iets" card under "Verder kijken kan helpen".
        (
            {Flag.SIGNPOST_LOOK_FURTHER: LOOK, Flag.IMPROVING: IMP},
            {Flag.SIGNPOST_LOOK_FURTHER: LOOK},
            [(Flag.SIGNPOST_LOOK_FURTHER, ("recovery_up", "sleep_refreshing"))],
        ),
        # Both start the same day: the same one card.
        (
            {Flag.SIGNPOST_LOOK_FURTHER: LOOK, Flag.IMPROVING: IMP},
            {},
            [(Flag.SIGNPOST_LOOK_FURTHER, ("recovery_up", "sleep_refreshing"))],
        ),
        # IMPROVING went on before: the pinned signpost still says so, every day both hold.
        (
            {Flag.SIGNPOST_LOOK_FURTHER: LOOK, Flag.IMPROVING: IMP},
            {Flag.SIGNPOST_LOOK_FURTHER: LOOK, Flag.IMPROVING: IMP},
            [(Flag.SIGNPOST_LOOK_FURTHER, ("recovery_up", "sleep_refreshing"))],
        ),
        # Two signposts: the first in priority carries it, once.
        (
            {Flag.SIGNPOST_DOCTOR: GP, Flag.SIGNPOST_LOOK_FURTHER: LOOK, Flag.IMPROVING: IMP},
            {Flag.SIGNPOST_DOCTOR: GP, Flag.SIGNPOST_LOOK_FURTHER: LOOK},
            [
                (Flag.SIGNPOST_DOCTOR, ("recovery_up", "sleep_refreshing")),
                (Flag.SIGNPOST_LOOK_FURTHER, ()),
            ],
        ),
        # No signpost: IMPROVING has its own card at onset, beside a concern card (C.10).
        (
            {Flag.SLEEP_DISRUPTED: (Level.NOTICE, ("short_sleep",)), Flag.IMPROVING: IMP},
            {},
            [(Flag.SLEEP_DISRUPTED, ()), (Flag.IMPROVING, ())],
        ),
        # A signpost alone, and an improvement alone, are unchanged.
        ({Flag.SIGNPOST_LOOK_FURTHER: LOOK}, {}, [(Flag.SIGNPOST_LOOK_FURTHER, ())]),
        ({Flag.IMPROVING: IMP}, {}, [(Flag.IMPROVING, ())]),
    ],
    ids=["imp-starts", "both-start", "both-continue", "two-signposts", "no-signpost",
         "signpost-alone", "improving-alone"],
)
def test_a_signpost_and_an_improvement_make_one_card(
    today: Mapping[Flag, tuple[Level, tuple[str, ...]]],
    yesterday: Mapping[Flag, tuple[Level, tuple[str, ...]]],
    expected: list[tuple[Flag, tuple[str, ...]]],
) -> None:
    cards = cards_for_day(d(2), day_results(today), past_states(1, day_results(yesterday)))
    assert [(c.flag, c.also_improving) for c in cards] == expected


def test_a_dismissed_signpost_leaves_the_improvement_its_own_card() -> None:
    today = day_results({Flag.SIGNPOST_LOOK_FURTHER: LOOK, Flag.IMPROVING: IMP})
    closed = [Dismissal(Flag.SIGNPOST_LOOK_FURTHER, d(2), ("chain_persistent",))]
    cards = cards_for_day(d(2), today, past_states(1, QUIET), closed)
    assert [(c.flag, c.also_improving) for c in cards] == [(Flag.IMPROVING, ())]


@pytest.mark.parametrize(
    ("shown", "host"),
    [
        ((), None),
        ((Flag.IMPROVING,), None),
        ((Flag.REST_NO_RECOVERY, Flag.IMPROVING), None),
        ((Flag.SIGNPOST_LOOK_FURTHER, Flag.IMPROVING), Flag.SIGNPOST_LOOK_FURTHER),
        ((Flag.IMPROVING, Flag.SIGNPOST_LOOK_FURTHER, Flag.SIGNPOST_DOCTOR), Flag.SIGNPOST_DOCTOR),
    ],
)
def test_improvement_host(shown: tuple[Flag, ...], host: Flag | None) -> None:
    assert improvement_host(shown) is host
