"""DOMAIN G.3: a week's figures (`week_figures`), against the worked examples and each Reading.

The worked examples in ../shared/examples/summary/ were computed by an independent
implementation; every number must match within 0.01 and everything else exactly. The table
tests below pin each of G.3's "Readings" with a diary built for it (day 1 = Monday 2 March
2026, so days 1–28 are the four weeks before week 5, days 29–35).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.domain.checkin import CheckIn, ContextTag, RestType
from journal.domain.diary_csv import read_diary
from journal.domain.metrics import MAD_SCALE, reference_window
from journal.domain.summary import (
    HeaviestDay,
    Quadrant,
    RestTypeMean,
    Trend,
    WeekFigures,
    WeekMetric,
    parse_week,
    report,
    week_end,
    week_figures,
)
from tests.domain.scenario_builder import build, day_date, make_day
from tests.strategies import diaries

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "examples" / "summary"
TOLERANCE = 0.01
WEEK1, WEEK5 = day_date(1), day_date(29)
EXAMPLE_RE = re.compile(
    r"\| `(?P<expected>\S+\.json)` \| `flask --app journal summary \S+/(?P<csv>\S+\.csv)"
    r" --week (?P<week>\S+)(?: --today (?P<today>\S+))? --json`"
)


def examples() -> list[Any]:
    readme = EXAMPLES / "README.md"
    if not readme.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{EXAMPLES} is not there"))]
    found = [m.groupdict() for m in EXAMPLE_RE.finditer(readme.read_text(encoding="utf-8"))]
    assert len(found) >= 20, "the README's table of examples was not understood"
    return [pytest.param(row, id=row["expected"].removesuffix(".json")) for row in found]


def assert_matches(got: Any, expected: Any, where: str = "") -> None:
    """Numbers within TOLERANCE (counts exactly, as integers), the rest exactly, keys in order."""
    if isinstance(expected, dict):
        assert isinstance(got, dict), where
        assert list(got) == list(expected), where
        for key, value in expected.items():
            assert_matches(got[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), where
        for i, (mine, theirs) in enumerate(zip(got, expected, strict=True)):
            assert_matches(mine, theirs, f"{where}[{i}]")
    elif isinstance(expected, bool) or expected is None or isinstance(expected, str):
        assert got == expected, where
    elif isinstance(expected, int):
        assert type(got) is int and got == expected, where
    else:
        assert isinstance(got, float), where
        assert abs(got - expected) <= TOLERANCE, f"{where}: {got} vs {expected}"


@pytest.mark.parametrize("example", examples())
def test_worked_example(example: dict[str, str]) -> None:
    records = read_diary((EXAMPLES / example["csv"]).read_text(encoding="utf-8")).records
    monday = parse_week(example["week"])
    assert monday is not None
    today = date.fromisoformat(example["today"]) if example["today"] else None
    got = json.loads(report.to_json(week_figures(records, monday, today)))
    expected = json.loads((EXAMPLES / example["expected"]).read_text(encoding="utf-8"))
    assert_matches(got, expected)


# --- Helpers ---------------------------------------------------------------------------------


def figures(records: list[CheckIn], monday: date = WEEK5, today: date | None = None) -> WeekFigures:
    return week_figures(records, monday, today)


def document(records: list[CheckIn], monday: date = WEEK5, today: date | None = None) -> Any:
    return json.loads(report.to_json(week_figures(records, monday, today)))


def energy_week(*energies: int) -> list[CheckIn]:
    """Four steady weeks (energy 7: B 7, S = floor 1), then week 5 with these energies."""
    week = [make_day(29 + i, {"morning_energy": e}) for i, e in enumerate(energies)]
    return build(28) + week


# --- The week and its cut-off ----------------------------------------------------------------


def test_the_reference_window_is_the_28_days_before_monday() -> None:
    """G.3's Monday−28 … Monday−1 is the rules' reference window of the week's Sunday."""
    for monday in (WEEK1, WEEK5, date(2025, 12, 29), date(2024, 2, 26)):
        assert reference_window(week_end(monday)) == (
            monday - timedelta(days=28),
            monday - timedelta(days=1),
        )


def test_records_after_today_are_left_out_of_the_week() -> None:
    records = build(35, (33, 35, {"day_load": 9, "morning_energy": 1}))
    f = figures(records, today=day_date(32))
    assert f.through == day_date(32) and f.checkins == 4
    assert f.heaviest_load == HeaviestDay(day_date(29), 5)  # the 9s come after today
    assert f.metric(WeekMetric.MORNING_ENERGY).mean == 7
    assert f.missing_dates == ()


def test_through_is_sunday_without_today_and_never_after_it() -> None:
    records = build(35)
    assert figures(records).through == day_date(35)
    assert figures(records, today=day_date(60)).through == day_date(35)


def test_missing_dates_include_the_cut_off_day() -> None:
    records = build(33, skip=(30, 33))
    f = figures(records, today=day_date(33))
    assert f.missing_dates == (day_date(30), day_date(33))
    assert f.checkins == 3 and f.days == 5


def test_missing_dates_start_at_the_first_record() -> None:
    """A new person is not counted against the days before they began (whatever its tags)."""
    records = [make_day(n, {"context_tags": ["illness"]} if n == 3 else {}) for n in (3, 5)]
    f = figures(records, monday=WEEK1, today=day_date(6))
    assert f.missing_dates == (day_date(4), day_date(6))
    assert f.days == 4  # Wednesday to Saturday


def test_a_week_before_the_first_record_has_no_missing_dates() -> None:
    records = build(35)[14:]  # the diary starts on day 15
    f = figures(records, monday=day_date(8))
    assert f.checkins == 0 and f.missing_dates == ()
    assert figures([], monday=WEEK1).missing_dates == ()


def test_the_empty_week_keeps_baseline_anchor_and_previous_mean() -> None:
    records = build(28) + build(50)[35:]  # weeks 1–4, nothing in week 5, then more
    got = document(records)
    assert (got["checkins"], got["missing_dates"]) == (0, [day_date(n).isoformat() for n in range(29, 36)])
    for values in got["metrics"].values():
        assert (values["mean"], values["z"], values["arrow"]) == (None, None, None)
        assert None not in (values["baseline"], values["spread"], values["anchor"])
        assert values["previous_mean"] is not None
    assert got["disturbed_nights"] == 0
    assert got["rest"] == {"days": 0, "minutes": 0, "recharged_ratio": None, "by_type": {}}
    assert got["heaviest_load"] == {"record_date": None, "day_load": None}
    assert got["contact"] == {"days": 0, "support_mean": None}
    assert got["movement"] == {"walk_days": 0, "walk_minutes": 0}
    assert got["pattern"] is None


def test_a_diary_without_records() -> None:
    got = document([], monday=WEEK1)
    assert (got["week"], got["start"], got["end"], got["through"]) == (
        "2026-W10", "2026-03-02", "2026-03-08", "2026-03-08",
    )  # fmt: skip
    assert got["checkins"] == 0 and got["missing_dates"] == []
    assert all(set(v.values()) == {None} for v in got["metrics"].values())


def test_bad_weeks_and_days_are_refused() -> None:
    with pytest.raises(ValueError, match="Monday"):
        week_figures([], day_date(2))
    with pytest.raises(ValueError, match="before"):
        week_figures([], WEEK5, WEEK5 - timedelta(days=1))
    assert week_figures([], WEEK5, WEEK5).through == WEEK5


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2026-W10", date(2026, 3, 2)),
        ("2020-W53", date(2020, 12, 28)),
        ("2026-W01", date(2025, 12, 29)),
        ("2025-W53", None),  # 2025 has 52 ISO weeks
        ("2026-W00", None),
        ("2026-W1", None),
        ("2026-W100", None),
        ("2026W10", None),
        ("2026-W10\n", None),
        (" 2026-W10", None),
        ("٢٠٢٦-W10", None),  # digits, but not the ASCII ones G.3 writes
    ],
)
def test_parse_week(text: str, monday: date | None) -> None:
    assert parse_week(text) == monday


# --- Means, baselines, z and arrows ----------------------------------------------------------


@pytest.mark.parametrize(
    ("energies", "arrow"),
    [
        ((7, 8), Trend.UP),  # mean 7.5: z = +0.5 exactly is not flat
        ((7, 7, 8), Trend.FLAT),  # z = 1/3
        ((6, 7), Trend.DOWN),  # z = −0.5 exactly
        ((7, 7, 7, 7), Trend.FLAT),
    ],
)
def test_arrow_at_half_a_spread(energies: tuple[int, ...], arrow: Trend) -> None:
    assert figures(energy_week(*energies)).metric(WeekMetric.MORNING_ENERGY).arrow is arrow


def test_the_arrow_follows_the_sign_where_higher_is_worse() -> None:
    records = [*build(28), make_day(29, {"startup_effort": 6})]
    effort = figures(records).metric(WeekMetric.STARTUP_EFFORT)
    assert effort.z == 3 and effort.arrow is Trend.UP


def test_baseline_needs_seven_values_without_illness_or_travel() -> None:
    tagged = {"context_tags": ["illness"]}
    travel = {"context_tags": ["travel_shift"]}
    # Days 22–28 only: 7 values, a baseline.
    seven = build(35)[21:]
    assert figures(seven).metric(WeekMetric.RI).baseline is not None
    # Two of them tagged: 5 values, none; days before Monday−28 (day 1) never count.
    five = [make_day(n, tagged if n == 22 else travel if n == 23 else {}) for n in range(22, 36)]
    assert figures([make_day(0, {}), make_day(-1, {}), *five]).metric(WeekMetric.RI).baseline is None
    assert figures([make_day(1, {}), make_day(2, {}), *five]).metric(WeekMetric.RI).baseline is not None


def test_even_count_medians_take_the_middle_two() -> None:
    """Eight reference values: B is the mean of the 4th and 5th, and so is the MAD."""
    energy = [2, 4, 4, 5, 7, 8, 9, 9]  # median (5 + 7) / 2 = 6
    reference = [make_day(20 + i, {"morning_energy": e}) for i, e in enumerate(energy)]
    f = figures([*reference, make_day(29, {})])
    base = f.metric(WeekMetric.MORNING_ENERGY).baseline
    assert base is not None and base.median == 6 and base.n == 8
    # |v − 6|: 4, 2, 2, 1, 1, 2, 3, 3 → sorted 1, 1, 2, 2, 2, 3, 3, 4 → MAD (2 + 2) / 2 = 2.
    assert base.spread == 2 * MAD_SCALE


@pytest.mark.parametrize(
    ("metric", "floor"),
    [
        (WeekMetric.RI, 8), (WeekMetric.AI, 8), (WeekMetric.MORNING_ENERGY, 1),
        (WeekMetric.REFRESHED, Fraction(1, 2)), (WeekMetric.DAY_LOAD, 1), (WeekMetric.TST, 30),
        (WeekMetric.SOL, 10), (WeekMetric.WASO, 10), (WeekMetric.SE, 5),
    ],
)  # fmt: skip
def test_spread_floors(metric: WeekMetric, floor: Fraction) -> None:
    """Four identical weeks: the MAD is 0, so the spread is the floor."""
    base = figures(build(35)).metric(metric).baseline
    assert base is not None and base.spread == floor


def test_se_is_the_mean_of_the_nightly_values() -> None:
    # 480 and 960 minutes in bed, 455 and 935 asleep: mean SE ≠ total asleep / total in bed.
    records = [make_day(29, {}), make_day(30, {"lights_out_time": "19:00", "out_of_bed_time": "11:00"})]
    se = figures(records).metric(WeekMetric.SE).mean
    assert se == (Fraction(45500, 480) + Fraction(93500, 960)) / 2


def test_illness_days_count_in_the_mean() -> None:
    records = [*build(28), make_day(29, {"morning_energy": 1, "context_tags": ["illness"]}), make_day(30, {})]
    assert figures(records).metric(WeekMetric.MORNING_ENERGY).mean == 4


def test_previous_mean_is_the_whole_previous_week() -> None:
    records = build(35, (22, 28, {"morning_energy": 4}), (28, 28, {"context_tags": ["illness"]}))
    f = figures(records, today=day_date(29))
    assert f.metric(WeekMetric.MORNING_ENERGY).previous_mean == 4  # illness included
    assert figures(build(28)[:21] + build(35)[28:]).metric(WeekMetric.RI).previous_mean is None


def test_anchor_skips_illness_but_counts_travel_and_reads_after_today() -> None:
    """Days 1–14 with day 2 ill and day 3 on travel: the anchor's 14 records are days 1 and
    3–15; travel day 3 is in it, while the baseline of week 5 leaves travel out."""
    records = build(
        35,
        (2, 2, {"context_tags": ["illness"], "morning_energy": 0}),
        (3, 3, {"context_tags": ["travel_shift"], "morning_energy": 0}),
        (15, 15, {"morning_energy": 10}),
        (22, 22, {"context_tags": ["travel_shift"], "morning_energy": 0}),
    )
    # Energies of days 1, 3–15: 7, 0, then 7 × 11, then 10 → median 7.
    energy = figures(records, monday=WEEK1, today=WEEK1).metric(WeekMetric.MORNING_ENERGY)
    assert energy.anchor == 7
    # With 13 valid records the anchor does not exist yet, also not on a later week.
    assert figures(records[:14], monday=WEEK1).metric(WeekMetric.RI).anchor is None
    # Every week shows the same anchor: RI×3 of 145 (day 3), 215 twelve times, 245 (day 15).
    ri = figures(records).metric(WeekMetric.RI)
    assert ri.anchor == Fraction(215, 3)
    # The baseline of week 5 (days 1–28) leaves out day 2 (illness) and days 3 and 22 (travel).
    base = figures(records).metric(WeekMetric.MORNING_ENERGY).baseline
    assert base is not None and base.n == 25 and base.median == 7


def test_anchor_of_an_even_count_takes_the_middle_two() -> None:
    # Fourteen values: seven of 4 and seven of 8 → (4 + 8) / 2 = 6.
    records = build(14, (1, 14, {"morning_energy": lambda n: 4 if n <= 7 else 8}))
    assert figures(records, monday=WEEK1).metric(WeekMetric.MORNING_ENERGY).anchor == 6


# --- Rest, load, contact, movement, pattern ---------------------------------------------------


def test_rest_counts_rest_days_and_all_minutes() -> None:
    records = [
        make_day(29, {"rest_minutes": 15, "rest_types": ["nap"], "rest_recharged": 4}),
        make_day(30, {"rest_minutes": 30, "rest_types": ["nap", "screen"], "rest_recharged": 3}),
        make_day(31, {"rest_minutes": 60, "rest_types": ["nap"], "rest_recharged": 0}),
        make_day(32, {"rest_minutes": 0}),
        make_day(33, {"rest_minutes": 90, "rest_types": ["screen"], "rest_recharged": 1}),
    ]
    rest = figures(records).rest
    assert (rest.rest_days, rest.total_minutes, rest.recharged_days) == (3, 195, 1)
    assert rest.recharged_ratio == Fraction(1, 3)
    # nap on two rest days (3, 0; the 15 minutes are no rest day), screen on two (3, 1).
    assert rest.by_type == (
        RestTypeMean(RestType.NAP, 2, Fraction(3, 2)),
        RestTypeMean(RestType.SCREEN, 2, Fraction(2)),
    )


def test_a_rest_type_needs_two_rest_days() -> None:
    records = [
        make_day(29, {"rest_minutes": 15, "rest_types": ["passive"], "rest_recharged": 2}),
        make_day(30, {"rest_minutes": 30, "rest_types": ["passive"], "rest_recharged": 2}),
    ]
    rest = figures(records).rest
    assert rest.by_type == () and rest.recharged_ratio == 0


def test_heaviest_load_takes_the_earliest_of_a_tie() -> None:
    records = build(35, (29, 35, {"day_load": lambda n: 8 if n in (31, 34) else 4}))
    heaviest = figures(records).heaviest_load
    assert heaviest == HeaviestDay(day_date(31), 8)
    assert heaviest is not None and heaviest.day == day_date(30)  # the load of the day before


def test_contact_and_movement() -> None:
    records = [
        make_day(29, {"social_contact": "meaningful", "support_felt": 4, "walk_outside_min": 10}),
        make_day(30, {"social_contact": "brief", "support_felt": None, "walk_outside_min": 0}),
        make_day(31, {"social_contact": "none", "support_felt": 1, "walk_outside_min": 45}),
    ]
    got = document(records)
    assert got["contact"] == {"days": 1, "support_mean": 2.5}
    assert got["movement"] == {"walk_days": 2, "walk_minutes": 55}


def _pattern_week(n: int, **values: Any) -> list[CheckIn]:
    return [make_day(29 + i, values) for i in range(n)]


@pytest.mark.parametrize(
    ("values", "pattern"),
    [
        # RI = (25·2 + 10·5 + 10·5) / 3 = 50 exactly: not low recovery.
        (dict(refreshed=2, morning_energy=5, startup_effort=5), Quadrant.SETTLED),
        # AI = (10·5 + 10·5) / 2 = 50 exactly: activated.
        (dict(bedtime_tension=5, letting_go=5), Quadrant.ACTIVATED_RECOVERING),
        (dict(bedtime_tension=5, letting_go=5, refreshed=1, morning_energy=5, startup_effort=5),
         Quadrant.ACTIVATED_LOW_RECOVERY),
        (dict(refreshed=1, morning_energy=5, startup_effort=5), Quadrant.LOW_ACTIVATION_LOW_RECOVERY),
    ],
)
def test_pattern_bounds_are_exact(values: dict[str, int], pattern: Quadrant) -> None:
    assert figures(_pattern_week(4, **values)).pattern is pattern


def test_pattern_needs_four_check_ins() -> None:
    assert figures(_pattern_week(3)).pattern is None
    assert figures(_pattern_week(4)).pattern is Quadrant.SETTLED
    # Four check-ins, but only three by today: no pattern yet.
    assert figures(_pattern_week(4), today=day_date(31)).pattern is None


def test_disturbed_nights() -> None:
    records = [make_day(29 + i, v) for i, v in enumerate(
        [{"sol_min": 31}, {"waso_min": 31}, {"sol_min": 30, "waso_min": 30}, {}]
    )]  # fmt: skip
    assert figures(records).disturbed_nights == 2


# --- Property: never raises, counts consistent ----------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    diary=diaries(max_size=40, dates=st.dates(date(2026, 1, 1), date(2026, 3, 31))),
    monday=st.dates(date(2026, 1, 5), date(2026, 3, 30)).map(
        lambda d: d - timedelta(days=d.weekday())
    ),
    cut=st.none() | st.integers(0, 10),
)
def test_week_figures_never_raise_and_counts_agree(
    diary: list[CheckIn], monday: date, cut: int | None
) -> None:
    today = None if cut is None else monday + timedelta(days=cut)
    f = week_figures(diary, monday, today)
    days_through = (f.through - monday).days + 1
    assert f.checkins + len(f.missing_dates) <= days_through
    in_week = [r for r in diary if monday <= r.date <= f.through]
    assert f.checkins == len(in_week)
    assert set(f.missing_dates).isdisjoint(r.date for r in diary)
    assert f.rest.rest_days <= f.checkins and f.contact.meaningful_days <= f.checkins
    assert (f.pattern is None) == (f.checkins < 4)
    json.loads(report.to_json(f))
    report.to_table(f)
    # Tags other than illness and travel never change a figure.
    plain = [replace(r, context_tags=r.context_tags & {ContextTag.ILLNESS, ContextTag.TRAVEL_SHIFT}) for r in diary]
    assert week_figures(plain, monday, today) == f
