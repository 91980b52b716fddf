"""The week in one sentence: the first thing the person's week page says (issue 18).

The sentence is chosen by rules over G.3's figures, so it can never disagree with the figures
shown under it: the Herstelscore's arrow and the load's arrow are the very arrows of
:func:`~journal.domain.summary.figures.week_figures` (the week's mean against the person's
usual level of the four weeks before, |z| ≥ 0.5). The web layer words the id.

Rules, first match wins:

1. No check-in in the week (up to today): ``NO_CHECKINS``.
2. Fewer than G.3's 4 check-ins, the least a week needs for a pattern: ``FEW_CHECKINS``. Two
   mornings are not a week; the sentence says so instead of reading a trend into them.
3. No usual level yet (fewer than 7 check-ins in the four weeks before the week, B.3): the
   week cannot be compared, ``NO_USUAL``.
4. Otherwise by the morning recovery (RI) and the load, each up, flat or down against the
   person's own usual: recovery first ("you felt more/less recovered"), the load as the
   week's setting ("a lighter/more demanding week"). Nine sentences, one per pair.

The arrows follow the sign of z (G.3): load "up" is a more demanding week than usual.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from journal.domain.summary.figures import PATTERN_MIN_CHECKINS
from journal.domain.summary.model import Trend, WeekFigures, WeekMetric


class WeekSentence(StrEnum):
    NO_CHECKINS = "no_checkins"
    FEW_CHECKINS = "few_checkins"
    NO_USUAL = "no_usual"
    USUAL = "usual"
    LIGHTER = "lighter"  # load down, recovery as usual
    HEAVIER = "heavier"  # load up, recovery as usual
    RECOVERED_MORE = "recovered_more"
    LIGHTER_RECOVERED_MORE = "lighter_recovered_more"
    HEAVIER_RECOVERED_MORE = "heavier_recovered_more"
    RECOVERED_LESS = "recovered_less"
    LIGHTER_RECOVERED_LESS = "lighter_recovered_less"
    HEAVIER_RECOVERED_LESS = "heavier_recovered_less"


# (recovery, load) → sentence, once both have a usual level.
_BY_TRENDS: Final[Mapping[tuple[Trend, Trend], WeekSentence]] = {
    (Trend.FLAT, Trend.FLAT): WeekSentence.USUAL,
    (Trend.FLAT, Trend.DOWN): WeekSentence.LIGHTER,
    (Trend.FLAT, Trend.UP): WeekSentence.HEAVIER,
    (Trend.UP, Trend.FLAT): WeekSentence.RECOVERED_MORE,
    (Trend.UP, Trend.DOWN): WeekSentence.LIGHTER_RECOVERED_MORE,
    (Trend.UP, Trend.UP): WeekSentence.HEAVIER_RECOVERED_MORE,
    (Trend.DOWN, Trend.FLAT): WeekSentence.RECOVERED_LESS,
    (Trend.DOWN, Trend.DOWN): WeekSentence.LIGHTER_RECOVERED_LESS,
    (Trend.DOWN, Trend.UP): WeekSentence.HEAVIER_RECOVERED_LESS,
}


def sentence_for(checkins: int, recovery: Trend | None, load: Trend | None) -> WeekSentence:
    """The rules of the module doc, over the week's check-ins and its two arrows."""
    if checkins == 0:
        return WeekSentence.NO_CHECKINS
    if checkins < PATTERN_MIN_CHECKINS:
        return WeekSentence.FEW_CHECKINS
    if recovery is None or load is None:
        return WeekSentence.NO_USUAL
    return _BY_TRENDS[recovery, load]


def week_sentence(figures: WeekFigures) -> WeekSentence:
    """The sentence that opens the week page, from the week's G.3 figures."""
    return sentence_for(
        figures.checkins,
        figures.metric(WeekMetric.RI).arrow,
        figures.metric(WeekMetric.DAY_LOAD).arrow,
    )
