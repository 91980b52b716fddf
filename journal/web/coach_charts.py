"""Data → SVG geometry for the coach summary's own chart shapes (the templates only draw).

The 7-point line and bar charts come from :mod:`journal.web.charts`; this module adds the shapes
D.2 needs that the weekly view does not have:

- the **pattern mix**: weekly mean RI (x) against weekly mean AI (y) on 0–100, split into the
  four D.2 quadrants at 50, with the period's weekly points joined oldest to newest. Each
  quadrant's name is wrapped to fit inside its own quadrant, so no two names can collide;
- the **flag timeline**: one lane per flag that was active, its name above it, one column per
  day, a mark on each active day whose class carries the level. Days that could not be judged
  are marked apart so they are never read as "inactive";
- the **chain by week**: the chain-link matrix cut into calendar weeks, so a week's table fits a
  phone and the width of an A4 page.

Pure functions of numbers and of words already rendered, as in charts.py: fixed viewBoxes (they
scale to a phone or an A4 column) and coordinates rounded to 0.1. Text is placed with the
generous width estimate of :mod:`journal.web.chart_text`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Final

from journal.domain.coach import ACTIVATED_FROM, LOW_RECOVERY_BELOW, Block, ChainRow, Lane
from journal.domain.rules import Flag, Link, State
from journal.domain.summary import Quadrant
from journal.web.chart_text import ASCENT, DESCENT, Anchor, Box, text_width, wrapped
from journal.web.charts import Frame, Number, rounded

# --- Pattern mix -------------------------------------------------------------------------------


MIX: Final = Frame(width=300, height=250, left=34, right=10, top=10, bottom=34)
MIX_TICKS: Final = (0, 50, 100)
LABEL_SIZES: Final = (10, 9, 8)  # a name that does not fit its quadrant at 10 gets smaller
LABEL_PAD: Final = 5
LINE_HEIGHT: Final = 1.2  # of the font size


@dataclass(frozen=True, slots=True)
class MixPoint:
    index: int  # the block's index in the period (0 = oldest)
    x: float
    y: float
    current: bool


@dataclass(frozen=True, slots=True)
class QuadrantLabel:
    """A quadrant's name in its corner of the plot, wrapped so it stays inside the quadrant."""

    quadrant: Quadrant
    x: float
    anchor: Anchor
    size: int
    lines: tuple[tuple[str, float], ...]  # each line with its baseline
    box: Box  # where its ink can be, at most


@dataclass(frozen=True, slots=True)
class MixChart:
    frame: Frame
    mid_x: float  # RI = LOW_RECOVERY_BELOW
    mid_y: float  # AI = ACTIVATED_FROM
    points: tuple[MixPoint, ...]
    path: str | None  # the trajectory through the weeks with data, oldest first
    x_ticks: tuple[tuple[int, float], ...]
    y_ticks: tuple[tuple[int, float], ...]
    quadrants: Mapping[Quadrant, Box]
    labels: tuple[QuadrantLabel, ...]


def mix_x(ri: Number, frame: Frame = MIX) -> float:
    share = min(max(Fraction(ri), Fraction(0)), Fraction(100)) / 100
    return rounded(frame.left + share * frame.plot_width)


def mix_y(ai: Number, frame: Frame = MIX) -> float:
    share = min(max(Fraction(ai), Fraction(0)), Fraction(100)) / 100
    return rounded(frame.top + (1 - share) * frame.plot_height)


def quadrant_boxes(frame: Frame, mid_x: float, mid_y: float) -> dict[Quadrant, Box]:
    """Activation rises upwards, recovery to the right (D.2's axes)."""
    left, right, top, bottom = frame.left, frame.plot_right, frame.top, frame.plot_bottom
    return {
        Quadrant.ACTIVATED_LOW_RECOVERY: Box(left, top, mid_x, mid_y),
        Quadrant.ACTIVATED_RECOVERING: Box(mid_x, top, right, mid_y),
        Quadrant.LOW_ACTIVATION_LOW_RECOVERY: Box(left, mid_y, mid_x, bottom),
        Quadrant.SETTLED: Box(mid_x, mid_y, right, bottom),
    }


def quadrant_label(quadrant: Quadrant, name: str, room: Box) -> QuadrantLabel:
    """The name in the quadrant's outer corner: left quadrants from the left edge, upper ones
    from the top. Wrapped to the quadrant's width and, if a word is still too long, smaller."""
    width = room.right - room.left - 2 * LABEL_PAD
    for size in LABEL_SIZES:
        lines = wrapped(name, size, width)
        if max(text_width(line, size) for line in lines) <= width:
            break
    step = size * LINE_HEIGHT
    upper = quadrant in (Quadrant.ACTIVATED_LOW_RECOVERY, Quadrant.ACTIVATED_RECOVERING)
    if upper:
        first = room.top + LABEL_PAD + size * ASCENT
    else:
        first = room.bottom - LABEL_PAD - size * DESCENT - step * (len(lines) - 1)
    baselines = [rounded(first + step * n) for n in range(len(lines))]
    left_side = quadrant in (Quadrant.ACTIVATED_LOW_RECOVERY, Quadrant.LOW_ACTIVATION_LOW_RECOVERY)
    widest = max(text_width(line, size) for line in lines)
    x = room.left + LABEL_PAD if left_side else room.right - LABEL_PAD
    box = Box(
        x if left_side else x - widest,
        baselines[0] - size * ASCENT,
        x + widest if left_side else x,
        baselines[-1] + size * DESCENT,
    )
    return QuadrantLabel(
        quadrant,
        rounded(x),
        Anchor.START if left_side else Anchor.END,
        size,
        tuple(zip(lines, baselines, strict=True)),
        box,
    )


def pattern_mix(
    blocks: Sequence[Block], names: Mapping[Quadrant, str] | None = None, frame: Frame = MIX
) -> MixChart:
    """One point per week with a pattern (G.3: 4 check-ins or more); a week with fewer is
    left out of the path (a gap in the trajectory is not a position). `names` are the
    quadrants' names in the reader's language (their ids where nothing is drawn)."""
    names = names or {q: q.value for q in Quadrant}
    last = len(blocks) - 1
    points = tuple(
        MixPoint(i, mix_x(b.ri, frame), mix_y(b.ai, frame), i == last)
        for i, b in enumerate(blocks)
        if b.quadrant is not None and b.ri is not None and b.ai is not None
    )
    path = "M" + "L".join(f"{p.x:g},{p.y:g}" for p in points) if len(points) >= 2 else None
    mid_x, mid_y = mix_x(LOW_RECOVERY_BELOW, frame), mix_y(ACTIVATED_FROM, frame)
    boxes = quadrant_boxes(frame, mid_x, mid_y)
    return MixChart(
        frame=frame,
        mid_x=mid_x,
        mid_y=mid_y,
        points=points,
        path=path,
        x_ticks=tuple((t, mix_x(t, frame)) for t in MIX_TICKS),
        y_ticks=tuple((t, mix_y(t, frame)) for t in MIX_TICKS),
        quadrants=boxes,
        labels=tuple(quadrant_label(q, names[q], boxes[q]) for q in Quadrant),
    )


# --- Flag timeline -----------------------------------------------------------------------------

# The width a phone gives it: names above their lanes leave every unit across for the days.
LANE_WIDTH: Final = 360
LANE_SIDE: Final = 4  # margin left and right
LANE_NAME: Final = 12  # font size of a lane's name
LANE_HEIGHT: Final = 34  # a name, its marks and a gap
LANE_MARK: Final = 12  # height of a mark
LANE_TOP: Final = 2
TICK_SIZE: Final = 10  # font size of the dates below
TICK_GAP: Final = 6  # the least room between two dates
LANE_AXIS: Final = 20  # room below for the dates


@dataclass(frozen=True, slots=True)
class Mark:
    x: float
    width: float
    kind: str  # a level id ("notice", "attention", …) or "unjudged"


@dataclass(frozen=True, slots=True)
class LaneRow:
    flag: Flag
    name_y: float  # baseline of the flag's name
    y: float  # top of the marks
    marks: tuple[Mark, ...]


@dataclass(frozen=True, slots=True)
class DayTick:
    x: float  # centre of the day's column
    edge: float  # its left edge, where a new week's rule is drawn
    week_start: bool


@dataclass(frozen=True, slots=True)
class AxisLabel:
    x: float
    y: float  # the baseline
    anchor: Anchor
    text: str
    box: Box


@dataclass(frozen=True, slots=True)
class LaneChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: float  # y of the axis
    rows: tuple[LaneRow, ...]
    ticks: tuple[DayTick, ...]
    labels: tuple[AxisLabel, ...]  # dates below the axis, never overlapping
    name_size: int = LANE_NAME
    tick_size: int = TICK_SIZE
    mark_height: int = LANE_MARK


def _axis_labels(
    days: Sequence[date], names: Sequence[str], slot: Fraction, bottom: float
) -> tuple[AxisLabel, ...]:
    """The last day's date at the right edge, then each Monday's (and the first day's) from
    its column's left edge, leaving out any that would touch a date already placed."""
    top, base = bottom + 2, bottom + 2 + TICK_SIZE * ASCENT

    def label(i: int, anchor: Anchor) -> AxisLabel:
        width = text_width(names[i], TICK_SIZE)
        x = LANE_SIDE + slot * (i + 1 if anchor is Anchor.END else i)
        left = float(x) - width if anchor is Anchor.END else float(x)
        box = Box(left, top, left + width, base + TICK_SIZE * DESCENT)
        return AxisLabel(rounded(x), rounded(base), anchor, names[i], box)

    if not days:
        return ()
    placed = [label(len(days) - 1, Anchor.END)]
    for i, day in enumerate(days[:-1]):
        if i == 0 or day.weekday() == 0:
            candidate = label(i, Anchor.START)
            wider = Box(
                candidate.box.left - TICK_GAP,
                candidate.box.top,
                candidate.box.right + TICK_GAP,
                candidate.box.bottom,
            )
            if not any(wider.overlaps(p.box) for p in placed):
                placed.append(candidate)
    return tuple(sorted(placed, key=lambda p: p.box.left))


def flag_lanes(days: Sequence[date], lanes: Sequence[Lane], names: Sequence[str]) -> LaneChart:
    """Marks for every active (and every unjudged) day of each lane; `names` are the days'
    dates as the reader writes them (short), one per day."""
    slot = Fraction(LANE_WIDTH - 2 * LANE_SIDE, max(len(days), 1))
    width = rounded(slot * Fraction(4, 5))
    rows = []
    for n, lane in enumerate(lanes):
        top = LANE_TOP + n * LANE_HEIGHT
        marks = []
        for i, cell in enumerate(lane.cells):
            x = rounded(LANE_SIDE + slot * i + slot / 10)
            if cell.state is State.ACTIVE and cell.level is not None:
                marks.append(Mark(x, width, cell.level.id))
            elif cell.state is State.INSUFFICIENT:
                marks.append(Mark(x, width, "unjudged"))
        name_y = rounded(top + LANE_NAME * ASCENT)
        rows.append(LaneRow(lane.flag, name_y, rounded(name_y + 5), tuple(marks)))
    axis = LANE_TOP + len(lanes) * LANE_HEIGHT
    ticks = tuple(
        DayTick(
            rounded(LANE_SIDE + slot * i + slot / 2),
            rounded(LANE_SIDE + slot * i),
            day.weekday() == 0,
        )
        for i, day in enumerate(days)
    )
    return LaneChart(
        width=LANE_WIDTH,
        height=axis + LANE_AXIS,
        left=LANE_SIDE,
        right=LANE_WIDTH - LANE_SIDE,
        top=LANE_TOP,
        bottom=axis,
        rows=tuple(rows),
        ticks=ticks,
        labels=_axis_labels(days, names, slot, axis),
    )


# --- The chain, week by week ---------------------------------------------------------------------


class ChainMark(StrEnum):
    """A link on a day: the class of its cell."""

    PRESENT = "on"
    ABSENT = "off"
    UNKNOWN = "unknown"  # too few check-ins in its window to tell


@dataclass(frozen=True, slots=True)
class ChainWeek:
    """One calendar week of the chain-link matrix; a slot outside the timeline is None."""

    days: tuple[date | None, ...]  # Monday … Sunday
    rows: tuple[tuple[Link, tuple[ChainMark | None, ...]], ...]  # R0 … L5

    @property
    def first(self) -> date:
        return next(d for d in self.days if d is not None)

    @property
    def last(self) -> date:
        return next(d for d in reversed(self.days) if d is not None)


def _mark(value: bool | None) -> ChainMark:
    if value is None:
        return ChainMark.UNKNOWN
    return ChainMark.PRESENT if value else ChainMark.ABSENT


def chain_weeks(days: Sequence[date], chain: Sequence[ChainRow]) -> tuple[ChainWeek, ...]:
    """The matrix cut at each Monday: seven columns fit a phone and half an A4 page, where
    the timeline's 28 did not."""
    index = {day: i for i, day in enumerate(days)}
    mondays = sorted({day - timedelta(days=day.weekday()) for day in days})
    weeks = []
    for monday in mondays:
        slots = [monday + timedelta(days=n) for n in range(7)]
        shown = tuple(d if d in index else None for d in slots)
        rows = tuple(
            (row.link, tuple(None if d is None else _mark(row.values[index[d]]) for d in shown))
            for row in chain
        )
        weeks.append(ChainWeek(shown, rows))
    return tuple(weeks)
