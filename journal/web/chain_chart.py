"""Seed 004's chain drawn as the loop it is: SVG geometry for templates/_cards.html.

Five links sit on a loop in seed 004's order, each feeding the next, and the last feeding
the first again: load without recovery (L1) → the stress system stays on (L2) → letting go
gets harder (L3) → sleep restores less (L4) → getting going takes more effort (L5) → back to
load. R0, "you do take rest", is drawn beside the loop, not in it: it is the reason the
pattern is worth naming (rest is taken, and still the loop goes on), not a link that feeds
the next.

Rules the drawing keeps, tested here rather than in the template:

- A link's state is carried by shape as well as colour: present links get a filled badge with
  a tick and a thick border, absent ones an empty badge, unknown ones (too few check-ins) a
  dashed border and a question mark.
- An arrow between two present links is lit: the loop that is running shows as one path.
- Labels are wrapped into lines that fit their box at the drawing's font size, so they stay
  readable on a 390 px phone in either language; nothing overlaps (tests/web/test_chain_chart).

Pure: labels come in already translated; no Flask.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from journal.domain.rules import Link

# Seed 004's order around the loop, starting at the top and going clockwise.
LOOP: Final = (Link.L1, Link.L2, Link.L3, Link.L4, Link.L5)
WIDTH: Final = 340
CENTRE_X: Final = WIDTH / 2
CENTRE_Y: Final = 150
# An ellipse, wider than high: the two links at the bottom need room for the arrow between them.
RADIUS_X: Final = 119
RADIUS_Y: Final = 100
BOX_WIDTH: Final = 108
LINE_HEIGHT: Final = 15  # at the 13-unit font of static/style.css (.chain-chart text)
LINE_CHARS: Final = 14  # characters per line that fit BOX_WIDTH at that font
REST_WIDTH: Final = 186  # R0's box, wider: it stands alone under the loop
REST_LINE_CHARS: Final = 24
NOTE_LINE_CHARS: Final = 40  # the note under R0 spans the drawing
PADDING: Final = 9  # above the first line (room for the badge) and below the last
REST_GAP: Final = 34  # between the loop's lowest box and R0's box
ARROW_CLEARANCE: Final = 5  # an arrow stops this far from a box, so its head shows


class State(StrEnum):
    ON = "on"  # present
    OFF = "off"  # not present
    UNKNOWN = "unknown"  # too few check-ins in its window to tell


MARKS: Final = {State.ON: "✓", State.OFF: "", State.UNKNOWN: "?"}


def state_of(value: bool | None) -> State:
    return State.UNKNOWN if value is None else State.ON if value else State.OFF


@dataclass(frozen=True, slots=True)
class Node:
    link: Link
    state: State
    x: float  # the box's centre
    y: float
    width: float
    height: float
    lines: tuple[str, ...]

    @property
    def left(self) -> float:
        return round(self.x - self.width / 2, 1)

    @property
    def top(self) -> float:
        return round(self.y - self.height / 2, 1)

    @property
    def mark(self) -> str:
        return MARKS[self.state]

    @property
    def mark_y(self) -> float:
        """The baseline of the badge's mark, centred on the box's top edge."""
        return round(self.top + 4.5, 1)

    def line_y(self, index: int) -> float:
        """The baseline of a label line: the block of lines centred under the badge."""
        first = self.top + PADDING + LINE_HEIGHT - 3
        return round(first + index * LINE_HEIGHT, 1)

    def contains(self, x: float, y: float, margin: float = 0) -> bool:
        return (
            abs(x - self.x) <= self.width / 2 + margin
            and abs(y - self.y) <= self.height / 2 + margin
        )


@dataclass(frozen=True, slots=True)
class Arrow:
    path: str  # an arc along the loop, from one box to the next
    lit: bool  # both ends present: the loop that is running


@dataclass(frozen=True, slots=True)
class ChainDrawing:
    width: int
    height: int
    centre_x: float
    centre_y: float
    nodes: tuple[Node, ...]  # LOOP order
    arrows: tuple[Arrow, ...]  # from each node to the next, the last back to the first
    rest: Node  # R0, beside the loop
    note: tuple[str, ...]  # the line under R0, wrapped

    def note_y(self, index: int) -> float:
        return round(self.rest.top + self.rest.height + 18 + index * LINE_HEIGHT, 1)


def wrap(label: str, chars: int = LINE_CHARS) -> tuple[str, ...]:
    """A label in lines of at most `chars` characters, broken between words."""
    return tuple(textwrap.wrap(label, chars, break_long_words=False)) or ("",)


def _height(lines: Sequence[str]) -> float:
    return 2 * PADDING + len(lines) * LINE_HEIGHT


def _angle(index: int) -> float:
    """The angle of node `index` on the loop: the first at the top, then clockwise."""
    return -math.pi / 2 + index * 2 * math.pi / len(LOOP)


def _point(angle: float) -> tuple[float, float]:
    return CENTRE_X + RADIUS_X * math.cos(angle), CENTRE_Y + RADIUS_Y * math.sin(angle)


def _arc(start: Node, end: Node, a0: float, a1: float) -> str:
    """The arc of the ellipse from where it leaves `start`'s box to where it meets `end`'s,
    found by stepping along it: boxes differ in height, so no closed form is kept."""
    step = math.radians(0.5)
    while start.contains(*_point(a0), ARROW_CLEARANCE) and a0 < a1:
        a0 += step
    while end.contains(*_point(a1), ARROW_CLEARANCE) and a1 > a0:
        a1 -= step
    (x0, y0), (x1, y1) = _point(a0), _point(a1)
    return f"M{x0:.1f},{y0:.1f} A{RADIUS_X},{RADIUS_Y} 0 0,1 {x1:.1f},{y1:.1f}"  # clockwise


def chain_drawing(
    links: Mapping[Link, bool | None], labels: Mapping[Link, str], note: str
) -> ChainDrawing:
    """The loop for these link states; `labels` are the links' names in the reader's language
    and `note` the line under R0 ("rest alone does not break the loop")."""
    nodes = []
    for index, link in enumerate(LOOP):
        x, y = _point(_angle(index))
        lines = wrap(labels[link])
        state = state_of(links.get(link))
        nodes.append(Node(link, state, round(x, 1), round(y, 1), BOX_WIDTH, _height(lines), lines))
    arrows = []
    for index, node in enumerate(nodes):
        following = nodes[(index + 1) % len(nodes)]
        a0 = _angle(index)
        a1 = a0 + 2 * math.pi / len(LOOP)
        lit = node.state is State.ON and following.state is State.ON
        arrows.append(Arrow(_arc(node, following, a0, a1), lit))
    lowest = max(n.y + n.height / 2 for n in nodes)
    rest_lines = wrap(labels[Link.R0], REST_LINE_CHARS)
    rest_height = _height(rest_lines)
    rest = Node(
        Link.R0,
        state_of(links.get(Link.R0)),
        CENTRE_X,
        round(lowest + REST_GAP + rest_height / 2, 1),
        REST_WIDTH,
        rest_height,
        rest_lines,
    )
    note_lines = wrap(note, NOTE_LINE_CHARS)
    height = math.ceil(rest.y + rest_height / 2 + 6 + len(note_lines) * LINE_HEIGHT)
    return ChainDrawing(
        width=WIDTH,
        height=height,
        centre_x=CENTRE_X,
        centre_y=CENTRE_Y,
        nodes=tuple(nodes),
        arrows=tuple(arrows),
        rest=rest,
        note=note_lines,
    )
