"""The request parsing helpers of issue 17, as tables (no app, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from journal.web import parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4", 4), ("0004", 4), ("12", 12), ("0", None), ("13", None), ("", None), (None, None),
        ("²", None), ("٤", None), ("-4", None), ("+4", None), (" 4", None), ("4.0", None),
        ("9" * 4301, None), ("99999999999999999999", None),
    ],
)  # fmt: skip
def test_whole_number_takes_ascii_digits_within_bounds(text: str | None, expected: int | None) -> None:
    assert parsing.whole_number(text, 1, 12) == expected


def test_one_of_and_row_id() -> None:
    assert parsing.one_of("4", (2, 4, 12)) == 4
    assert parsing.one_of("3", (2, 4, 12)) is None
    assert parsing.row_id(str(parsing.ROW_ID_MAX)) == parsing.ROW_ID_MAX
    assert parsing.row_id(str(parsing.ROW_ID_MAX + 1)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-10", date(2026, 3, 10)), ("2000-01-01", date(2000, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)), ("1999-12-31", None), ("2101-01-01", None),
        ("0001-01-01", None), ("9999-12-31", None), ("2026-02-30", None), ("20260310", None),
        ("2026-W11-2", None), ("٢٠٢٦-03-10", None), ("2026-03-10\n", None), (None, None),
    ],
)  # fmt: skip
def test_day_is_yyyy_mm_dd_within_range(text: str | None, expected: date | None) -> None:
    assert parsing.day(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-10T07:30:00Z", datetime(2026, 3, 10, 7, 30, tzinfo=UTC)),
        ("2026-03-10T08:30:00+01:00", datetime(2026, 3, 10, 7, 30, tzinfo=UTC)),
        ("2026-03-10T07:30:00", datetime(2026, 3, 10, 7, 30, tzinfo=UTC)),  # no offset: UTC
        ("0001-01-01", None), ("0001-01-01T00:00:00+14:00", None), ("9999-12-31T23:30:00Z", None),
        ("9999-12-31T23:59:59-12:00", None), ("this morning", None), ("٢٠٢٦-03-10", None),
        ("2026-03-10T07:30:00Z" + " " * 40, None),
    ],
)  # fmt: skip
def test_moment_within_range(text: str, expected: datetime | None) -> None:
    assert parsing.moment(text) == expected


@pytest.mark.parametrize(
    ("text", "storable", "one_line"),
    [
        ("Goed geslapen 🙂", True, True), ("twee\nregels", True, False), ("a\tb", True, False),
        ("a\x00b", False, False), ("\ud800", False, False), ("voor \udfff na", False, False),
        ("", True, True),
    ],
)  # fmt: skip
def test_text_that_can_be_stored(text: str, storable: bool, one_line: bool) -> None:
    assert (parsing.storable(text), parsing.one_line(text)) == (storable, one_line)
