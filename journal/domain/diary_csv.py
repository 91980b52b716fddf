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
read ``'=x``, apostrophe included, imports as ``=x``. A spreadsheet that drops the apostrophe
when it saves the file again hands back ``=1+1``, which reads as it stands: the same note.

What a spreadsheet makes of the export when it saves it again is read as the export itself
(issue 19), because it is the person's own diary: Dutch Excel writes semicolons, dates as
d-m-yyyy, hours without their leading zero, WAAR/ONWAAR, CRLF, quotes where it likes and
Windows-1252 (or UTF-8 with a BOM). So reading takes bytes as well as text; the delimiter is
the one the header line uses (comma or semicolon); a date may be YYYY-MM-DD or D-M-YYYY; a
boolean true/false or WAAR/ONWAAR in any case; a row with only empty cells is skipped. Writing
stays exactly G.1, so the export of what was imported is the original export, byte for byte.
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
# [0-9], not \d, which would take any script's digits.
_ISO_DATE_RE: Final = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_DAY_FIRST_DATE_RE: Final = re.compile(r"^([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})$")
# G.1 writes commas; Excel set to Dutch writes the semicolon, the list separator there.
_DELIMITERS: Final = (",", ";")
# As G.1 writes them, and as Excel turns them into its own booleans in English and Dutch.
_BOOLEANS: Final = {"true": True, "false": False, "waar": True, "onwaar": False}
# What makes a spreadsheet read a cell as a formula when it comes first (OWASP).
_FORMULA_STARTS: Final = frozenset("=+-@\t\r")
_APOSTROPHE: Final = "'"
# The characters that force a cell into quotes. '\r' is listed on purpose: Python's csv writer
# only quotes the characters of its own line terminator, so with "\n" a note holding a lone
# '\r' would be written bare and read back as two rows.
_NEEDS_QUOTES: Final = frozenset(',"\r\n')


class CsvError(StrEnum):
    """Why a file or a row was refused, beyond the per-field ids of checkin.Error."""

    NOT_TEXT = "not_text"  # bytes that are neither UTF-8 nor Windows-1252, such as an .xlsx
    MISSING_HEADER = "missing_header"
    NOT_A_DIARY = "not_a_diary"  # the first line holds none of the G.1 columns
    MISSING_COLUMN = "missing_column"
    UNKNOWN_COLUMN = "unknown_column"
    DUPLICATE_COLUMN = "duplicate_column"
    COLUMN_ORDER = "column_order"  # every column once, in another order
    MALFORMED_ROW = "malformed_row"  # quoting the csv reader cannot make sense of
    WRONG_CELL_COUNT = "wrong_cell_count"
    NOT_A_DATE = "not_a_date"
    DUPLICATE_DATE = "duplicate_date"
    NOT_A_BOOLEAN = "not_a_boolean"


@dataclass(frozen=True, slots=True)
class RowError:
    """One refused cell: `line` is the 1-based line of the file where the row starts."""

    line: int
    field: str  # a HEADER id, or "file" / "header" / "row" when no single cell is to blame
    code: str  # a checkin.Error or CsvError value
    # The column a header error is about, or the number of cells of WRONG_CELL_COUNT, so the
    # message can say what is wrong rather than that something is.
    detail: str = ""


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


def decode(data: bytes) -> str | None:
    """The file's text: UTF-8 (with or without a BOM), else Windows-1252, else None.

    UTF-8 goes first because Windows-1252 reads almost any bytes: only five are undefined in
    it. Text in Windows-1252 is seldom valid UTF-8 by accident ("Ã©" would be), so what fails
    as UTF-8 is what Excel's plain "CSV" wrote on Windows.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def read_diary(data: str | bytes) -> DiaryReadResult:
    """Parse and validate a whole diary; records come back in date order, or not at all."""
    if isinstance(data, bytes):
        decoded = decode(data)
        if decoded is None:
            return DiaryReadResult([], [RowError(1, "file", CsvError.NOT_TEXT.value)])
        data = decoded
    text = data.removeprefix(_BOM)

    sniffed = _sniff(text)
    if sniffed is None:
        return DiaryReadResult([], [RowError(1, "header", CsvError.MISSING_HEADER.value)])
    delimiter, names = sniffed
    header_errors = _header_errors(names)
    if header_errors:
        # Without the agreed columns no cell can be trusted, so the rows are not looked at.
        return DiaryReadResult([], header_errors)

    records: list[CheckIn] = []
    errors: list[RowError] = []
    seen_dates: set[date] = set()
    rows = _rows(text, delimiter)
    next(rows)  # the header, read above
    for line, cells in rows:
        if cells is None:
            errors.append(RowError(line, "row", CsvError.MALFORMED_ROW.value))
            continue
        if not any(cell.strip() for cell in cells):
            # A blank line (editors like to leave one at the end) carries no check-in, nor
            # does a row of empty cells (a spreadsheet writes one for a row it once touched).
            continue
        if len(cells) != len(HEADER):
            errors.append(RowError(line, "row", CsvError.WRONG_CELL_COUNT.value, str(len(cells))))
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


def _sniff(text: str) -> tuple[str, list[str] | None] | None:
    """The delimiter of the header line and its names; None for a file without any line.

    The delimiter is the one under which the header holds most G.1 names (a comma on a tie),
    so a header with a mistake in it still reports its columns one by one.
    """
    candidates: list[tuple[str, list[str] | None]] = []
    for delimiter in _DELIMITERS:
        first = next(_rows(text, delimiter), None)
        if first is None:
            return None
        _, cells = first
        candidates.append((delimiter, None if cells is None else [c.strip() for c in cells]))
    return max(candidates, key=lambda candidate: len(set(candidate[1] or ()) & set(HEADER)))


def _header_errors(names: list[str] | None) -> list[RowError]:
    """What keeps the header line from being G.1's, one column at a time."""
    if names is None or set(names).isdisjoint(HEADER):
        # Another file altogether: naming 28 missing columns would not help anyone.
        return [RowError(1, "header", CsvError.NOT_A_DIARY.value)]
    if tuple(names) == HEADER:
        return []
    distinct = list(dict.fromkeys(names))
    errors = [
        *(
            RowError(1, "header", CsvError.MISSING_COLUMN.value, n)
            for n in HEADER
            if n not in names
        ),
        *(
            RowError(1, "header", CsvError.UNKNOWN_COLUMN.value, n)
            for n in distinct
            if n not in HEADER
        ),
        *(
            RowError(1, "header", CsvError.DUPLICATE_COLUMN.value, n)
            for n in distinct
            if n in HEADER and names.count(n) > 1
        ),
    ]
    return errors or [RowError(1, "header", CsvError.COLUMN_ORDER.value)]


def _rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | None]]:
    """Each row with the line it starts on; None for a row whose quoting is broken.

    The reader's line_num counts physical lines, also those inside a quoted note, so the
    line after the previous row is where this one starts. newline="" hands the reader CRLF
    and CR untouched: it ends rows on them itself and keeps them inside quoted cells. (A lone
    CR counts as a line end, as it does for the reader and most editors.)
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
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
    # Not date.fromisoformat, which also takes '20260302' and week dates. Day first is how a
    # Dutch spreadsheet writes a date; month first (2/3/2026 in the US) is never read, as
    # it cannot be told apart from it.
    if iso := _ISO_DATE_RE.match(text):
        year, month, day = iso.groups()
    elif day_first := _DAY_FIRST_DATE_RE.match(text):
        day, month, year = day_first.groups()
    else:
        return None, CsvError.NOT_A_DATE.value
    try:
        return date(int(year), int(month), int(day)), None
    except ValueError:
        return None, CsvError.NOT_A_DATE.value


def _parse_bool(text: str) -> tuple[bool, str | None]:
    text = text.strip()
    if not text:
        return False, Error.REQUIRED.value
    # Spreadsheets rewrite true/false as TRUE/FALSE, or WAAR/ONWAAR in Dutch, when they save
    # a CSV; that is no reason to refuse someone's diary.
    value = _BOOLEANS.get(text.lower())
    if value is None:
        return False, CsvError.NOT_A_BOOLEAN.value
    return value, None
