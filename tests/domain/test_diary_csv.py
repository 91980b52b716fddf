"""DOMAIN G.1: the diary CSV, written and read back."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, time
from typing import Literal

import pytest
from hypothesis import given, settings

from journal.domain.checkin import (
    FIELD_ORDER,
    CheckIn,
    ContextTag,
    Dozed,
    Intensity,
    RestType,
    Social,
)
from journal.domain.diary_csv import (
    HEADER,
    CsvError,
    RowError,
    read_diary,
    write_diary,
)
from tests.strategies import FORMULA_STARTS, checkins, diaries

HEADER_LINE = ",".join(HEADER) + "\n"

# One valid row as raw cells; tests change a cell or two to make it wrong.
VALID: Mapping[str, str] = {
    "date": "2026-03-02",
    "lights_out_time": "23:00",
    "sol_min": "20",
    "waso_min": "30",
    "final_wake_time": "06:30",
    "out_of_bed_time": "07:00",
    "awakenings_n": "2",
    "refreshed": "2",
    "sleep_quality": "3",
    "morning_energy": "5",
    "startup_effort": "4",
    "tension_now": "3",
    "day_load": "6",
    "rest_minutes": "30",
    "rest_types": "nap;screen",
    "rest_recharged": "2",
    "letting_go": "5",
    "bedtime_tension": "4",
    "sleepiness_peak": "7",
    "dozed_unintended": "at_rest",
    "social_contact": "brief",
    "support_felt": "3",
    "walk_outside_min": "20",
    "movement_intensity": "calm",
    "context_tags": "alcohol",
    "night_signals": "",
    "note": "",
    "backfilled": "false",
}


def row(**changes: str) -> list[str]:
    cells = {**VALID, **changes}
    return [cells[name] for name in HEADER]


def diary(*rows: Sequence[str], header: Sequence[str] = HEADER, newline: str = "\n") -> str:
    """CSV text built by the standard library's writer, independent of the code under test."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def checkin(**changes: object) -> CheckIn:
    base = CheckIn(
        date=date(2026, 3, 2),
        lights_out_time=time(23, 0),
        sol_min=20,
        waso_min=30,
        final_wake_time=time(6, 30),
        out_of_bed_time=time(7, 0),
        awakenings_n=None,
        refreshed=2,
        sleep_quality=None,
        morning_energy=5,
        startup_effort=4,
        tension_now=None,
        day_load=6,
        rest_minutes=30,
        rest_types=frozenset({RestType.SCREEN, RestType.NAP}),
        rest_recharged=2,
        letting_go=5,
        bedtime_tension=4,
        sleepiness_peak=7,
        dozed_unintended=Dozed.AT_REST,
        social_contact=Social.BRIEF,
        support_felt=None,
        walk_outside_min=20,
        movement_intensity=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# The record VALID describes.
VALID_RECORD = checkin(
    awakenings_n=2,
    sleep_quality=3,
    tension_now=3,
    support_felt=3,
    movement_intensity=Intensity.CALM,
    context_tags=frozenset({ContextTag.ALCOHOL}),
)


# --- writing -----------------------------------------------------------------------------


def test_header_is_date_then_the_a2_ids_then_backfilled() -> None:
    assert ("date", *FIELD_ORDER, "backfilled") == HEADER
    assert write_diary([]) == HEADER_LINE


def test_a_row_is_written_exactly() -> None:
    text = write_diary([checkin(note='Zei "nee", toen\nnaar bed. Café ☕', backfilled=True)])
    assert text == HEADER_LINE + (
        "2026-03-02,23:00,20,30,06:30,07:00,,2,,5,4,,6,30,nap;screen,2,5,4,7,at_rest,brief,"
        ',20,,,,"Zei ""nee"", toen\nnaar bed. Café ☕",true\n'
    )


def test_rows_are_sorted_by_date_and_lines_end_in_lf() -> None:
    later, earlier = checkin(date=date(2026, 3, 5)), checkin(date=date(2026, 3, 1))
    text = write_diary([later, earlier])
    lines = text.split("\n")
    assert [line[:10] for line in lines[1:-1]] == ["2026-03-01", "2026-03-05"]
    assert "\r" not in text and text.endswith("\n")


def test_sets_are_written_in_a3_order_whatever_order_they_were_built_in() -> None:
    text = write_diary([checkin(rest_types=frozenset({RestType.OTHER, RestType.PASSIVE}))])
    assert ",passive;other," in text


def test_a_lone_carriage_return_in_a_note_is_quoted() -> None:
    # csv.writer with lineterminator "\n" would leave it bare and the row would split in two.
    text = write_diary([checkin(note="een\rtwee")])
    assert text.endswith(',"een\rtwee",false\n')
    assert read_diary(text).records[0].note == "een\rtwee"


def test_two_checkins_on_one_date_are_refused() -> None:
    with pytest.raises(ValueError, match="2026-03-02"):
        write_diary([checkin(), checkin(note="again")])


# --- reading: files that are fine --------------------------------------------------------


def test_a_valid_file_reads_into_records_in_date_order() -> None:
    result = read_diary(diary(row(date="2026-03-04"), row(date="2026-03-02", backfilled="true")))
    assert result.errors == []
    assert result.ok
    assert [(r.date, r.backfilled) for r in result.records] == [
        (date(2026, 3, 2), True),
        (date(2026, 3, 4), False),
    ]
    first = result.records[0]
    assert first.rest_types == {RestType.NAP, RestType.SCREEN}
    assert first.night_signals == frozenset()
    assert first.note is None


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\ufeff" + diary(row()), id="utf8-bom"),
        pytest.param(diary(row(), newline="\r\n"), id="crlf"),
        pytest.param(diary(row()) + "\n\n", id="trailing-blank-lines"),
        pytest.param(diary(row(backfilled="FALSE")), id="spreadsheet-boolean"),
        pytest.param(diary(row(), header=[f" {name} " for name in HEADER]), id="padded-header"),
    ],
)
def test_tolerated_variations(text: str) -> None:
    result = read_diary(text)
    assert result.errors == []
    assert result.records == [VALID_RECORD]


# --- reading: the app's own export after a spreadsheet saved it again (issue 19) -----------

# Three days as G.1 writes them: a set with its ';', a note with a comma, quotes and a letter
# outside ASCII, a neutralised formula, a day before the 10th and one after, midnight hours.
EXPORTED_ROWS = (
    row(),
    row(date="2026-03-03", lights_out_time="00:15", note='Café, "moe"', backfilled="true"),
    row(date="2026-03-14", note="'=1+1"),
)
G1_TEXT = diary(*EXPORTED_ROWS)
TIME_COLUMNS = frozenset({"lights_out_time", "final_wake_time", "out_of_bed_time"})


def resaved(
    *,
    delimiter: str = ";",
    day_first: bool = True,
    padded: bool = False,
    booleans: tuple[str, str] = ("WAAR", "ONWAAR"),
    short_hours: bool = True,
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL,
    encoding: str = "cp1252",
    formula_apostrophe: bool = True,
    extra_lines: str = "",
) -> bytes:
    """G1_TEXT as a spreadsheet saves it: Dutch Excel's defaults unless told otherwise."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    writer.writerow(HEADER)
    for cells in EXPORTED_ROWS:
        changed = dict(zip(HEADER, cells, strict=True))
        year, month, day = changed["date"].split("-")
        if day_first:
            d, m = (day, month) if padded else (str(int(day)), str(int(month)))
            changed["date"] = f"{d}-{m}-{year}"
        changed["backfilled"] = booleans[0] if changed["backfilled"] == "true" else booleans[1]
        for name in TIME_COLUMNS:
            if short_hours and changed[name]:
                changed[name] = changed[name].removeprefix("0")
        if not formula_apostrophe:
            changed["note"] = changed["note"].removeprefix("'")
        writer.writerow([changed[name] for name in HEADER])
    return (buffer.getvalue() + extra_lines).encode(encoding)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(G1_TEXT.encode(), id="g1-as-bytes"),
        pytest.param(resaved(), id="dutch-excel"),
        pytest.param(resaved(encoding="utf-8-sig", padded=True), id="dutch-excel-csv-utf8"),
        pytest.param(resaved(encoding="utf-8"), id="semicolons-utf8"),
        pytest.param(
            resaved(delimiter=",", day_first=False, booleans=("TRUE", "FALSE")),
            id="english-excel",
        ),
        pytest.param(
            resaved(delimiter=",", day_first=False, booleans=("true", "false"), short_hours=False),
            id="only-windows-1252",
        ),
        pytest.param(resaved(quoting=csv.QUOTE_ALL), id="every-cell-quoted"),
        pytest.param(
            resaved(delimiter=",", quoting=csv.QUOTE_ALL, encoding="utf-8"),
            id="every-cell-quoted-commas",
        ),
        pytest.param(resaved(booleans=("Waar", "Onwaar")), id="booleans-any-case"),
        pytest.param(resaved(formula_apostrophe=False), id="excel-dropped-the-apostrophe"),
        pytest.param(resaved(extra_lines=";" * 27 + "\r\n" + ";" * 27 + "\r\n"), id="empty-rows"),
    ],
)
def test_a_spreadsheets_resaved_export_reads_as_the_export(data: bytes) -> None:
    expected = read_diary(G1_TEXT)
    assert expected.errors == []
    assert [record.note for record in expected.records] == [None, 'Café, "moe"', "=1+1"]
    result = read_diary(data)
    assert result.errors == []
    assert result.records == expected.records


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        pytest.param("2026-03-02", date(2026, 3, 2), id="iso"),
        pytest.param("2-3-2026", date(2026, 3, 2), id="d-m-yyyy"),
        pytest.param("02-03-2026", date(2026, 3, 2), id="dd-mm-yyyy"),
        pytest.param("31-12-2025", date(2025, 12, 31), id="day-after-12"),
        pytest.param(" 2-3-2026 ", date(2026, 3, 2), id="padded"),
    ],
)
def test_dates_in_either_order(cell: str, day: date) -> None:
    (record,) = read_diary(diary(row(date=cell))).records
    assert record.date == day


@pytest.mark.parametrize(
    ("cell", "value"),
    [("true", True), ("false", False), ("TRUE", True), ("WAAR", True), ("onwaar", False)],
)
def test_backfilled_in_a_spreadsheets_words(cell: str, value: bool) -> None:
    (record,) = read_diary(diary(row(backfilled=cell))).records
    assert record.backfilled is value


@pytest.mark.parametrize(
    "data",
    [
        # An .xlsx is a zip file: bytes that are neither UTF-8 nor Windows-1252.
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x81\x8d", id="xlsx"),
        pytest.param(G1_TEXT.encode() + b"\x9d\n", id="undefined-in-windows-1252"),
    ],
)
def test_bytes_that_are_no_text_are_refused_as_such(data: bytes) -> None:
    result = read_diary(data)
    assert result.errors == [RowError(1, "file", CsvError.NOT_TEXT.value)]
    assert result.records == []


def test_a_utf8_file_is_read_as_utf8_even_where_windows_1252_could_read_it() -> None:
    # "Ã©" is what "é" in UTF-8 looks like through Windows-1252: UTF-8 is tried first.
    (record,) = read_diary(diary(row(note="Café")).encode()).records
    assert record.note == "Café"
    (record,) = read_diary(diary(row(note="Café")).encode("cp1252")).records
    assert record.note == "Café"


def test_the_delimiter_is_the_one_the_header_uses() -> None:
    # A semicolon file's set cell holds a ';' of its own in quotes; a comma file's does not.
    semicolons = diary(row(), header=HEADER).replace(",", ";").replace("nap;screen", '"nap;screen"')
    assert read_diary(semicolons).records == [VALID_RECORD]
    # A header that is not quite right still reports its columns by the delimiter it uses.
    renamed = ";".join([*HEADER[:-1], "later"]) + "\n"
    assert read_diary(renamed).errors == [
        RowError(1, "header", "missing_column", "backfilled"),
        RowError(1, "header", "unknown_column", "later"),
    ]


def test_a_header_alone_is_an_empty_diary() -> None:
    assert read_diary(HEADER_LINE) == read_diary(HEADER_LINE.rstrip("\n"))
    assert read_diary(HEADER_LINE).records == []
    assert read_diary(HEADER_LINE).ok


def test_crlf_inside_a_quoted_note_is_kept() -> None:
    text = diary(row(note="regel een\r\nregel twee"), newline="\r\n")
    assert read_diary(text).records[0].note == "regel een\r\nregel twee"


# --- reading: errors ----------------------------------------------------------------------

MULTILINE_NOTE = 'eerste regel\ntweede, met komma\n"derde"'  # spans lines 2–4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", [(1, "header", "missing_header")], id="empty-file"),
        pytest.param("\ufeff", [(1, "header", "missing_header")], id="bom-only"),
        # The header names what is wrong with it, one column at a time (issue 19).
        pytest.param(
            diary(row(), header=[*HEADER[:-1], "imported"]),
            [(1, "header", "missing_column", "backfilled"), (1, "header", "unknown_column", "imported")],
            id="renamed-column",
        ),
        pytest.param(
            diary(row(), header=[HEADER[1], HEADER[0], *HEADER[2:]]),
            [(1, "header", "column_order")],
            id="columns-swapped",
        ),
        pytest.param(
            diary(row(), header=HEADER[:-1]),
            [(1, "header", "missing_column", "backfilled")],
            id="column-missing",
        ),
        pytest.param(
            diary([*row(), "x"], header=[*HEADER, "note"]),
            [(1, "header", "duplicate_column", "note")],
            id="column-twice",
        ),
        pytest.param('"date\n', [(1, "header", "not_a_diary")], id="broken-header"),
        # Files that are no diary at all: one sentence about the format, not 28 missing columns.
        pytest.param(
            diary(row()).replace(",", "\t"), [(1, "header", "not_a_diary")], id="tab-separated"
        ),
        pytest.param(
            "Datum,Slaap,Energie\n2-3-2026,7,5\n", [(1, "header", "not_a_diary")], id="other-app"
        ),
        pytest.param(
            diary(row()[:-1]), [(2, "row", "wrong_cell_count", "27")], id="cell-missing"
        ),
        pytest.param(diary([*row(), ""]), [(2, "row", "wrong_cell_count", "29")], id="cell-extra"),
        pytest.param(
            HEADER_LINE
            + '2026-03-02,"23:00"x\n'
            + ",".join(row(date="2026-03-03"))
            + "\n2026-03-04,x\n",
            [(2, "row", "malformed_row"), (4, "row", "wrong_cell_count", "2")],
            id="text-after-closing-quote",
        ),
        pytest.param(
            diary(row()) + '2026-03-03,"23:00\nno end\n',
            [(3, "row", "malformed_row")],
            id="unclosed-quote",
        ),
        pytest.param(diary(row(date="")), [(2, "date", "required")], id="date-missing"),
        pytest.param(diary(row(date="2026-02-30")), [(2, "date", "not_a_date")], id="no-such-day"),
        pytest.param(diary(row(date="20260302")), [(2, "date", "not_a_date")], id="date-compact"),
        pytest.param(diary(row(date="2/3/2026")), [(2, "date", "not_a_date")], id="date-slashes"),
        pytest.param(diary(row(date="30-2-2026")), [(2, "date", "not_a_date")], id="no-such-day-nl"),
        pytest.param(diary(row(date="2-3-26")), [(2, "date", "not_a_date")], id="two-digit-year"),
        pytest.param(diary(row(date="2026-W10-1")), [(2, "date", "not_a_date")], id="iso-week"),
        pytest.param(
            diary(row(), row(note="again")), [(3, "date", "duplicate_date")], id="duplicate-date"
        ),
        pytest.param(
            diary(row(sol_min="x"), row(), row(note="third")),
            [
                (2, "sol_min", "not_a_number"),
                (3, "date", "duplicate_date"),
                (4, "date", "duplicate_date"),
            ],
            id="duplicate-of-a-refused-row",
        ),
        pytest.param(diary(row(backfilled="")), [(2, "backfilled", "required")], id="bf-empty"),
        pytest.param(
            diary(row(backfilled="ja")), [(2, "backfilled", "not_a_boolean")], id="bf-word"
        ),
        pytest.param(diary(row(backfilled="1")), [(2, "backfilled", "not_a_boolean")], id="bf-1"),
        pytest.param(diary(row(refreshed="")), [(2, "refreshed", "required")], id="required"),
        pytest.param(
            diary(row(sol_min="twintig")), [(2, "sol_min", "not_a_number")], id="not-a-number"
        ),
        pytest.param(
            diary(row(sleep_quality="0")), [(2, "sleep_quality", "out_of_range")], id="range"
        ),
        pytest.param(
            diary(row(lights_out_time="25:00")),
            [(2, "lights_out_time", "not_a_time")],
            id="not-a-time",
        ),
        pytest.param(
            diary(row(rest_minutes="45")), [(2, "rest_minutes", "invalid_choice")], id="choice"
        ),
        pytest.param(
            diary(row(rest_types="nap;Dutje")),
            [(2, "rest_types", "invalid_choice")],
            id="set-label-not-id",
        ),
        pytest.param(
            diary(row(social_contact="ja")),
            [(2, "social_contact", "invalid_choice")],
            id="enum-label-not-id",
        ),
        pytest.param(
            diary(row(out_of_bed_time="23:30")),
            [(2, "out_of_bed_time", "time_in_bed")],
            id="time-in-bed",
        ),
        pytest.param(
            diary(row(sol_min="300", waso_min="200")),
            [(2, "waso_min", "exceeds_time_in_bed")],
            id="exceeds-time-in-bed",
        ),
        pytest.param(
            diary(row(final_wake_time="08:00")),
            [(2, "final_wake_time", "final_wake_outside")],
            id="final-wake-outside",
        ),
        pytest.param(
            diary(row(rest_minutes="0", rest_types="", rest_recharged="3")),
            [(2, "rest_recharged", "must_be_empty")],
            id="must-be-empty-rest",
        ),
        pytest.param(
            diary(row(sleepiness_peak="6")),
            [(2, "dozed_unintended", "must_be_empty")],
            id="must-be-empty-dozed",
        ),
        pytest.param(
            diary(row(dozed_unintended="")),
            [(2, "dozed_unintended", "required")],
            id="conditionally-required",
        ),
        pytest.param(diary(row(note="x" * 501)), [(2, "note", "too_long")], id="note-too-long"),
        pytest.param(
            diary(row(date="gisteren", sol_min="", backfilled="nee", note="x" * 501)),
            [
                (2, "date", "not_a_date"),
                (2, "sol_min", "required"),
                (2, "note", "too_long"),
                (2, "backfilled", "not_a_boolean"),
            ],
            id="every-error-of-a-row-in-column-order",
        ),
        pytest.param(
            diary(row(note=MULTILINE_NOTE), row(date="2026-03-03", refreshed="5")),
            [(5, "refreshed", "out_of_range")],
            id="line-after-a-multiline-note",
        ),
        pytest.param(
            diary(row(note=MULTILINE_NOTE, refreshed="5")),
            [(2, "refreshed", "out_of_range")],
            id="multiline-row-reported-at-its-first-line",
        ),
        pytest.param(
            diary(
                row(note=MULTILINE_NOTE.replace("\n", "\r\n")),
                row(date="2026-03-03", refreshed="5"),
                newline="\r\n",
            ),
            [(5, "refreshed", "out_of_range")],
            id="line-after-a-multiline-note-crlf",
        ),
        pytest.param(
            diary(row(), row(date="2026-03-03")).replace("\n", "\n\n", 1)
            + diary(row(date="2026-03-04", waso_min="-1"))[len(HEADER_LINE) :],
            [(5, "waso_min", "out_of_range")],
            id="blank-lines-still-counted",
        ),
        pytest.param(
            "\ufeff"
            + diary(
                row(date="2026-03-02"),
                row(date="x"),
                row(date="2026-03-04"),
                row(date="2026-03-05", walk_outside_min=""),
            ),
            [(3, "date", "not_a_date"), (5, "walk_outside_min", "required")],
            id="several-bad-rows-all-listed",
        ),
    ],
)
def test_errors(text: str, expected: list[tuple[int, str, str] | tuple[int, str, str, str]]) -> None:
    result = read_diary(text)
    assert result.errors == [RowError(*error) for error in expected]
    assert result.records == []
    assert not result.ok


def test_error_codes_are_plain_ids() -> None:
    (error,) = read_diary(diary(row(date="x"))).errors
    assert type(error.code) is str
    assert error.code == CsvError.NOT_A_DATE.value == "not_a_date"


def test_one_bad_row_imports_nothing() -> None:
    text = diary(*(row(date=f"2026-03-{day:02d}") for day in range(1, 20)), row(date="x"))
    assert read_diary(text).records == []


# --- spreadsheet formulas (OWASP CSV injection) -------------------------------------------


def note_cell(text: str) -> str:
    """The note cell of the file's only row, as it stands in the file (quotes included)."""
    line = text.split("\n", 1)[1]
    assert line.endswith(",false\n")
    # Every cell before the note is a plain id, number or time, so the commas before it count.
    return line[: -len(",false\n")].split(",", HEADER.index("note"))[-1]


@pytest.mark.parametrize(
    ("note", "cell", "imported"),
    [
        pytest.param("=1+1", "'=1+1", "=1+1", id="equals"),
        pytest.param("+31 6 12345678", "'+31 6 12345678", "+31 6 12345678", id="plus"),
        pytest.param("-2", "'-2", "-2", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", "@SUM(A1)", id="at"),
        # The app never stores a note that starts with whitespace (the form strips it, and so
        # does the import), but the writer still must not hand a spreadsheet a formula.
        pytest.param("\tx", "'\tx", "x", id="tab"),
        pytest.param("\rx", '"\'\rx"', "x", id="carriage-return"),
        pytest.param(
            '=HYPERLINK("http://x",1)',
            '"\'=HYPERLINK(""http://x"",1)"',
            '=HYPERLINK("http://x",1)',
            id="apostrophe-inside-the-quotes",
        ),
        pytest.param("'=x", "''=x", "'=x", id="typed-apostrophe"),
        pytest.param("''=x", "'''=x", "''=x", id="two-typed-apostrophes"),
        pytest.param("'\tx", "''\tx", "'\tx", id="typed-apostrophe-then-tab"),
        pytest.param("'plain", "'plain", "'plain", id="apostrophe-before-text"),
        pytest.param("'", "'", "'", id="apostrophe-alone"),
        pytest.param("plain", "plain", "plain", id="plain"),
        pytest.param("1+1=2 - @ok", "1+1=2 - @ok", "1+1=2 - @ok", id="formula-signs-inside"),
    ],
)
def test_a_note_that_would_start_a_formula_is_neutralised(
    note: str, cell: str, imported: str
) -> None:
    exported = write_diary([checkin(note=note)])
    assert note_cell(exported) == cell
    (record,) = read_diary(exported).records
    assert record.note == imported


@settings(deadline=None)  # timing is not under test
@given(diaries(min_size=1))
def test_no_exported_cell_starts_a_formula(records: list[CheckIn]) -> None:
    # Every column, not only the note: a spreadsheet runs whatever cell starts with one.
    for cells in csv.reader(io.StringIO(write_diary(records), newline="")):
        assert [cell for cell in cells if cell.startswith(FORMULA_STARTS)] == []


@pytest.mark.parametrize(
    ("cell", "note"),
    [
        # A file from another tool, or written by hand, has no apostrophes: read as it stands.
        pytest.param("=1+1", "=1+1", id="bare-formula"),
        pytest.param("-2", "-2", id="bare-minus"),
        # What this app, or OWASP advice followed elsewhere, writes: one apostrophe comes off.
        pytest.param("'=1+1", "=1+1", id="neutralised"),
        pytest.param("''@x", "'@x", id="neutralised-typed-apostrophe"),
        pytest.param("'plain", "'plain", id="apostrophe-before-text-stays"),
        pytest.param("x'=1", "x'=1", id="apostrophe-inside-stays"),
    ],
)
def test_import_takes_a_note_with_or_without_the_apostrophe(cell: str, note: str) -> None:
    result = read_diary(diary(row(note=cell)))
    assert result.errors == []
    assert result.records == [replace(VALID_RECORD, note=note)]


# --- the round trip -----------------------------------------------------------------------


@settings(max_examples=300, deadline=None)  # timing is not under test
@given(diaries())
def test_export_import_export_is_byte_identical(records: list[CheckIn]) -> None:
    exported = write_diary(records)
    result = read_diary(exported)
    assert result.errors == []
    assert result.records == sorted(records, key=lambda record: record.date)
    assert write_diary(result.records) == exported


def as_dutch_excel_saves(exported: str) -> bytes:
    """Semicolons, d-m-yyyy, H:MM, WAAR/ONWAAR, CRLF, Windows-1252 where the text allows it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for number, cells in enumerate(csv.reader(io.StringIO(exported, newline=""))):
        if number:
            changed = dict(zip(HEADER, cells, strict=True))
            year, month, day = changed["date"].split("-")
            changed["date"] = f"{int(day)}-{int(month)}-{year}"
            changed["backfilled"] = "WAAR" if changed["backfilled"] == "true" else "ONWAAR"
            for name in TIME_COLUMNS:
                changed[name] = changed[name].removeprefix("0")
            cells = [changed[name] for name in HEADER]
        writer.writerow(cells)
    text = buffer.getvalue()
    try:
        data = text.encode("cp1252")
        data.decode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8-sig")  # Excel's "CSV UTF-8": a note outside Windows-1252
    except UnicodeDecodeError:
        return data  # not UTF-8, so read as Windows-1252
    # Windows-1252 bytes that happen to be valid UTF-8 too ("Ã©") are read as UTF-8: such a
    # file is ambiguous, and Excel offers "CSV UTF-8" for exactly that.
    return data if data.decode("utf-8") == text else text.encode("utf-8-sig")


@settings(max_examples=200, deadline=None)  # timing is not under test
@given(diaries())
def test_a_spreadsheets_resave_imports_and_exports_byte_identical(records: list[CheckIn]) -> None:
    exported = write_diary(records)
    result = read_diary(as_dutch_excel_saves(exported))
    assert result.errors == []
    assert write_diary(result.records) == exported


@settings(deadline=None)  # timing is not under test; a busy machine must not fail it
@given(checkins())
def test_an_exported_file_can_be_read_with_a_bom_and_crlf_endings(record: CheckIn) -> None:
    # What a spreadsheet or a Windows editor may make of the file. Only the line ends between
    # rows change: newlines inside a quoted note are the note's own and must stay as they are.
    exported = write_diary([record])
    header, body = exported.split("\n", 1)
    assert body.endswith("\n")
    converted = "\ufeff" + header + "\r\n" + body[:-1] + "\r\n"
    assert read_diary(converted).records == [record]
