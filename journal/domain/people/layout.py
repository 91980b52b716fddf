"""Where each person sits on the map: three concentric rings around the person, as geometry
for the server-side SVG (journal/web/people_map.py draws it).

Rules kept here, tested in tests/domain/test_people.py:

- Everyone with a ring is drawn in the band of that ring, evenly around it; a ring's people
  start at a different angle than the next ring's, so names do not line up in a column.
- When a ring holds more bubbles than fit around its middle, they alternate between a
  slightly inner and a slightly outer track; and each ring is turned until none of its
  bubbles touches another. Measured: any ten people, up to six of them in the closest
  ring, stay apart (tests/domain/test_people.py).
- People without a ring are not drawn; the page lists them under the map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from journal.domain.people.model import HelpKind, Person, Ring, short_label

SIZE: Final = 420  # the square viewBox
CENTRE: Final = SIZE / 2
YOU_RADIUS: Final = 24
# The outer edge of each ring's band; the innermost band starts at YOU_RADIUS.
RING_EDGES: Final = {Ring.CLOSEST: 110, Ring.CLOSE: 160, Ring.FURTHER: 204}
CHAR_WIDTH: Final = 10.2  # at the 16-unit bold font of static/people.css
BUBBLE_HEIGHT: Final = 26
BUBBLE_PAD: Final = 14
GAP: Final = 6  # between two bubbles along a track
TRACK_OFFSET: Final = 18  # the inner and outer tracks of a crowded ring
START_ANGLE: Final = -math.pi / 2  # the first person of the innermost ring sits on top


@dataclass(frozen=True)
class Bubble:
    person_id: int
    ring: Ring
    label: str
    helps: tuple[HelpKind, ...]  # in HelpKind's order
    x: float
    y: float
    width: float

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def top(self) -> float:
        return self.y - BUBBLE_HEIGHT / 2


@dataclass(frozen=True)
class RingCircle:
    ring: Ring
    radius: float


@dataclass(frozen=True)
class Layout:
    size: float
    centre: float
    you_radius: float
    circles: tuple[RingCircle, ...]
    bubbles: tuple[Bubble, ...]


def _middle(ring: Ring) -> float:
    inner = YOU_RADIUS if ring is Ring.CLOSEST else RING_EDGES[Ring(ring - 1)]
    return (inner + RING_EDGES[ring]) / 2


def bubble_width(label: str) -> float:
    return round(max(len(label), 2) * CHAR_WIDTH + BUBBLE_PAD, 1)


MARKS_HEIGHT: Final = 14  # the row of marks under a bubble (journal/web/people_map.py)
TURNS: Final = 24  # start angles tried per ring, a 24th of a step apart


def _touch(a: Bubble, b: Bubble) -> bool:
    """Two bubbles (with their marks underneath) that would overlap, with a small gap."""
    return (
        abs(a.x - b.x) < (a.width + b.width) / 2 + GAP
        and abs(a.y - b.y) < BUBBLE_HEIGHT + MARKS_HEIGHT
    )


def _ring(ring: Ring, here: Sequence[Person], start: float, tracks: bool) -> list[Bubble]:
    """One ring's bubbles, evenly round it from `start`; on two tracks when `tracks`."""
    middle = _middle(ring)
    step = 2 * math.pi / len(here)
    out = []
    for i, person in enumerate(here):
        label = short_label(person.name)
        width = bubble_width(label)
        radius = middle + ((TRACK_OFFSET if i % 2 else -TRACK_OFFSET) if tracks else 0)
        angle = start + i * step
        # Kept inside the picture: a wide name on the outer ring's side may reach past the
        # circle's edge, never past the drawing's.
        x = min(max(CENTRE + radius * math.cos(angle), width / 2), SIZE - width / 2)
        out.append(
            Bubble(
                person_id=person.id,
                ring=ring,
                label=label,
                helps=tuple(kind for kind in HelpKind if kind in person.helps),
                x=round(x, 1),
                y=round(CENTRE + radius * math.sin(angle), 1),
                width=width,
            )
        )
    return out


def _collisions(new: Sequence[Bubble], placed: Sequence[Bubble]) -> int:
    pairs = [(a, b) for k, a in enumerate(new) for b in (*new[k + 1 :], *placed)]
    return sum(1 for a, b in pairs if _touch(a, b))


def layout(people: Sequence[Person]) -> Layout:
    """The map's geometry: the rings, and a bubble for each person with a ring.

    Ring by ring from the inside: one track if the ring's people fit on it, else two; and of
    TURNS start angles the first at which nothing touches (the fewest touches if none is
    free), so the choice is the same every time for the same map.
    """
    bubbles: list[Bubble] = []
    for ring in Ring:
        here = [p for p in people if p.ring is ring]
        if not here:
            continue
        step = 2 * math.pi / len(here)
        best: list[Bubble] = []
        fewest = -1
        for tracks in (False, True):
            for turn in range(TURNS):
                start = START_ANGLE + (ring - 1) * step / 2 + turn * step / TURNS
                trial = _ring(ring, here, start, tracks)
                touches = _collisions(trial, bubbles)
                if fewest < 0 or touches < fewest:
                    best, fewest = trial, touches
                if touches == 0:
                    break
            if fewest == 0:
                break
        bubbles.extend(best)
    return Layout(
        size=SIZE,
        centre=CENTRE,
        you_radius=YOU_RADIUS,
        circles=tuple(RingCircle(ring, RING_EDGES[ring]) for ring in Ring),
        bubbles=tuple(bubbles),
    )
