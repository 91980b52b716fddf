"""The output of `flask evaluate` (DOMAIN G.2): rule results as JSON or as a plain-text table.

Only formatting: the command evaluates, this module turns the results into text. Both forms
list dates in date order and each date's flags in the order the rule module returns them (spec
order), and both spell values as the JSON ids (`true`, `null`, `attention`, …), so a tester can
compare a table with a JSON dump by eye.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Final

from journal.domain.rules import FlagResult, result_to_json

TABLE_COLUMNS: Final = ("date", "flag", "state", "level", "reasons", "links")
_NOTHING: Final = "-"  # an empty cell would shift the eye to the next column
_GAP: Final = "  "


def to_json(results_by_date: Mapping[date, Sequence[FlagResult]]) -> str:
    """The G.2 JSON document: one object per date, each with every flag's result_to_json."""
    document = [
        {
            "date": day.isoformat(),
            "flags": [result_to_json(result) for result in results_by_date[day]],
        }
        for day in sorted(results_by_date)
    ]
    # Indented because people read it too; the shape, not the layout, is the interface.
    return json.dumps(document, indent=2)


def to_table(results_by_date: Mapping[date, Sequence[FlagResult]]) -> str:
    """One aligned row per (date, flag), the date repeated on every row so grep keeps it."""
    rows = [TABLE_COLUMNS] + [
        _table_row(day, result)
        for day in sorted(results_by_date)
        for result in results_by_date[day]
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(TABLE_COLUMNS))]
    return "\n".join(
        _GAP.join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _table_row(day: date, result: FlagResult) -> tuple[str, str, str, str, str, str]:
    return (
        day.isoformat(),
        result.flag.value,
        result.state.value,
        _NOTHING if result.level is None else result.level.id,
        ",".join(result.reasons) or _NOTHING,
        " ".join(f"{link}={json.dumps(value)}" for link, value in result.links.items()) or _NOTHING,
    )
