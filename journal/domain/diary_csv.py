"""The diary CSV of DOMAIN G.1: the file people export, import, and feed to `flask evaluate`.

Writing is deterministic, so export → import → export gives the same bytes. Reading validates
every row with the form's own rules (:func:`~journal.domain.checkin.parse_checkin`, strict) and
is all-or-nothing: one bad row and no record is returned, but every error is, each with the
file's line number so the person can find it in an editor.

Spreadsheet formulas (OWASP "CSV injection"): a spreadsheet opening the file runs a cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula, so a note such
as ``=HYPERLINK(...)`` must not reach it as it stands. Only the note holds typed text today,
but the rule applies to every cell, so a free-text column added later is covered too:

- Writing: a cell that starts with such a character, or with one or more apostrophes followed
  by one, gets one more apostrophe in front (``=1+1`` → ``'=1+1``, ``'=x`` → ``''=x``).
- Reading: a cell that starts with one or more apostrophes followed by such a character loses
  one apostrophe (``'=1+1`` → ``=1+1``, ``''=x`` → ``'=x``). Any other cell is read as it
  stands: ``'plain`` keeps its apostrophe, and a file from another tool that writes formula
  characters bare (``=1+1``) imports as before.

Reading undoes exactly what writing adds, so a note the person typed with its own apostrophe
survives the round trip too. The one cost: a file from another tool whose note is meant to
read ``'=x``, apostrophe included, imports as ``=x``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import pairwise
from typing import Final

from journal.domain.checkin import FIELD_ORDER, CheckIn, Error, parse_checkin, to_raw

HEADER: Final[tuple[str, ...]] = ("date", *FIELD_ORDER, "backfilled")

_BOM: Final = "\ufeff"
_DATE_RE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# What makes a spreadsheet read a cell as a formula when it comes first (OWASP).
_FORMULA_STARTS: Final = frozenset("=+-@\t\r")
_APOSTROPHE: Final = "'"
# The characters that force a cell into quotes. '\r' is listed on purpose: Python's csv writer
# only quotes the characters of its own line terminator, so with "\n" a note holding a lone
# '\r' would be written bare and read back as two rows.
_NEEDS_QUOTES: Final = frozenset(',"\r\n')


class CsvError(StrEnum):
    """Why a file or a row was refused, beyond the per-field ids of checkin.Error."""

    MISSING_HEADER = "missing_header"
    BAD_HEADER = "bad_header"
    MALFORMED_ROW = "malformed_row"  # quoting the csv reader cannot make sense of
    WRONG_CELL_COUNT = "wrong_cell_count"
    NOT_A_DATE = "not_a_date"
    DUPLICATE_DATE = "duplicate_date"
    NOT_A_BOOLEAN = "not_a_boolean"


@dataclass(frozen=True, slots=True)
class RowError:
    """One refused cell: `line` is the 1-based line of the file where the row starts."""

    line: int
    field: str  # a HEADER id, or "header" / "row" when no single cell is to blame
    code: str  # a checkin.Error or CsvError value


@dataclass(frozen=True, slots=True)
class DiaryReadResult:
    records: list[CheckIn]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def write_diary(records: Iterable[CheckIn]) -> str:
    """The records as G.1 CSV text, sorted by date, every line ending in LF."""
    ordered = sorted(records, key=lambda checkin: checkin.date)
    for earlier, later in pairwise(ordered):
        if earlier.date == later.date:
            # Such a file could never be imported again; refuse rather than export it.
            raise ValueError(f"two check-ins dated {later.date.isoformat()}")
    lines = [_line(HEADER)]
    for checkin in ordered:
        raw = to_raw(checkin)
        cells = (
            checkin.date.isoformat(),
            *(raw[name] for name in FIELD_ORDER),
            "true" if checkin.backfilled else "false",
        )
        lines.append(_line(cells))
    return "".join(lines)


def _line(cells: Iterable[str]) -> str:
    return ",".join(_quote(_neutralise(cell)) for cell in cells) + "\n"


def _would_start_a_formula(cell: str) -> bool:
    """Whether the cell, after any apostrophes of its own, starts with a formula character."""
    return cell.lstrip(_APOSTROPHE)[:1] in _FORMULA_STARTS


def _neutralise(cell: str) -> str:
    """The cell as a spreadsheet reads it as text (see the module docstring)."""
    return _APOSTROPHE + cell if _would_start_a_formula(cell) else cell


def _restore(cell: str) -> str:
    """The inverse of :func:`_neutralise`; a cell it did not write comes back unchanged."""
    if cell.startswith(_APOSTROPHE) and _would_start_a_formula(cell):
        return cell[len(_APOSTROPHE) :]
    return cell


def _quote(cell: str) -> str:
    """Minimal quoting, as csv.QUOTE_MINIMAL, but also for a lone CR (see _NEEDS_QUOTES)."""
    if _NEEDS_QUOTES.isdisjoint(cell):
        return cell
    return '"' + cell.replace('"', '""') + '"'


def read_diary(text: str) -> DiaryReadResult:
    """Parse and validate a whole diary; records come back in date order, or not at all."""
    if text.startswith(_BOM):
        text = text[len(_BOM) :]
    rows = _rows(text)

    first = next(rows, None)
    if first is None:
        return DiaryReadResult([], [RowError(1, "header", CsvError.MISSING_HEADER.value)])
    line, cells = first
    if cells is None or tuple(cell.strip() for cell in cells) != HEADER:
        # Without the agreed columns no cell can be trusted, so the rows are not looked at.
        return DiaryReadResult([], [RowError(line, "header", CsvError.BAD_HEADER.value)])

    records: list[CheckIn] = []
    errors: list[RowError] = []
    seen_dates: set[date] = set()
    for line, cells in rows:
        if cells is None:
            errors.append(RowError(line, "row", CsvError.MALFORMED_ROW.value))
            continue
        if not cells:
            # A blank line (editors like to leave one at the end) carries no check-in.
            continue
        if len(cells) != len(HEADER):
            errors.append(RowError(line, "row", CsvError.WRONG_CELL_COUNT.value))
            continue
        raw = dict(zip(HEADER, map(_restore, cells), strict=True))
        day, checkin, row_errors = _parse_row(raw, seen_dates)
        if day is not None:
            seen_dates.add(day)
        if checkin is not None:
            records.append(checkin)
        errors.extend(RowError(line, name, code) for name, code in row_errors)

    if errors:
        return DiaryReadResult([], errors)
    return DiaryReadResult(sorted(records, key=lambda checkin: checkin.date), [])


def _rows(text: str) -> Iterator[tuple[int, list[str] | None]]:
    """Each row with the line it starts on; None for a row whose quoting is broken.

    The reader's line_num counts physical lines, also those inside a quoted note, so the
    line after the previous row is where this one starts. newline="" hands the reader CRLF
    and CR untouched: it ends rows on them itself and keeps them inside quoted cells. (A lone
    CR counts as a line end, as it does for the reader and most editors.)
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous_end = 0
    while True:
        cells: list[str] | None
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # The reader drops the rest of the offending line and starts afresh after it,
            # so reading on still finds the errors further down.
            cells = None
        yield previous_end + 1, cells
        previous_end = reader.line_num


def _parse_row(
    raw: dict[str, str], seen_dates: set[date]
) -> tuple[date | None, CheckIn | None, list[tuple[str, str]]]:
    """The row's date (when readable), its check-in (when valid) and its errors in column order.

    A date already seen counts as a duplicate even when its earlier row was refused for
    another reason: fixing that row must not make a new error appear here.
    """
    errors: dict[str, str] = {}

    day, date_error = _parse_date(raw["date"])
    if date_error is not None:
        errors["date"] = date_error
    elif day in seen_dates:
        errors["date"] = CsvError.DUPLICATE_DATE.value

    backfilled, backfilled_error = _parse_bool(raw["backfilled"])
    if backfilled_error is not None:
        errors["backfilled"] = backfilled_error

    # The date does not take part in field validation, so a stand-in keeps the other
    # fields checked (and reported) when the date cell is bad.
    result = parse_checkin(
        {name: raw[name] for name in FIELD_ORDER},
        on=day or date.min,
        backfilled=backfilled,
        strict=True,
    )
    errors.update((name, code.value) for name, code in result.errors.items())

    if errors:
        return day, None, sorted(errors.items(), key=lambda item: HEADER.index(item[0]))
    return day, result.checkin, []


def _parse_date(text: str) -> tuple[date | None, str | None]:
    text = text.strip()
    if not text:
        return None, Error.REQUIRED.value
    # date.fromisoformat alone would also take '20260302' and week dates; G.1 says YYYY-MM-DD.
    if not _DATE_RE.match(text):
        return None, CsvError.NOT_A_DATE.value
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return None, CsvError.NOT_A_DATE.value


def _parse_bool(text: str) -> tuple[bool, str | None]:
    text = text.strip()
    if not text:
        return False, Error.REQUIRED.value
    # Spreadsheets rewrite true/false as TRUE/FALSE when they save a CSV; that is no reason
    # to refuse someone's diary.
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true", None
    return False, CsvError.NOT_A_BOOLEAN.value
