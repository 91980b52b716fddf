"""Data → SVG geometry for the coach summary's own chart shapes (the templates only draw).

The 7-point line and bar charts come from :mod:`journal.web.charts`; this module adds the two
shapes D.2 needs that the weekly view does not have:

- the **pattern mix**: weekly mean RI (x) against weekly mean AI (y) on 0–100, split into the
  four D.2 quadrants at 50, with the period's weekly points joined oldest to newest;
- the **flag timeline**: one lane per flag that was active, one column per day, a mark on each
  active day whose class carries the level. Days that could not be judged are marked apart so
  they are never read as "inactive".

Pure functions of numbers, as in charts.py: fixed viewBoxes (they scale to a phone or an A4
column) and coordinates rounded to 0.1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Final

from journal.domain.coach import ACTIVATED_FROM, LOW_RECOVERY_BELOW, Block, Lane
from journal.domain.rules import Flag, State
from journal.web.charts import Frame, Number, rounded

# --- Pattern mix -------------------------------------------------------------------------------


MIX: Final = Frame(width=300, height=250, left=34, right=10, top=10, bottom=34)
MIX_TICKS: Final = (0, 50, 100)


@dataclass(frozen=True, slots=True)
class MixPoint:
    index: int  # the block's index in the period (0 = oldest)
    x: float
    y: float
    current: bool


@dataclass(frozen=True, slots=True)
class MixChart:
    frame: Frame
    mid_x: float  # RI = LOW_RECOVERY_BELOW
    mid_y: float  # AI = ACTIVATED_FROM
    points: tuple[MixPoint, ...]
    path: str | None  # the trajectory through the weeks with data, oldest first
    x_ticks: tuple[tuple[int, float], ...]
    y_ticks: tuple[tuple[int, float], ...]


def mix_x(ri: Number, frame: Frame = MIX) -> float:
    share = min(max(Fraction(ri), Fraction(0)), Fraction(100)) / 100
    return rounded(frame.left + share * frame.plot_width)


def mix_y(ai: Number, frame: Frame = MIX) -> float:
    share = min(max(Fraction(ai), Fraction(0)), Fraction(100)) / 100
    return rounded(frame.top + (1 - share) * frame.plot_height)


def pattern_mix(blocks: Sequence[Block], frame: Frame = MIX) -> MixChart:
    """One point per week with a pattern (G.3: 4 check-ins or more); a week with fewer is
    left out of the path (a gap in the trajectory is not a position)."""
    last = len(blocks) - 1
    points = tuple(
        MixPoint(i, mix_x(b.ri, frame), mix_y(b.ai, frame), i == last)
        for i, b in enumerate(blocks)
        if b.quadrant is not None and b.ri is not None and b.ai is not None
    )
    path = "M" + "L".join(f"{p.x:g},{p.y:g}" for p in points) if len(points) >= 2 else None
    return MixChart(
        frame=frame,
        mid_x=mix_x(LOW_RECOVERY_BELOW, frame),
        mid_y=mix_y(ACTIVATED_FROM, frame),
        points=points,
        path=path,
        x_ticks=tuple((t, mix_x(t, frame)) for t in MIX_TICKS),
        y_ticks=tuple((t, mix_y(t, frame)) for t in MIX_TICKS),
    )


# --- Flag timeline -----------------------------------------------------------------------------

LANE_WIDTH: Final = 640
LANE_LABELS: Final = 200  # room on the left for the flag's name
LANE_RIGHT: Final = 6
LANE_HEIGHT: Final = 20
LANE_TOP: Final = 4
LANE_AXIS: Final = 18  # room below for the day numbers


@dataclass(frozen=True, slots=True)
class Mark:
    x: float
    width: float
    kind: str  # a level id ("notice", "attention", …) or "unjudged"


@dataclass(frozen=True, slots=True)
class LaneRow:
    flag: Flag
    y: float  # top of the lane
    text_y: float
    marks: tuple[Mark, ...]


@dataclass(frozen=True, slots=True)
class DayTick:
    x: float  # centre of the day's column
    edge: float  # its left edge, where a new week's rule is drawn
    label: str  # day of the month, on Mondays and the last day
    week_start: bool


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


def flag_lanes(days: Sequence[date], lanes: Sequence[Lane]) -> LaneChart:
    """Marks for every active (and every unjudged) day of each lane."""
    slot = Fraction(LANE_WIDTH - LANE_LABELS - LANE_RIGHT, max(len(days), 1))
    width = rounded(slot * Fraction(4, 5))
    rows = []
    for n, lane in enumerate(lanes):
        top = LANE_TOP + n * LANE_HEIGHT
        marks = []
        for i, cell in enumerate(lane.cells):
            x = rounded(LANE_LABELS + slot * i + slot / 10)
            if cell.state is State.ACTIVE and cell.level is not None:
                marks.append(Mark(x, width, cell.level.id))
            elif cell.state is State.INSUFFICIENT:
                marks.append(Mark(x, width, "unjudged"))
        rows.append(LaneRow(lane.flag, rounded(top + 3), rounded(top + 14), tuple(marks)))
    axis = LANE_TOP + len(lanes) * LANE_HEIGHT
    ticks = tuple(
        DayTick(
            rounded(LANE_LABELS + slot * i + slot / 2),
            rounded(LANE_LABELS + slot * i),
            str(day.day) if day.weekday() == 0 or i == len(days) - 1 else "",
            day.weekday() == 0,
        )
        for i, day in enumerate(days)
    )
    return LaneChart(
        width=LANE_WIDTH,
        height=axis + LANE_AXIS,
        left=LANE_LABELS,
        right=LANE_WIDTH - LANE_RIGHT,
        top=LANE_TOP,
        bottom=axis,
        rows=tuple(rows),
        ticks=ticks,
    )
