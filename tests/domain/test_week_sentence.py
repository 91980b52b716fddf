"""Issue 18: the sentence that opens the week page, chosen by rules over G.3's figures."""

from __future__ import annotations

from datetime import date

import pytest

from journal.domain.checkin import CheckIn
from journal.domain.summary import Trend, week_figures
from journal.domain.summary.sentence import WeekSentence, sentence_for, week_sentence
from tests.domain.scenario_builder import build

UP, FLAT, DOWN = Trend.UP, Trend.FLAT, Trend.DOWN
S = WeekSentence
WEEK5 = date(2026, 3, 30)  # the Monday of the builder's fifth week (day 29)


@pytest.mark.parametrize(
    ("checkins", "recovery", "load", "expected"),
    [
        (0, None, None, S.NO_CHECKINS),
        (0, UP, UP, S.NO_CHECKINS),  # a week with no record has no mean, but be sure
        (1, UP, DOWN, S.FEW_CHECKINS),  # one morning is not a week
        (3, DOWN, UP, S.FEW_CHECKINS),
        (4, None, None, S.NO_USUAL),  # no usual level yet: nothing to compare with
        (4, FLAT, FLAT, S.USUAL),
        (7, FLAT, DOWN, S.LIGHTER),
        (7, FLAT, UP, S.HEAVIER),
        (5, UP, FLAT, S.RECOVERED_MORE),
        (5, UP, DOWN, S.LIGHTER_RECOVERED_MORE),
        (5, UP, UP, S.HEAVIER_RECOVERED_MORE),
        (6, DOWN, FLAT, S.RECOVERED_LESS),
        (6, DOWN, DOWN, S.LIGHTER_RECOVERED_LESS),
        (6, DOWN, UP, S.HEAVIER_RECOVERED_LESS),
    ],
)
def test_sentence_rules(
    checkins: int, recovery: Trend | None, load: Trend | None, expected: WeekSentence
) -> None:
    assert sentence_for(checkins, recovery, load) is expected


def test_every_pair_of_arrows_has_its_own_sentence() -> None:
    said = {sentence_for(7, r, lo) for r in Trend for lo in Trend}
    assert len(said) == len(Trend) ** 2


@pytest.mark.parametrize(
    ("diary", "today", "expected"),
    [
        # Four steady weeks, then a fifth like them: a usual week.
        (build(35), None, S.USUAL),
        # The fifth week lighter (load 2 against 5) and with more energy: RI up, load down.
        (
            build(35, (29, 35, {"day_load": 2, "morning_energy": 10, "startup_effort": 0})),
            None,
            S.LIGHTER_RECOVERED_MORE,
        ),
        # Heavier and less recovered.
        (
            build(35, (29, 35, {"day_load": 9, "morning_energy": 2, "refreshed": 1})),
            None,
            S.HEAVIER_RECOVERED_LESS,
        ),
        # Only Monday–Wednesday so far: three mornings are too few to call it.
        (build(35), date(2026, 4, 1), S.FEW_CHECKINS),
        # A person in their first week: no usual level yet.
        ([r for r in build(35) if r.date >= WEEK5], None, S.NO_USUAL),
    ],
    ids=["usual", "lighter-more", "heavier-less", "few", "no-usual"],
)
def test_the_sentence_follows_the_week_figures(
    diary: list[CheckIn], today: date | None, expected: WeekSentence
) -> None:
    assert week_sentence(week_figures(diary, WEEK5, today)) is expected
