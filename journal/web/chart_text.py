"""Text in an SVG chart: how wide it will be, where it wraps, and the box it may cover.

A server-drawn chart cannot measure its text, so the width is estimated from the widest font
the charts may be drawn in (DejaVu Sans, which the PDF uses; a phone's system font is
narrower), per character and on the generous side. A label placed inside a box with this
estimate stays inside it on paper and on screen; tests/web/test_share_pdf.py checks the
estimate against DejaVu Sans itself and against the rendered pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

WIDE: Final = frozenset("mwMW%→—")
ASCENT: Final = 0.95  # of the font size, above the baseline: accents included
DESCENT: Final = 0.25  # below it


def text_width(text: str, size: float) -> float:
    """An upper bound of the text's width in DejaVu Sans (every glyph there is at most 0.64 em,
    capitals 0.8 em, except the few wide ones)."""
    return size * sum(1.0 if c in WIDE else 0.8 if c.isupper() else 0.64 for c in text)


def wrapped(text: str, size: float, width: float) -> tuple[str, ...]:
    """The words of `text` in as few lines as fit `width`; a word longer than that is a line."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return tuple(lines)


@dataclass(frozen=True, slots=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def holds(self, other: Box) -> bool:
        return (
            self.left <= other.left
            and other.right <= self.right
            and self.top <= other.top
            and other.bottom <= self.bottom
        )


class Anchor(StrEnum):
    """SVG text-anchor: where x lies on the line."""

    START = "start"
    END = "end"
