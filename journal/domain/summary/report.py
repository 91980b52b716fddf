"""The output of `flask summary` (DOMAIN G.3): a week's figures as JSON or as a plain table.

Only formatting: :func:`~journal.domain.summary.figures.week_figures` computes, this module
turns the figures into text. Counts are integers, every other number an unrounded float
(converted from the exact fraction only here), dates ISO.

The JSON is laid out like G.3's worked examples: one top-level key per line and one line per
metric. The table (without ``--json``) is for people: one line per metric with the same ids as
the JSON keys, numbers rounded to two decimals, ``-`` for null; then the week's other figures
as ``key: value`` lines.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any, Final

from journal.domain.metrics import Baseline
from journal.domain.summary.figures import iso_week
from journal.domain.summary.model import MetricFigures, WeekFigures

_NOTHING: Final = "-"
METRIC_COLUMNS: Final = (
    "metric",
    "mean",
    "baseline",
    "spread",
    "z",
    "arrow",
    "anchor",
    "previous_mean",
)


def _number(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _metric(m: MetricFigures) -> dict[str, Any]:
    base: Baseline | None = m.baseline
    return {
        "mean": _number(m.mean),
        "baseline": None if base is None else float(base.median),
        "spread": None if base is None else float(base.spread),
        "z": _number(m.z),
        "arrow": None if m.arrow is None else m.arrow.value,
        "anchor": _number(m.anchor),
        "previous_mean": _number(m.previous_mean),
    }


def to_document(f: WeekFigures) -> dict[str, Any]:
    """G.3's JSON document as Python data, keys in G.3's order."""
    heaviest = f.heaviest_load
    return {
        "week": iso_week(f.start),
        "start": f.start.isoformat(),
        "end": f.end.isoformat(),
        "through": f.through.isoformat(),
        "checkins": f.checkins,
        "missing_dates": [d.isoformat() for d in f.missing_dates],
        "metrics": {m.metric.value: _metric(m) for m in f.metrics},
        "disturbed_nights": f.disturbed_nights,
        "rest": {
            "days": f.rest.rest_days,
            "minutes": f.rest.total_minutes,
            "recharged_ratio": _number(f.rest.recharged_ratio),
            "by_type": {t.rest_type.value: float(t.mean_recharged) for t in f.rest.by_type},
        },
        "heaviest_load": {
            "record_date": _day(None if heaviest is None else heaviest.record_date),
            "day_load": None if heaviest is None else heaviest.load,
        },
        "contact": {
            "days": f.contact.meaningful_days,
            "support_mean": _number(f.contact.support_mean),
        },
        "movement": {
            "walk_days": f.movement.walk_days,
            "walk_minutes": f.movement.total_minutes,
        },
        "pattern": None if f.pattern is None else f.pattern.value,
    }


def to_json(f: WeekFigures) -> str:
    """The document, one top-level key per line and one line per metric (as G.3's examples)."""
    document = to_document(f)

    def line(key: str, value: Any, indent: str) -> str:
        return f"{indent}{json.dumps(key)}: {json.dumps(value)}"

    lines = []
    for key, value in document.items():
        if key == "metrics":
            inner = ",\n".join(line(k, v, "  ") for k, v in value.items())
            lines.append(f' "metrics": {{\n{inner}\n }}')
        else:
            lines.append(line(key, value, " "))
    return "{\n" + ",\n".join(lines) + "\n}"


def _cell(value: Any) -> str:
    if value is None:
        return _NOTHING
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def to_table(f: WeekFigures) -> str:
    """A readable summary: the week, one aligned row per metric, then the other figures."""
    document = to_document(f)
    metrics: Mapping[str, Mapping[str, Any]] = document["metrics"]
    rows = [METRIC_COLUMNS] + [
        (name, *(_cell(v) for v in values.values())) for name, values in metrics.items()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(METRIC_COLUMNS))]
    table = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    missing = ", ".join(document["missing_dates"]) or _NOTHING
    span = f"{document['start']} – {document['end']}, through {document['through']}"
    head = [
        f"week: {document['week']} ({span})",
        f"checkins: {f.checkins}",
        f"missing_dates: {missing}",
        "",
    ]
    tail = [
        "",
        f"disturbed_nights: {f.disturbed_nights}",
        *(_flat(key, document[key]) for key in ("rest", "heaviest_load", "contact", "movement")),
        f"pattern: {_cell(document['pattern'])}",
    ]
    return "\n".join(head + table + tail)


def _flat(key: str, values: Mapping[str, Any]) -> str:
    parts = []
    for name, value in values.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k} {_cell(v)}" for k, v in value.items()) or _NOTHING
            parts.append(f"{name} {{{inner}}}")
        else:
            parts.append(f"{name} {_cell(value)}")
    return f"{key}: " + ", ".join(parts)
