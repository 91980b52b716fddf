"""DOMAIN D.1: the weekly summary's numbers, worked out by hand in the comments next to them.

The diaries come from the scenario builder: day 1 is Monday 2 March 2026, so days 29–35 are the
fifth week (Monday 30 March – Sunday 5 April) and days 1–28 are exactly the four weeks before it,
which is the reference window of that Sunday's baseline (Sunday−34 … Sunday−7 = days 1–28).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest

from journal.domain.checkin import CheckIn, ContextTag, Intensity, RestType, Social
from journal.domain.lifecycle import by_priority
from journal.domain.metrics import ANCHOR_N, MAD_SCALE, Metric
from journal.domain.rules import Flag, evaluate
from journal.domain.summary import (
    Factor,
    HeaviestDay,
    Helped,
    RestTypeMean,
    Trend,
    WeekMetric,
    WeekSummary,
    week_figures,
    week_summary,
    window,
)
from tests.domain.scenario_builder import alt, build, day_date, make_day
from tests.domain.test_scenarios import SCENARIOS

WEEK5 = day_date(29)  # Monday 30 March 2026
SUNDAY5 = day_date(35)

# The fifth week, one line per day; days 31 (Wednesday) and 34 (Saturday) have no record.
WEEK5_DAYS = {
    29: dict(morning_energy=4, refreshed=2, startup_effort=5, bedtime_tension=6, letting_go=4,
             day_load=7, rest_minutes=60, rest_types=["passive", "nap"], rest_recharged=1,
             social_contact="brief", support_felt=None, walk_outside_min=0,
             movement_intensity=None, sol_min=40, waso_min=10),
    30: dict(morning_energy=5, refreshed=2, startup_effort=6, bedtime_tension=5, letting_go=5,
             day_load=6, rest_minutes=30, rest_types=["passive"], rest_recharged=3,
             social_contact="meaningful", support_felt=3, walk_outside_min=20,
             movement_intensity=Intensity.CALM, sol_min=15, waso_min=35),
    32: dict(morning_energy=6, refreshed=3, startup_effort=4, bedtime_tension=4, letting_go=6,
             day_load=8, rest_minutes=90, rest_types=["passive", "quiet_activity"],
             rest_recharged=4, social_contact="meaningful", support_felt=4,
             walk_outside_min=30, movement_intensity=Intensity.MODERATE, sol_min=10, waso_min=10),
    33: dict(morning_energy=3, refreshed=1, startup_effort=7, bedtime_tension=7, letting_go=3,
             day_load=5, rest_minutes=15, rest_types=["screen", "quiet_activity"],
             rest_recharged=2, social_contact="none", support_felt=1, walk_outside_min=10,
             movement_intensity=Intensity.CALM, sol_min=20, waso_min=20),
    35: dict(morning_energy=7, refreshed=3, startup_effort=3, bedtime_tension=3, letting_go=7,
             day_load=8, rest_minutes=0, social_contact="brief", support_felt=None,
             walk_outside_min=45, movement_intensity=Intensity.CALM, sol_min=31, waso_min=0),
}  # fmt: skip


def five_weeks() -> list[CheckIn]:
    """Four default weeks with energy 6/8 alternating (so S comes from the MAD), then week 5."""
    before = build(28, (1, 28, dict(morning_energy=alt(6, 8))))
    return before + [make_day(n, values) for n, values in WEEK5_DAYS.items()]


@pytest.fixture(scope="module")
def week5() -> WeekSummary:
    return week_summary(five_weeks(), WEEK5, today=date(2026, 4, 20))


def test_checkins_and_the_days_of_the_week(week5: WeekSummary) -> None:
    s = week5
    assert s.checkins == 5 and s.days_so_far == 7 and not s.current
    assert s.last_day == SUNDAY5
    days = s.days
    assert [d.date for d in days] == [WEEK5 + timedelta(days=i) for i in range(7)]
    assert [d.checked_in for d in days] == [True, True, False, True, True, False, True]
    # Missing days carry no numbers at all: never a zero.
    for missing in (days[2], days[5]):
        assert missing.missing and not missing.future
        assert (missing.ri, missing.morning_energy, missing.tst, missing.rest_minutes) == (None,) * 4
        assert missing.recharged is None
    assert [d.morning_energy for d in days] == [4, 5, None, 6, 3, None, 7]
    assert [d.rest_minutes for d in days] == [60, 30, None, 90, 15, None, 0]
    assert [d.recharged for d in days] == [False, True, None, True, False, None, None]


def test_morning_means_and_arrows(week5: WeekSummary) -> None:
    ri, energy, refreshed, effort = week5.morning
    assert [m.metric for m in (ri, energy, refreshed, effort)] == [
        Metric.RI, Metric.MORNING_ENERGY, Metric.REFRESHED, Metric.STARTUP_EFFORT,
    ]  # fmt: skip
    # RI×3 per morning: 50+40+50=140, 50+50+40=140, 75+60+60=195, 25+30+30=85, 75+70+70=215.
    assert ri.mean == Fraction(140 + 140 + 195 + 85 + 215, 15)  # = 155/3 ≈ 51.7
    assert ri.baseline and energy.baseline and refreshed.baseline
    # Reference RI×3 alternates 205 and 225: median 215 (RI 71.7), MAD 10/3, 1.4826·10/3 < 8.
    assert ri.baseline.median == Fraction(215, 3)
    assert ri.baseline.spread == 8
    assert ri.z == (Fraction(155, 3) - Fraction(215, 3)) / 8 == Fraction(-5, 2)
    assert ri.trend is Trend.DOWN
    # Energy 4, 5, 6, 3, 7 → 5; reference 6/8 → B 7, MAD 1, S = 1.4826.
    assert energy.mean == 5
    assert (energy.baseline.median, energy.baseline.spread) == (Fraction(7), MAD_SCALE)
    assert energy.z == Fraction(-2) / MAD_SCALE
    assert energy.trend is Trend.DOWN
    # Refreshed 2, 2, 3, 1, 3 → 11/5; reference all 3 → B 3, S = floor 0.5; z = −1.6.
    assert refreshed.mean == Fraction(11, 5)
    assert refreshed.z == Fraction(-8, 5) and refreshed.trend is Trend.DOWN
    # Effort 5, 6, 4, 7, 3 → 5; reference 3 → z = +2: more effort than usual.
    assert effort.mean == 5 and effort.z == 2 and effort.trend is Trend.UP


def test_evening_means_and_arrows(week5: WeekSummary) -> None:
    tension, letting_go = week5.evening
    assert tension.metric is Metric.BEDTIME_TENSION and letting_go.metric is Metric.LETTING_GO
    assert tension.mean == Fraction(6 + 5 + 4 + 7 + 3, 5) == 5
    assert tension.z == 2 and tension.trend is Trend.UP  # B 3, S 1
    assert letting_go.mean == Fraction(4 + 5 + 6 + 3 + 7, 5) == 5
    assert letting_go.z == -2 and letting_go.trend is Trend.DOWN  # B 7, S 1


def test_sleep(week5: WeekSummary) -> None:
    sleep = week5.sleep
    # 23:00 → 07:00 is 480 min in bed, no final wake given: TST = 480 − SOL − WASO.
    tst = [480 - 40 - 10, 480 - 15 - 35, 480 - 10 - 10, 480 - 20 - 20, 480 - 31 - 0]
    assert tst == [430, 430, 460, 440, 449]
    assert sleep.nights == 5
    assert sleep.tst == Fraction(2209, 5)  # 441.8 min = 7:22
    assert sleep.sol == Fraction(40 + 15 + 10 + 20 + 31, 5)
    assert sleep.waso == Fraction(10 + 35 + 10 + 20 + 0, 5) == 15
    assert sleep.se == Fraction(100 * 2209, 5 * 480)  # mean of the per-night SE, ≈ 92.0 %
    # SOL ≥ 31 or WASO ≥ 31: Monday (SOL 40), Tuesday (WASO 35), Sunday (SOL 31).
    assert sleep.disturbed_nights == 3
    assert sleep.tst_measure.baseline is not None
    assert sleep.tst_measure.baseline.median == 455  # the default night


def test_rest_and_what_recharges(week5: WeekSummary) -> None:
    rest = week5.rest
    assert rest.rest_days == 3  # 60, 30 and 90 min; 15 is rest but not a rest day, 0 none
    assert rest.total_minutes == 60 + 30 + 90 + 15 + 0
    assert rest.recharged_days == 2  # recharged 3 and 4; the 60-minute rest only 1
    assert rest.recharged_ratio == Fraction(2, 3)
    # G.3 counts rest days (≥ 30 min) per type: passive on Mon (1), Tue (3), Thu (4). Quiet
    # activity was used on Thu and on Fri, but Friday's 15 minutes are no rest day: one day,
    # not listed (before G.3 it was, with the mean 3 of Thu and Fri). Nap and screen once.
    assert rest.by_type == (RestTypeMean(RestType.PASSIVE, 3, Fraction(8, 3)),)


def test_load_contact_and_movement(week5: WeekSummary) -> None:
    s = week5
    assert s.load.mean == Fraction(7 + 6 + 8 + 5 + 8, 5)
    # Load 8 on Thursday's and Sunday's records: the first wins, and it describes Wednesday.
    assert s.load.heaviest == HeaviestDay(record_date=date(2026, 4, 2), load=8)
    assert s.load.heaviest.day == date(2026, 4, 1)
    contact = s.contact
    assert contact.meaningful_days == 2
    assert (contact.support_answered, contact.support_mean) == (3, Fraction(3 + 4 + 1, 3))
    movement = s.movement
    assert movement.walk_days == 4  # 20, 30, 10, 45; the 0 does not count
    assert movement.total_minutes == 105
    assert movement.intensity == (
        (Intensity.CALM, 3), (Intensity.MODERATE, 1), (Intensity.INTENSE, 0),
    )  # fmt: skip
    assert movement.intensity_answered == 4


def test_what_may_have_helped(week5: WeekSummary) -> None:
    helped = {h.factor: h for h in week5.helped}
    # Walk ≥ 20 on Tue, Thu, Sun (RI×3 140, 195, 215) vs Mon, Fri (140, 85).
    walk = helped[Factor.WALK]
    assert (walk.with_mean, walk.without_mean) == (Fraction(550, 9), Fraction(225, 6))
    assert (walk.with_n, walk.without_n) == (3, 2)
    # Real contact on Tue and Thu vs Mon, Fri, Sun: 335/6 − 440/9 = 125/18 ≈ 6.9 ≥ 5.
    contact = helped[Factor.CONTACT]
    assert (contact.with_mean, contact.without_mean) == (Fraction(335, 6), Fraction(440, 9))
    assert contact.difference == Fraction(125, 18)
    # Rest that recharged (a rest day with 3 or 4): Tue and Thu again.
    rest = helped[Factor.RECHARGING_REST]
    assert (rest.with_n, rest.without_n) == (2, 3)
    assert list(helped) == [Factor.WALK, Factor.CONTACT, Factor.RECHARGING_REST]


def test_the_eight_week_series(week5: WeekSummary) -> None:
    weeks = week5.weeks
    assert len(weeks) == 8 and [w.current for w in weeks] == [False] * 7 + [True]
    assert weeks[-1].week_start == WEEK5 and weeks[0].week_start == WEEK5 - timedelta(weeks=7)
    # Weeks 1–3 of the series lie before the diary: no records, no means (never zero).
    assert [(w.checkins, w.ri) for w in weeks[:3]] == [(0, None)] * 3
    assert [w.checkins for w in weeks[3:]] == [7, 7, 7, 7, 5]
    assert weeks[-1].ri == Fraction(155, 3)
    # Days 22–28: energy 8 on the even days (22, 24, 26, 28), 6 on the odd ones. RI×3 is
    # 75 + 10·energy + 70: four times 225 and three times 205 → 1515 / 21.
    assert weeks[-2].ri == Fraction(1515, 21)
    # AI = (10·tension + 10·(10 − letting go)) / 2 = (30 + 30) / 2 on every default day.
    assert weeks[-2].ai == 30


def test_an_arrow_needs_half_a_spread() -> None:
    """|z| ≥ 0.5 gives an arrow, inclusive; below it the week is 'about your usual'."""
    before = build(28)  # energy 7 throughout: B 7, S = floor 1

    def energy_trend(*energies: int) -> Trend | None:
        week = [make_day(29 + i, dict(morning_energy=e)) for i, e in enumerate(energies)]
        return week_summary(before + week, WEEK5, date(2026, 4, 20)).morning[1].trend

    assert energy_trend(7, 8) is Trend.UP  # mean 7.5: z = 0.5 exactly
    assert energy_trend(7, 7, 8) is Trend.FLAT  # mean 7⅓: z = ⅓
    assert energy_trend(6, 7) is Trend.DOWN  # mean 6.5: z = −0.5 exactly
    assert energy_trend(7, 7, 7, 7) is Trend.FLAT


def test_a_week_without_check_ins() -> None:
    s = week_summary(build(28), WEEK5, date(2026, 4, 20))
    assert s.checkins == 0 and all(d.missing for d in s.days)
    assert all(m.mean is None and m.trend is None for m in (*s.morning, *s.evening))
    # The usual level is known (four weeks before), there is just nothing to compare with it.
    assert all(m.baseline is not None for m in s.morning) and s.has_baseline
    assert (s.sleep.nights, s.sleep.tst, s.sleep.se, s.sleep.disturbed_nights) == (0, None, None, 0)
    assert (s.rest.rest_days, s.rest.total_minutes, s.rest.recharged_ratio) == (0, 0, None)
    assert s.rest.by_type == ()
    assert (s.load.mean, s.load.heaviest) == (None, None)
    assert (s.contact.meaningful_days, s.contact.support_mean) == (0, None)
    assert (s.movement.walk_days, s.movement.total_minutes) == (0, 0)
    assert s.helped == ()
    assert s.weeks[-1].ri is None and s.weeks[-2].checkins == 7


def test_no_records_at_all() -> None:
    s = week_summary([], WEEK5, date(2026, 4, 1))
    assert s.checkins == 0 and s.stood_out == () and not s.has_baseline
    assert all(w.checkins == 0 for w in s.weeks)


def test_no_baseline_yet_in_the_first_weeks() -> None:
    """The second week compares with the first only once that holds 7 records (BASE_MIN_N)."""
    s = week_summary(build(14, skip=[3]), day_date(8), date(2026, 3, 20))
    assert s.checkins == 7
    assert not s.has_baseline
    assert all(m.baseline is None and m.trend is None for m in (*s.morning, *s.evening))
    assert s.morning[1].mean == 7
    assert week_summary([], day_date(1), day_date(1)).has_baseline is False
    full_first_week = week_summary(build(14), day_date(8), date(2026, 3, 20))
    assert full_first_week.has_baseline
    assert full_first_week.morning[1].trend is Trend.FLAT


def test_the_current_week() -> None:
    """Seen on Wednesday: Thursday–Sunday are still to come, and the flags are today's."""
    records = build(31)  # through Wednesday 1 April
    today = day_date(31)
    s = week_summary(records, WEEK5, today)
    assert s.current and s.last_day == today and s.days_so_far == 3 and s.checkins == 3
    assert [d.future for d in s.days] == [False] * 3 + [True] * 4
    assert not any(d.missing for d in s.days)
    expected = [r.flag for r in by_priority(evaluate(records, today))][:3]
    assert [item.flag for item in s.stood_out] == expected


def test_a_future_week_is_refused() -> None:
    with pytest.raises(ValueError, match="not started"):
        week_summary(build(7), day_date(8), day_date(7))
    with pytest.raises(ValueError, match="Monday"):
        week_summary(build(7), day_date(2), day_date(7))


def test_what_stood_out_merges_the_chain_and_keeps_three() -> None:
    """S02 on its day 28 (a Sunday): six flags active; the chain and early signs become one."""
    records = SCENARIOS["S02"]
    s = week_summary(records, day_date(22), day_date(40))
    assert s.last_day == day_date(28)
    assert [item.flag for item in s.stood_out] == [
        Flag.SIGNPOST_LOOK_FURTHER, Flag.REST_NO_RECOVERY, Flag.SLEEP_DISRUPTED,
    ]  # fmt: skip
    chain = s.stood_out[1]
    early = next(r for r in evaluate(records, day_date(28)) if r.flag is Flag.EARLY_SIGNS)
    assert chain.early_signs == early.reasons and chain.early_signs
    assert chain.links == {link: True for link in ("R0", "L1", "L2", "L3", "L4", "L5")}
    assert [item.flag for item in s.signposts] == [Flag.SIGNPOST_LOOK_FURTHER]


# --- "What may have helped": the thresholds ---------------------------------------------------


def helped_week(*days: dict[str, object]) -> dict[Factor, Helped]:
    """A week of the given mornings (Monday on), everyone else's contact brief and rest short,
    so only the factor under test can form two groups."""
    plain = dict(social_contact="brief", rest_minutes=15, rest_recharged=2, walk_outside_min=10)
    week = [make_day(29 + i, {**plain, **values}) for i, values in enumerate(days)]
    s = week_summary(build(28) + week, WEEK5, date(2026, 4, 20))
    return {h.factor: h for h in s.helped}


def test_helped_needs_a_difference_of_five() -> None:
    # RI×3 with walk: 215 + 10 (energy 8) and 215 + 20 (energy 8, effort 2); without: 215, 215.
    # The difference is (245 + 225 − 430) / 2 / 3 = 5 exactly: shown.
    exactly_five = helped_week(
        dict(walk_outside_min=20, morning_energy=8),
        dict(walk_outside_min=20, morning_energy=8, startup_effort=2),
        dict(), dict(),
    )  # fmt: skip
    assert exactly_five[Factor.WALK].difference == 5
    # With: 225, 225; without: 215 (energy 7) and 215 (energy 6, effort 2): 10/3, below 5.
    just_below = helped_week(
        dict(walk_outside_min=20, morning_energy=8),
        dict(walk_outside_min=20, morning_energy=8, startup_effort=3, refreshed=3),
        dict(morning_energy=7, startup_effort=3), dict(morning_energy=6, startup_effort=2),
    )  # fmt: skip
    assert Factor.WALK not in just_below


def test_helped_needs_two_mornings_on_each_side() -> None:
    one_walk = helped_week(
        dict(walk_outside_min=30, morning_energy=10), dict(), dict(), dict(),
    )  # fmt: skip
    assert Factor.WALK not in one_walk
    two_walks = helped_week(
        dict(walk_outside_min=30, morning_energy=10),
        dict(walk_outside_min=20, morning_energy=10),
        dict(), dict(),
    )  # fmt: skip
    assert two_walks[Factor.WALK].difference == 10  # energy +3 is RI +10
    one_without = helped_week(
        dict(walk_outside_min=30, morning_energy=10),
        dict(walk_outside_min=20, morning_energy=10),
        dict(),
    )  # fmt: skip
    assert Factor.WALK not in one_without


def test_helped_lists_only_what_went_with_better_mornings() -> None:
    worse_after_walks = helped_week(
        dict(walk_outside_min=30, morning_energy=3),
        dict(walk_outside_min=20, morning_energy=3),
        dict(), dict(),
    )  # fmt: skip
    assert worse_after_walks == {}


def test_helped_groups_contact_and_recharging_rest() -> None:
    found = helped_week(
        dict(social_contact="meaningful", rest_minutes=60, rest_recharged=4, morning_energy=10),
        dict(social_contact="meaningful", rest_minutes=30, rest_recharged=3, morning_energy=10),
        # 15 minutes that recharged is not a rest day; meaningful contact with a low morning.
        dict(rest_minutes=15, rest_recharged=4, social_contact="meaningful", morning_energy=4),
        dict(), dict(),
    )  # fmt: skip
    # Contact: RI×3 245, 245, 185 vs 215, 215 → 225/3 − 215/3 = 10/3: below 5.
    assert Factor.CONTACT not in found
    # Recharging rest: 245, 245 vs 185, 215, 215 → (245 − 205)/3 = 40/3.
    rest = found[Factor.RECHARGING_REST]
    assert (rest.with_n, rest.without_n) == (2, 3)
    assert rest.difference == Fraction(40, 3)


def test_helped_leaves_illness_mornings_out() -> None:
    ill = dict(context_tags=["illness"], morning_energy=0, refreshed=0, startup_effort=10)
    # Without the ill morning the "without" side has one morning only: nothing to compare.
    found = helped_week(
        dict(walk_outside_min=30), dict(walk_outside_min=30), dict(), ill,
    )  # fmt: skip
    assert found == {}


# --- Cost: the window is enough ------------------------------------------------------------------


def test_the_window_plus_the_first_records_gives_the_same_summary() -> None:
    """A long diary cut to `window` (plus its first record and, for the anchor, its first
    ANCHOR_N valid records) summarises exactly like the whole."""
    long = build(200, (1, 200, dict(morning_energy=lambda n: 3 + n % 6, day_load=alt(4, 7))))
    long = [replace(r, context_tags=frozenset({ContextTag.ILLNESS})) if r.date.day == 13 else r
            for r in long]  # fmt: skip
    week_start = day_date(176)  # a Monday late in the diary
    assert week_start.weekday() == 0
    first, last = window(week_start)
    assert (week_start - first).days == 49 and last == week_start + timedelta(days=6)
    first_valid = [r for r in long if ContextTag.ILLNESS not in r.context_tags][:ANCHOR_N]
    cut = [long[0], *first_valid[1:]] + [r for r in long if first <= r.date <= last]
    today = day_date(200)
    whole = week_summary(long, week_start, today)
    assert week_summary(cut, week_start, today) == whole
    assert whole.figures.metric(WeekMetric.RI).anchor is not None
    # Without the anchor's records the anchor would be taken from the wrong days.
    without = [long[0]] + [r for r in long if first <= r.date <= last]
    assert week_summary(without, week_start, today).figures != whole.figures


def test_social_contact_reaches_the_day_series(week5: WeekSummary) -> None:
    contact = [d.social_contact for d in week5.days]
    assert contact == [Social.BRIEF, Social.MEANINGFUL, None, Social.MEANINGFUL, Social.NONE,
                       None, Social.BRIEF]  # fmt: skip


# --- G.3: the page's figures are week_figures' -----------------------------------------------


def test_a_new_person_is_not_counted_against_days_before_they_began() -> None:
    """Issue 18: the week counted "2 of the 5 days" for someone who began on Wednesday. Days
    before the first record are not missing (G.3); the days that count start at the first."""
    records = [make_day(31, {}), make_day(33, {})]  # Wednesday and Friday of week 5
    s = week_summary(records, WEEK5, today=day_date(33))
    assert [d.missing for d in s.days] == [False, False, False, True, False, False, False]
    assert (s.checkins, s.days_counted, s.days_so_far) == (2, 3, 5)
    assert s.figures.missing_dates == (day_date(32),)


def test_every_figure_of_the_page_is_week_figures(week5: WeekSummary) -> None:
    f = week_figures(five_weeks(), WEEK5, date(2026, 4, 20))
    assert week5.figures == f
    for m in (*week5.morning, *week5.evening, week5.sleep.tst_measure, week5.load.measure):
        g = f.metric(next(w for w in WeekMetric if w.value.lower() == m.metric.value))
        assert (m.mean, m.baseline, m.z, m.trend) == (g.mean, g.baseline, g.z, g.arrow)
    assert (week5.sleep.sol, week5.sleep.waso, week5.sleep.se) == tuple(
        f.metric(w).mean for w in (WeekMetric.SOL, WeekMetric.WASO, WeekMetric.SE)
    )
    assert week5.sleep.disturbed_nights == f.disturbed_nights
    assert week5.load.heaviest == f.heaviest_load
    assert (week5.contact, week5.movement) == (f.contact, f.movement)
    assert set(week5.rest.by_type) == set(f.rest.by_type)
    assert week5.rest.rest_days == f.rest.rest_days
