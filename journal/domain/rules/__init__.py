"""The rule module of DOMAIN part C: which patterns a diary shows on a given date.

:func:`evaluate` is a pure function of the records and the date. It returns one
:class:`FlagResult` per :class:`Flag`, holding ids and numbers only; the web layer words them.

One module per part of the spec: ``parameters`` (C.0 thresholds, the C.1 table), ``model``
(the ids and the result), ``diary`` (C.1 and the memoised per-date work), ``chain`` (C.2),
``early_signs`` (C.3), ``sleep`` (C.4), ``daily_life`` (C.5–C.7), ``signposts`` (C.8–C.9),
``feedback`` (C.10–C.11) and ``evaluate``.

How it stays cheap on a long diary: the records are sorted once and windows are cut with
bisect; the per-date work every rule shares (windows, baselines, the adverse test of each
record, each flag's state without history) is memoised on a :class:`Diary`, and the look-backs
of C.14.11 read those history-free states, so no rule recurses further than D−21.
:func:`evaluate` only hands the diary the records the deepest look-back can reach
(:data:`HORIZON_DAYS`), so one date costs the same after five years as after five weeks.
"""

from journal.domain.rules.diary import Diary, adverse
from journal.domain.rules.evaluate import HORIZON_DAYS, diary_of, evaluate, evaluate_range
from journal.domain.rules.model import (
    Flag,
    FlagResult,
    Level,
    Link,
    Links,
    Numbers,
    Reason,
    State,
    result_to_json,
)
from journal.domain.rules.parameters import RESOLVE_DAYS

__all__ = [
    "HORIZON_DAYS",
    "RESOLVE_DAYS",
    "Diary",
    "Flag",
    "FlagResult",
    "Level",
    "Link",
    "Links",
    "Numbers",
    "Reason",
    "State",
    "adverse",
    "diary_of",
    "evaluate",
    "evaluate_range",
    "result_to_json",
]
