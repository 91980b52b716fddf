"""Chart geometry: one point per record, gaps where days are missing, values at the right height."""

from __future__ import annotations

from fractions import Fraction

import pytest

from journal.domain.metrics import Baseline
from journal.web.charts import (
    SPARK,
    TREND,
    WIDE,
    Frame,
    Kind,
    Scale,
    bar_chart,
    line_chart,
    y_of,
)

TEN = Scale(0, 10, (0, 5, 10))
# A frame with round numbers: plot from x 10 to 80 (7 columns of 10), y 10 (top) to 60.
SIMPLE = Frame(width=90, height=80, left=10, right=10, top=10, bottom=20)


def test_points_equal_records_and_gaps_equal_missing_days() -> None:
    values = [4, 5, None, 7, 6, None, 8]
    chart = line_chart(values, TEN, frame=SIMPLE)
    assert len(chart.points) == 5
    assert [p.index for p in chart.points] == [0, 1, 3, 4, 6]
    assert [g.index for g in chart.gaps] == [2, 5]
    assert [c.kind for c in chart.columns] == [
        Kind.VALUE, Kind.VALUE, Kind.MISSING, Kind.VALUE, Kind.VALUE, Kind.MISSING, Kind.VALUE,
    ]  # fmt: skip


def test_the_line_breaks_at_a_gap_and_never_drops_to_zero() -> None:
    chart = line_chart([4, 5, None, 7, 6, None, 8], TEN, frame=SIMPLE)
    # Runs: Mon–Tue and Thu–Fri; Sunday stands alone, so it is a dot without a line.
    assert chart.paths == ("M15,40L25,35", "M45,25L55,30")
    zero_height = y_of(0, TEN, SIMPLE)
    assert all(p.y != zero_height for p in chart.points)
    assert all(str(zero_height) not in path.split("L")[0] for path in chart.paths)


@pytest.mark.parametrize(
    ("value", "expected_y"),
    [(10, 10.0), (0, 60.0), (5, 35.0), (Fraction(15, 2), 22.5), (7.4, 23.0), (12, 10.0), (-1, 60.0)],
)
def test_values_map_to_heights(value: float, expected_y: float) -> None:
    """Top of the plot for the scale's high end, its bottom for the low end; beyond sits at the edge."""
    assert y_of(value, TEN, SIMPLE) == expected_y


def test_heights_on_a_scale_that_does_not_start_at_zero() -> None:
    sleep = Scale(180, 660)
    assert y_of(660, sleep, SIMPLE) == 10.0
    assert y_of(420, sleep, SIMPLE) == 35.0
    assert y_of(180, sleep, SIMPLE) == 60.0
    assert y_of(120, sleep, SIMPLE) == 60.0  # a night below the scale sits on the edge


def test_columns_are_evenly_spaced_in_the_viewbox() -> None:
    chart = line_chart([1] * 7, TEN, frame=SIMPLE)
    assert [c.x for c in chart.columns] == [15, 25, 35, 45, 55, 65, 75]
    assert all(c.width == 10 for c in chart.columns)
    for frame in (SPARK, WIDE, TREND):
        cols = line_chart([1] * 7, TEN, frame=frame).columns
        assert frame.left <= cols[0].left and cols[-1].left + cols[-1].width <= frame.plot_right + 0.1


def test_points_land_on_their_column_and_height() -> None:
    chart = line_chart([0, 10, 5], TEN, frame=SIMPLE)
    slot = Fraction(70, 3)
    assert [(p.x, p.y) for p in chart.points] == [
        (round(float(10 + slot / 2), 1), 60.0),
        (round(float(10 + slot * 3 / 2), 1), 10.0),
        (round(float(10 + slot * 5 / 2), 1), 35.0),
    ]


def test_the_band_is_there_only_with_a_baseline() -> None:
    assert line_chart([5, 6], TEN, frame=SIMPLE).band is None
    base = Baseline(median=Fraction(6), spread=Fraction(2), n=20)
    band = line_chart([5, 6], TEN, baseline=base, frame=SIMPLE).band
    assert band is not None
    # B + S = 8 → y 20; B − S = 4 → y 40; across the whole plot.
    assert (band.x, band.y, band.width, band.height) == (10, 20.0, 70, 20.0)


def test_a_band_beyond_the_scale_is_clipped_or_left_out() -> None:
    high = Baseline(median=Fraction(9), spread=Fraction(2), n=20)  # 7 … 11 → 7 … 10
    band = line_chart([5], TEN, baseline=high, frame=SIMPLE).band
    assert band is not None and (band.y, band.height) == (10.0, 15.0)
    outside = Baseline(median=Fraction(20), spread=Fraction(1), n=20)
    assert line_chart([5], TEN, baseline=outside, frame=SIMPLE).band is None


def test_days_still_to_come_are_neither_values_nor_gaps() -> None:
    chart = line_chart([5, None, 6, None, None, None, None], TEN, future_from=3, frame=SIMPLE)
    assert [c.kind for c in chart.columns] == [Kind.VALUE, Kind.MISSING, Kind.VALUE] + [Kind.FUTURE] * 4
    assert [g.index for g in chart.gaps] == [1]
    assert chart.paths == ()  # two lone days around a gap
    assert len(chart.points) == 2


def test_an_empty_week_has_no_points_and_seven_gaps() -> None:
    chart = line_chart([None] * 7, TEN)
    assert chart.points == () and chart.paths == ()
    assert len(chart.gaps) == 7


def test_ticks_sit_at_their_values() -> None:
    chart = line_chart([5], TEN, frame=SIMPLE)
    assert [(t.value, t.y) for t in chart.ticks] == [(0, 60.0), (5, 35.0), (10, 10.0)]


def test_the_current_week_is_highlighted() -> None:
    chart = line_chart([50, None, 60, 70], Scale(0, 100), frame=SIMPLE, highlight=3)
    assert chart.highlight is not None and chart.highlight.index == 3
    assert line_chart([50, None], Scale(0, 100), frame=SIMPLE, highlight=1).highlight is None


def test_rest_bars_one_per_record_zero_is_a_stub_and_missing_is_a_gap() -> None:
    minutes = [60, 0, None, 180, 30, 15, None]
    recharged = [True, None, None, False, True, False, None]
    chart = bar_chart(minutes, recharged, Scale(0, 180, (0, 60, 120, 180)), frame=SIMPLE)
    assert [b.index for b in chart.bars] == [0, 1, 3, 4, 5]  # one bar per record
    assert [g.index for g in chart.gaps] == [2, 6]
    heights = {b.index: b.height for b in chart.bars}
    # 60 of 180 on a 50-high plot; 0 is a real zero (a stub), 180 fills the plot.
    assert heights[0] == round(50 / 3, 1) and heights[1] == 0 and heights[3] == 50
    assert all(b.y + b.height == pytest.approx(SIMPLE.plot_bottom) for b in chart.bars)
    assert {b.index: b.marked for b in chart.bars} == {0: True, 1: None, 3: False, 4: True, 5: False}
    # Bars are centred in their column and narrower than it.
    for bar in chart.bars:
        column = chart.columns[bar.index]
        assert bar.width < column.width
        assert bar.x + bar.width / 2 == pytest.approx(column.x, abs=0.1)


def test_bars_leave_out_days_to_come() -> None:
    chart = bar_chart([30, 60, 90, 120, 0, 0, 0], [True] * 7, Scale(0, 180), future_from=4)
    assert [b.index for b in chart.bars] == [0, 1, 2, 3]
    assert chart.gaps == ()
