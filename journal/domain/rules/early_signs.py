"""DOMAIN C.3 EARLY_SIGNS: recovery fading out of view, seed 004's four early signs.

Each sign is a shift of this week's mean away from the person's own baseline. The state
without history is memoised on the Diary, because CARRYING_ALONE reads it today and
SIGNPOST_LOOK_FURTHER a week and two weeks back.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Final

from journal.domain.metrics import Baseline, Metric, metric_mean
from journal.domain.rules.diary import Core, Diary, active_if, gate
from journal.domain.rules.model import Flag, FlagResult, Level, Reason, State
from journal.domain.rules.parameters import (
    ES_ATTENTION_SIGNS,
    ES_EFFORT_MARGIN,
    ES_LETTING_GO_MARGIN,
    ES_LOAD_SLACK,
    ES_MIN_SIGNS,
    ES_REFRESHED_MARGIN,
    ES_RI_MARGIN,
    ES_SPREAD_SHARE,
)

_ES_METRICS: Final = (  # the order unpacked in _compute_early
    Metric.STARTUP_EFFORT,
    Metric.LETTING_GO,
    Metric.REFRESHED,
    Metric.DAY_LOAD,
    Metric.RI,
)


def _margin(fixed: Fraction, base: Baseline) -> Fraction:
    return max(fixed, ES_SPREAD_SHARE * base.spread)


def early(diary: Diary, day: date) -> Core:
    return diary.memo("early", None, day, lambda: _compute_early(diary, day))


def _compute_early(diary: Diary, day: date) -> Core:
    if not gate(diary, day):
        return Core(State.INSUFFICIENT)
    effort, letting_go, refreshed, load, ri = (diary.baseline(m, day) for m in _ES_METRICS)
    if effort is None or letting_go is None or refreshed is None or load is None or ri is None:
        return Core(State.INSUFFICIENT)
    w7 = diary.valid_in(day, 7)

    def mean(metric: Metric) -> Fraction:
        return metric_mean(w7, metric)

    signs = {
        Reason.E1: mean(Metric.STARTUP_EFFORT) >= effort.median + _margin(ES_EFFORT_MARGIN, effort),
        Reason.E2: mean(Metric.LETTING_GO)
        <= letting_go.median - _margin(ES_LETTING_GO_MARGIN, letting_go),
        Reason.E3: mean(Metric.REFRESHED)
        <= refreshed.median - _margin(ES_REFRESHED_MARGIN, refreshed),
        Reason.E4: mean(Metric.DAY_LOAD) >= load.median - ES_LOAD_SLACK
        and mean(Metric.RI) <= ri.median - _margin(ES_RI_MARGIN, ri),
    }
    reasons = tuple(sign for sign, holds in signs.items() if holds)
    active = len(reasons) >= ES_MIN_SIGNS
    return Core(active_if(active), reasons if active else ())


def early_signs(diary: Diary, day: date) -> FlagResult:
    """Seed 004's four early signs, each a shift of this week's mean away from the person's own
    baseline; two signs give notice, three or four attention. Without all five baselines
    (about the first two weeks) the flag cannot be judged."""
    core = early(diary, day)
    level = None
    if core.state is State.ACTIVE:
        level = Level.ATTENTION if len(core.reasons) >= ES_ATTENTION_SIGNS else Level.NOTICE
    return FlagResult(Flag.EARLY_SIGNS, core.state, level, core.reasons, {}, {})
