"""Data → SVG geometry for the week page: the templates draw, this module only measures.

Pure functions of numbers, no Flask: a chart is a fixed viewBox (so it scales to any phone
width), one column per day or week, and values placed on a known scale. Rules every chart
follows, so they can be tested here and not in the templates:

- A day without a record is a **gap**: no point, the line is split there, and the column is
  marked (the template draws a dashed rule) so it is never read as a zero. A day still to come
  in the current week is neither a value nor a gap.
- The personal baseline is a band B − S … B + S, present only once a baseline is established.
- Bars for rest carry "did it recharge?" in their shape (filled or open), never only in colour.

Coordinates are rounded to 0.1 of a viewBox unit: plenty for a screen, and it keeps the page
small.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Final

from journal.domain.metrics import Baseline

Number = int | Fraction | float


@dataclass(frozen=True, slots=True)
class Frame:
    """The viewBox and the margins around the plot area (room for labels)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom

    @property
    def plot_right(self) -> int:
        return self.width - self.right


# A 7-day sparkline under its number: full width on a phone, day letters below.
SPARK: Final = Frame(width=320, height=84, left=6, right=6, top=8, bottom=20)
# A chart with a value axis (rest minutes, the 8-week overview).
WIDE: Final = Frame(width=320, height=120, left=34, right=6, top=8, bottom=20)
TREND: Final = Frame(width=320, height=84, left=34, right=6, top=8, bottom=20)


@dataclass(frozen=True, slots=True)
class Scale:
    """The fixed range of a measure (for example 0–10), with the values that get a tick."""

    low: int
    high: int
    ticks: tuple[int, ...] = ()


class Kind(StrEnum):
    VALUE = "value"
    MISSING = "missing"  # no record on a day that has been
    FUTURE = "future"  # a day still to come in the current week


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    x: float  # centre
    left: float
    width: float
    kind: Kind


@dataclass(frozen=True, slots=True)
class Point:
    index: int
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True, slots=True)
class LineChart:
    frame: Frame
    scale: Scale
    columns: tuple[Column, ...]
    points: tuple[Point, ...]  # one per value, in column order
    paths: tuple[str, ...]  # one SVG path per run of consecutive values (≥ 2 points)
    band: Rect | None  # the personal usual range, when established
    ticks: tuple[Tick, ...]
    highlight: Point | None = None  # the current week in the overview

    @property
    def gaps(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind is Kind.MISSING)


@dataclass(frozen=True, slots=True)
class Bar:
    index: int
    x: float
    y: float
    width: float
    height: float  # 0 for a real zero (drawn as a flat stub, not as a gap)
    marked: bool | None  # for rest: did it recharge? None when there is nothing to say


@dataclass(frozen=True, slots=True)
class BarChart:
    frame: Frame
    scale: Scale
    columns: tuple[Column, ...]
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]

    @property
    def gaps(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind is Kind.MISSING)


def rounded(value: Number) -> float:
    """Coordinates to 0.1: finer adds bytes to every page and nothing a screen can show."""
    return round(float(value), 1)


def y_of(value: Number, scale: Scale, frame: Frame) -> float:
    """The height of a value in the plot; values beyond the scale sit at its edge."""
    clamped = min(max(Fraction(value), Fraction(scale.low)), Fraction(scale.high))
    share = (Fraction(scale.high) - clamped) / (scale.high - scale.low)
    return rounded(frame.top + share * frame.plot_height)


def columns(
    values: Sequence[object | None], frame: Frame, future_from: int | None = None
) -> tuple[Column, ...]:
    """Equal slots across the plot; `future_from` is the first index still to come."""
    slot = Fraction(frame.plot_width, len(values)) if values else Fraction(0)
    out = []
    for i, value in enumerate(values):
        if future_from is not None and i >= future_from:
            kind = Kind.FUTURE
        else:
            kind = Kind.MISSING if value is None else Kind.VALUE
        left = frame.left + slot * i
        out.append(Column(i, rounded(left + slot / 2), rounded(left), rounded(slot), kind))
    return tuple(out)


def _ticks(scale: Scale, frame: Frame) -> tuple[Tick, ...]:
    return tuple(Tick(t, y_of(t, scale, frame)) for t in scale.ticks)


def band_of(base: Baseline | None, scale: Scale, frame: Frame) -> Rect | None:
    """The rectangle B − S … B + S across the plot, or None while there is no baseline."""
    if base is None:
        return None
    top = y_of(base.median + base.spread, scale, frame)
    bottom = y_of(base.median - base.spread, scale, frame)
    if bottom <= top:  # wholly outside the scale: nothing to draw
        return None
    return Rect(frame.left, top, frame.plot_width, rounded(bottom - top))


def line_chart(
    values: Sequence[Number | None],
    scale: Scale,
    *,
    baseline: Baseline | None = None,
    future_from: int | None = None,
    frame: Frame = SPARK,
    highlight: int | None = None,
) -> LineChart:
    """Points for the values, a path per unbroken run, the band, and the marked gaps."""
    cols = columns(values, frame, future_from)
    points: list[Point] = []
    paths: list[str] = []
    run: list[Point] = []

    def close_run() -> None:
        if len(run) >= 2:  # a lone point has no line; its dot shows it
            paths.append("M" + "L".join(f"{p.x:g},{p.y:g}" for p in run))
        run.clear()

    for col, value in zip(cols, values, strict=True):
        if col.kind is not Kind.VALUE or value is None:
            close_run()
            continue
        point = Point(col.index, col.x, y_of(value, scale, frame))
        points.append(point)
        run.append(point)
    close_run()
    marked = next((p for p in points if p.index == highlight), None)
    return LineChart(
        frame,
        scale,
        cols,
        tuple(points),
        tuple(paths),
        band_of(baseline, scale, frame),
        _ticks(scale, frame),
        marked,
    )


BAR_SHARE: Final = Fraction(3, 5)  # of a column's width


def bar_chart(
    values: Sequence[int | None],
    marks: Sequence[bool | None],
    scale: Scale,
    *,
    future_from: int | None = None,
    frame: Frame = WIDE,
) -> BarChart:
    """One bar per day with a value, from the scale's bottom; `marks` says filled or open."""
    cols = columns(values, frame, future_from)
    bars = []
    for col, value, mark in zip(cols, values, marks, strict=True):
        if col.kind is not Kind.VALUE or value is None:
            continue
        width = Fraction(col.width) * BAR_SHARE
        y = y_of(value, scale, frame)
        bars.append(
            Bar(
                col.index,
                rounded(Fraction(col.x) - width / 2),
                y,
                rounded(width),
                rounded(frame.plot_bottom - y),
                mark,
            )
        )
    return BarChart(frame, scale, cols, tuple(bars), _ticks(scale, frame))
