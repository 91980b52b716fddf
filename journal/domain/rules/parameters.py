"""DOMAIN C.0 and C.1: every threshold of part C, in one place, and the adverse-day table.

REST_MIN, LOAD_STRAIN, RI_STRAIN, DISTURBED_MIN, BASE_MIN_N and the reference window belong to
the metrics they define (part B) and live in journal.domain.metrics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from journal.domain.checkin import Dozed
from journal.domain.metrics import Metric

MIN_VALID_7: Final = 5  # valid records needed in a 7-day window (B.4)
MIN_VALID_14: Final = 10  # valid records needed in a 14-day window (B.4)
WARM_UP_DAYS: Final = 6  # flags may fire once D − first_date ≥ this (C.0); SIGNPOST_DOCTOR always

# C.2 chain links
CHAIN_REST_DAYS: Final = 4  # R0: rest days in W7
CHAIN_STRAINED_DAYS: Final = 7  # L1: strained days in W14
CHAIN_ADVERSE_DAYS: Final = 4  # L2, L3, L4, L5: adverse mornings in W7
CHAIN_UNRECHARGED_DAYS: Final = 3  # L3, second arm: rest without recharge in W7
CHAIN_MIN_LINKS: Final = 2  # k needed besides R0 ∧ L4; level notice
CHAIN_ATTENTION_LINKS: Final = 3  # level attention from this k
CHAIN_ALL_LINKS: Final = 4  # the full chain, which can become persistent

# C.3 early signs
ES_EFFORT_MARGIN: Final = Fraction(3, 2)  # E1
ES_LETTING_GO_MARGIN: Final = Fraction(3, 2)  # E2
ES_REFRESHED_MARGIN: Final = Fraction(3, 4)  # E3
ES_LOAD_SLACK: Final = Fraction(1, 2)  # E4: load still at least B − this
ES_RI_MARGIN: Final = Fraction(10)  # E4
ES_SPREAD_SHARE: Final = Fraction(1, 2)  # margins grow to this share of S when S is large
ES_MIN_SIGNS: Final = 2
ES_ATTENTION_SIGNS: Final = 3

# C.4 sleep
SD_DISTURBED_NIGHTS: Final = 3
SE_LOW: Final = 85
TST_SHORT: Final = 360

# C.5 no room to recover
LOAD_HIGH: Final = 7
NR_HEAVY_DAYS: Final = 4
NR_SHORT_REST_DAYS: Final = 5
NR_RI_BELOW: Final = 60

# C.6 carrying alone
CA_NOT_MEANINGFUL_DAYS: Final = 5
CA_SUPPORT_FROM: Final = 3
CA_SUPPORTED_DAYS: Final = 3
CA_RI_BELOW: Final = 50

# C.7 outdoor movement
LOM_WALK_FROM: Final = 10
LOM_MAX_WALK_DAYS: Final = 1

# C.9 signpost doctor
DR_DOZING: Final = frozenset({Dozed.DURING_ACTIVITY, Dozed.WHILE_DRIVING})
DR_SLEEPINESS_TOP: Final = 9
DR_SLEEPINESS_TOP_DAYS: Final = 2
DR_SLEEPINESS_HIGH: Final = 8
DR_SLEEPINESS_HIGH_DAYS: Final = 4
DR_BREATHING_NIGHTS: Final = 2  # in W14
DR_LEGS_NIGHTS: Final = 3  # in W14
DR_LONG_SLEEP: Final = 540  # TST minutes
DR_LONG_UNREFRESHED: Final = 1  # refreshed at most this
DR_LONG_NIGHTS: Final = 4  # in W7
DR_MEDICATION_DAYS: Final = 4
DR_PHYSICAL_DAYS: Final = 4
DR_DISRUPTED_WEEKS: Final = 4  # SLEEP_DISRUPTED on D, D−7, D−14, D−21

# C.10 improving
IMPROVE_RI: Final = Fraction(8)
IMPROVE_TENSION: Final = Fraction(3, 2)
IMPROVE_REFRESHED: Final = Fraction(3, 4)
IMPROVE_RECHARGED_FROM: Final = 3
IMPROVE_RECHARGING_DAYS: Final = 3
IMPROVE_MIN_OTHER: Final = 2

# C.11 check-in gap
GAP_FROM_DAYS: Final = 13
GAP_MAX_RECORDS: Final = 3

# C.12 lifecycle (used by journal.domain.lifecycle)
RESOLVE_DAYS: Final = 3


@dataclass(frozen=True, slots=True)
class AdverseRule:
    """One row of the C.1 table, in the metric's own unit."""

    higher_is_better: bool
    absolute: int  # A: adverse whatever the baseline
    delta: int  # δ: smallest meaningful change from the baseline
    floor: int  # F: the relative arm only counts beyond this


ADVERSE: Final[Mapping[Metric, AdverseRule]] = {
    Metric.MORNING_ENERGY: AdverseRule(True, absolute=3, delta=2, floor=5),
    Metric.REFRESHED: AdverseRule(True, absolute=1, delta=1, floor=2),
    Metric.STARTUP_EFFORT: AdverseRule(False, absolute=7, delta=2, floor=5),
    Metric.LETTING_GO: AdverseRule(True, absolute=3, delta=2, floor=5),
    Metric.BEDTIME_TENSION: AdverseRule(False, absolute=7, delta=2, floor=5),
}
