"""Issue 21's pure rules: names and numbers, "wie kan ik bellen?", counts, contact by ring,
the revisit card, and the map's layout."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from itertools import combinations

import pytest

from journal.domain.people import (
    NAME_MAX_CHARS,
    Ask,
    ContactDay,
    HelpKind,
    Person,
    Problem,
    Reach,
    Ring,
    check_name,
    check_note,
    contact_by_ring,
    counts,
    helps_from_text,
    helps_to_text,
    layout,
    normalize_phone,
    revisit_due,
    short_label,
    who_to_call,
)
from journal.domain.people.layout import BUBBLE_HEIGHT, CENTRE, RING_EDGES, YOU_RADIUS

L, P, A, C = HelpKind.LISTENING, HelpKind.PRACTICAL, HelpKind.ADVICE, HelpKind.COMPANY


def person(
    pid: int,
    name: str = "",
    ring: Ring | None = Ring.CLOSE,
    helps: frozenset[HelpKind] = frozenset({L}),
    reach: Reach | None = Reach.OFTEN,
) -> Person:
    return Person(pid, name or f"P{pid}", None, ring, helps, reach)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("06-12345678", "0612345678"),
        ("+31 6 1234 5678", "+31612345678"),
        ("(020) 123 45 67", "0201234567"),
        ("020.123.45.67", "0201234567"),
        ("113", "113"),
        ("", None),
        ("   ", None),
        ("12", Problem.PHONE_INVALID),  # too few digits to dial anyone
        ("call me", Problem.PHONE_INVALID),
        ("06 1234 5678 ext 2", Problem.PHONE_INVALID),
        ("++31612345678", Problem.PHONE_INVALID),
        ("1" * 16, Problem.PHONE_INVALID),
        ("=1+2", Problem.PHONE_INVALID),
    ],
)
def test_phone_numbers_are_read_loosely_and_stored_dialable(
    typed: str, expected: str | Problem | None
) -> None:
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Anna", "Anna"),
        ("  Oom   Kees ", "Oom Kees"),
        ("", Problem.NAME_EMPTY),
        ("  \t", Problem.NAME_EMPTY),
        ("x" * NAME_MAX_CHARS, "x" * NAME_MAX_CHARS),
        ("x" * (NAME_MAX_CHARS + 1), Problem.NAME_TOO_LONG),
    ],
)
def test_names(typed: str, expected: str | Problem) -> None:
    assert check_name(typed) == expected


def test_notes_keep_their_lines_up_to_the_limit() -> None:
    assert check_note(" a\r\nb ") == "a\nb"
    assert check_note("x" * 2001) is Problem.NOTE_TOO_LONG


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", frozenset()),
        ("listening,practical", frozenset({L, P})),
        ("company,unknown", frozenset({C})),  # a kind from elsewhere is skipped, not an error
    ],
)
def test_helps_from_text(text: str, expected: frozenset[HelpKind]) -> None:
    assert helps_from_text(text) == expected
    assert helps_from_text(helps_to_text(expected)) == expected


def test_helps_are_written_in_one_order() -> None:
    assert helps_to_text(frozenset({C, L, P})) == "practical,listening,company"


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Anna", "Anna"),
        ("Oom Kees", "Oom Kees"),
        ("Anna de Vries", "Anna"),
        ("Carolien", "Carolien"), ("Carolien de Vries", "Carol…"), ("Mohammed-Ali", "Moham…"),
        ("Fatima", "Fatima"),
    ],
)
def test_short_label(name: str, label: str) -> None:
    assert short_label(name) == label


# --- Wie kan ik bellen? --------------------------------------------------------------------


def ids(people: list[Person]) -> list[int]:
    return [pick.person.id for pick in who_to_call(people)]


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ([], []),
        # Inner rings first, whatever the order they were added in.
        ([person(1, ring=Ring.FURTHER), person(2, ring=Ring.CLOSEST)], [2, 1]),
        # Within a ring, "often" before "sometimes", then by name.
        (
            [
                person(1, "Bo", reach=Reach.SOMETIMES),
                person(2, "Zee"),
                person(3, "Al"),
            ],
            [3, 2, 1],
        ),
        # Not reachable now, or only advice/company: on the map, not suggested.
        (
            [
                person(1, reach=Reach.NOT_NOW),
                person(2, reach=None),
                person(3, helps=frozenset({A, C})),
                person(4, helps=frozenset({P})),
            ],
            [4],
        ),
        # Without a ring still suggested, after everyone in one.
        ([person(1, ring=None), person(2, ring=Ring.FURTHER)], [2, 1]),
        # At most three.
        ([person(i) for i in range(1, 7)], [1, 2, 3]),
    ],
)
def test_who_to_call(people: list[Person], expected: list[int]) -> None:
    assert ids(people) == expected


def test_each_pick_has_a_small_ask_and_they_differ_where_they_can() -> None:
    picks = who_to_call(
        [
            person(1, "A", helps=frozenset({L, P})),
            person(2, "B", helps=frozenset({L, C})),
            person(3, "C", helps=frozenset({P})),
        ]
    )
    assert [p.ask for p in picks] == [Ask.LISTEN, Ask.TOGETHER, Ask.TASK]
    # Only one kind of help: the same ask twice rather than an ask that does not fit.
    twice = who_to_call(
        [person(1, "A", helps=frozenset({P})), person(2, "B", helps=frozenset({P}))]
    )
    assert [p.ask for p in twice] == [Ask.TASK, Ask.TASK]


# --- Counts, contact, revisit --------------------------------------------------------------


def test_counts_per_ring_and_kind() -> None:
    c = counts(
        [
            person(1, ring=Ring.CLOSEST, helps=frozenset({L, P})),
            person(2, ring=Ring.CLOSEST, helps=frozenset({L})),
            person(3, ring=Ring.FURTHER, helps=frozenset()),
            person(4, ring=None, helps=frozenset({A})),
        ]
    )
    assert c.people == 4
    assert c.by_ring == {Ring.CLOSEST: 2, Ring.CLOSE: 0, Ring.FURTHER: 1}
    assert c.unplaced == 1
    assert c.by_help == {P: 1, L: 2, A: 1, C: 0}


MONDAY = date(2026, 3, 9)


def day(n: int, meaningful: bool = True, *rings: Ring) -> ContactDay:
    return ContactDay(MONDAY + timedelta(days=n), meaningful, frozenset(rings))


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], (0, 0, 0, 0)),
        # The example: 3 days of contact, 2 of them with the closest circle.
        (
            [
                day(0, True, Ring.CLOSEST),
                day(2, True, Ring.CLOSEST, Ring.CLOSE),
                day(4),
                day(5, False),
            ],
            (3, 2, 1, 2),
        ),
        # A tag on a day without real contact does not count; nor days outside the week.
        (
            [day(1, False, Ring.CLOSEST), day(-1, True, Ring.CLOSEST), day(7, True, Ring.CLOSE)],
            (0, 0, 0, 0),
        ),
        # Someone since moved to the outer circle: a contact day, not an inner one.
        ([day(3, True, Ring.FURTHER)], (1, 0, 0, 0)),
    ],
)
def test_contact_by_ring(days: list[ContactDay], expected: tuple[int, int, int, int]) -> None:
    f = contact_by_ring(days, MONDAY, MONDAY + timedelta(days=6))
    assert (f.days, f.closest, f.close, f.tagged) == expected


UPDATED = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("updated", "dismissed", "today", "due"),
    [
        (None, None, date(2027, 1, 1), False),  # no map, no card
        (UPDATED, None, UPDATED + timedelta(days=90), False),
        (UPDATED, None, UPDATED + timedelta(days=91), True),  # about three months
        (UPDATED, UPDATED + timedelta(days=92), UPDATED + timedelta(days=100), False),  # put away
        (UPDATED, UPDATED + timedelta(days=92), UPDATED + timedelta(days=183), True),  # 3 more
        (UPDATED, UPDATED - timedelta(days=5), UPDATED + timedelta(days=91), True),  # older
    ],
)
def test_revisit_due(updated: date | None, dismissed: date | None, today: date, due: bool) -> None:
    assert revisit_due(updated, dismissed, today) is due


# --- Layout -------------------------------------------------------------------------------


def overlap(a: object, b: object) -> bool:
    ax, ay, aw = a.x, a.y, a.width  # type: ignore[attr-defined]
    bx, by, bw = b.x, b.y, b.width  # type: ignore[attr-defined]
    return abs(ax - bx) < (aw + bw) / 2 and abs(ay - by) < BUBBLE_HEIGHT + 10  # with marks


EIGHT = ["Anna", "Bram", "Carolien", "Dirk", "Eva", "Fatima", "Gijs", "Hanna"]


@pytest.mark.parametrize(
    "rings",
    [
        [
            Ring.CLOSEST,
            Ring.CLOSEST,
            Ring.CLOSE,
            Ring.CLOSE,
            Ring.CLOSE,
            Ring.FURTHER,
            Ring.FURTHER,
            Ring.FURTHER,
        ],
        [Ring.CLOSEST] * 6 + [Ring.CLOSE] * 2,
        [Ring.CLOSE] * 8,
        [Ring.FURTHER] * 8,
        [Ring(1 + i % 3) for i in range(12)],
    ],
)
def test_eight_or_more_people_do_not_overlap_and_stay_in_their_ring(rings: list[Ring]) -> None:
    people = [person(i, (EIGHT * 2)[i], ring=r) for i, r in enumerate(rings)]
    bubbles = layout(people).bubbles
    assert len(bubbles) == len(people)
    for a, b in combinations(bubbles, 2):
        assert not overlap(a, b), (a, b)
    for b in bubbles:
        distance = math.dist((b.x, b.y), (CENTRE, CENTRE))
        inner = YOU_RADIUS if b.ring is Ring.CLOSEST else RING_EDGES[Ring(b.ring - 1)]
        assert inner < distance < RING_EDGES[b.ring]
        assert b.left >= 0 and b.left + b.width <= 2 * CENTRE


def test_people_without_a_ring_are_not_drawn() -> None:
    assert [b.person_id for b in layout([person(1, ring=None), person(2)]).bubbles] == [2]


@pytest.mark.parametrize("seed", range(30))
def test_any_ten_people_with_up_to_six_closest_stay_apart(seed: int) -> None:
    """Issue 21: "at least 8 people supported comfortably"; measured, any 10 fit."""
    rng = random.Random(seed)
    rings = [rng.choice(list(Ring)) for _ in range(10)]
    while rings.count(Ring.CLOSEST) > 6:  # seven closest no longer fit round "you"
        rings[rings.index(Ring.CLOSEST)] = Ring.CLOSE
    names = [rng.choice(EIGHT) + rng.choice(["", " de Vries"]) for _ in rings]
    bubbles = layout([person(i, names[i], ring=r) for i, r in enumerate(rings)]).bubbles
    assert not any(overlap(a, b) for a, b in combinations(bubbles, 2))
