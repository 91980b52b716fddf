"""The map of "Mijn mensen" as server-side SVG geometry (templates/people/_map.html draws it).

The domain places the people (journal.domain.people.layout); this adds what is only drawing:
the small mark for each kind of help under a bubble, as a path per shape, so a kind is told
apart by shape and not by colour alone. Colours are CSS variables and currentColor
(static/people.css), so the map follows light and dark mode.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from journal.domain.people import Bubble, HelpKind, Layout, Person, layout
from journal.domain.people.layout import BUBBLE_HEIGHT
from journal.web.words.people import MARKS

MARK_SIZE: Final = 10
MARK_GAP: Final = 3
MARK_DROP: Final = 4  # between the bubble's bottom edge and its marks


def mark_path(shape: str, x: float, y: float, size: float = MARK_SIZE) -> str:
    """One mark centred on (x, y) as an SVG path."""
    h = size / 2
    if shape == "square":
        return f"M{x - h:.1f},{y - h:.1f}h{size:.1f}v{size:.1f}h{-size:.1f}z"
    if shape == "triangle":
        return f"M{x:.1f},{y - h:.1f}L{x + h:.1f},{y + h:.1f}L{x - h:.1f},{y + h:.1f}z"
    if shape == "diamond":
        return f"M{x:.1f},{y - h:.1f}L{x + h:.1f},{y:.1f}L{x:.1f},{y + h:.1f}L{x - h:.1f},{y:.1f}z"
    # circle, as two arcs
    arc = f"a{h:.1f},{h:.1f} 0 1,0"
    return f"M{x - h:.1f},{y:.1f}{arc} {size:.1f},0{arc} {-size:.1f},0z"


@dataclass(frozen=True)
class Mark:
    kind: HelpKind
    path: str


@dataclass(frozen=True)
class Drawn:
    bubble: Bubble
    name: str  # the full name, for the link's accessible name
    marks: tuple[Mark, ...]

    @property
    def text_y(self) -> float:
        return round(self.bubble.y + 5.5, 1)  # the 16-unit font's middle on the bubble's centre


@dataclass(frozen=True)
class Drawing:
    layout: Layout
    people: tuple[Drawn, ...]


def drawing(people: Sequence[Person]) -> Drawing:
    geometry = layout(people)
    names = {p.id: p.name for p in people}
    drawn = []
    for bubble in geometry.bubbles:
        n = len(bubble.helps)
        row = n * MARK_SIZE + (n - 1) * MARK_GAP
        y = bubble.y + BUBBLE_HEIGHT / 2 + MARK_DROP + MARK_SIZE / 2
        marks = tuple(
            Mark(
                kind,
                mark_path(
                    MARKS[kind], bubble.x - row / 2 + MARK_SIZE / 2 + i * (MARK_SIZE + MARK_GAP), y
                ),
            )
            for i, kind in enumerate(bubble.helps)
        )
        drawn.append(Drawn(bubble, names[bubble.person_id], marks))
    return Drawing(geometry, tuple(drawn))


def legend_mark(kind: HelpKind) -> str:
    """The mark alone, for the legend's own little SVG (12 by 12)."""
    return mark_path(MARKS[kind], 6, 6)
