"""Importing the diary CSV (DOMAIN G.1): what is wrong with a file, in the person's words, and
the example file that shows what a right one looks like.

A cell is named by the question the person answered in the check-in, with its column as it
stands in the file's first line, so it can be found in a spreadsheet too. Problems with a
whole line or with the file get a sentence of their own: "row" and "header" are the reader's
words, not the person's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, time

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from journal.domain.checkin import CheckIn, ContextTag, Dozed, Error, Intensity, RestType, Social
from journal.domain.diary_csv import HEADER, CsvError, RowError, write_diary
from journal.web.checkin_form import FIELDS, error_message

_CELL_PROBLEMS = {
    CsvError.NOT_A_DATE: _l("Please write the date as 2026-03-02 or 2-3-2026."),
    CsvError.DUPLICATE_DATE: _l("This date appears more than once in the file."),
    CsvError.NOT_A_BOOLEAN: _l("Please write true or false here."),
}
# The header's problems, told together in one sentence about line 1.
_HEADER_CODES = frozenset(
    {
        CsvError.MISSING_COLUMN,
        CsvError.UNKNOWN_COLUMN,
        CsvError.DUPLICATE_COLUMN,
        CsvError.COLUMN_ORDER,
    }
)


def describe_errors(errors: Iterable[RowError]) -> list[str]:
    """One sentence per problem, in the order of the file."""
    errors = list(errors)
    header = [error for error in errors if error.code in _HEADER_CODES]
    lines = [_header_sentence(header)] if header else []
    lines.extend(_sentence(error) for error in errors if error.code not in _HEADER_CODES)
    return lines


def _sentence(error: RowError) -> str:
    match error.code:
        case CsvError.NOT_TEXT:
            text = _(
                "We cannot read this file. Choose the CSV file you downloaded from "
                "Hersteldagboek, or save your spreadsheet as CSV."
            )
        case CsvError.MISSING_HEADER:
            text = _("The file is empty.")
        case CsvError.NOT_A_DIARY:
            text = _(
                "This is not a Hersteldagboek file: its first line has none of the diary's columns."
            )
        case CsvError.MALFORMED_ROW:
            text = _(
                "Line %(line)s cannot be read: a quotation mark in it is not closed, or text "
                "follows a closing one.",
                line=error.line,
            )
        case CsvError.WRONG_CELL_COUNT:
            text = ngettext(
                "Line %(line)s has %(num)s column; a Hersteldagboek file has %(expected)s.",
                "Line %(line)s has %(num)s columns; a Hersteldagboek file has %(expected)s.",
                int(error.detail),
                line=error.line,
                expected=len(HEADER),
            )
        case _:
            text = _(
                "Line %(line)s, %(where)s: %(message)s",
                line=error.line,
                where=_cell_name(error.field),
                message=_cell_problem(error),
            )
    return str(text)


def _cell_name(column: str) -> str:
    if column == "date":
        text = _("the date")
    elif column == "backfilled":
        text = _("whether the day was filled in afterwards (column %(column)s)", column=column)
    else:
        text = _(
            "‘%(question)s’ (column %(column)s)", question=FIELDS[column].question, column=column
        )
    return str(text)


def _cell_problem(error: RowError) -> object:
    if error.code in Error._value2member_map_:
        return error_message(error.field, Error(error.code))
    return _CELL_PROBLEMS.get(CsvError(error.code), _l("This value is not valid."))


# What is wrong with some columns of the header, for how many columns, named how.
_COLUMN_PROBLEMS: tuple[tuple[CsvError, Callable[[int, str], str]], ...] = (
    (
        CsvError.MISSING_COLUMN,
        lambda n, names: ngettext(
            "the column %(names)s is missing", "the columns %(names)s are missing", n, names=names
        ),
    ),
    (
        CsvError.UNKNOWN_COLUMN,
        lambda n, names: ngettext(
            "we do not know the column %(names)s",
            "we do not know the columns %(names)s",
            n,
            names=names,
        ),
    ),
    (
        CsvError.DUPLICATE_COLUMN,
        lambda n, names: ngettext(
            "the column %(names)s appears more than once",
            "the columns %(names)s appear more than once",
            n,
            names=names,
        ),
    ),
)


def _header_sentence(errors: Sequence[RowError]) -> str:
    def columns(code: CsvError) -> list[str]:
        return [error.detail for error in errors if error.code == code]

    problems = []
    for code, words in _COLUMN_PROBLEMS:
        if named := columns(code):
            problems.append(words(len(named), _names(named)))
    if columns(CsvError.COLUMN_ORDER):
        problems.append(_("the columns are in another order than in the example file"))
    return str(
        _(
            "Line %(line)s does not have the columns of a Hersteldagboek file: %(problems)s.",
            line=errors[0].line,
            problems="; ".join(problems),
        )
    )


def _names(columns: Sequence[str]) -> str:
    """The columns as the file spells them, listed the way the language lists things."""
    spelled = [column or _("(without a name)") for column in columns]
    return format_list(spelled, locale=get_locale())


# --- the example file -------------------------------------------------------------------------


def example_diary() -> str:
    """Three made-up days, written by the export's own writer: the example is G.1 exactly.

    They lie long enough ago to be in nobody's diary; the preview shows their dates before
    anything is imported.
    """
    first = CheckIn(
        date=date(2025, 1, 6),
        lights_out_time=time(23, 15),
        sol_min=20,
        waso_min=30,
        final_wake_time=time(6, 45),
        out_of_bed_time=time(7, 15),
        awakenings_n=2,
        refreshed=2,
        sleep_quality=3,
        morning_energy=5,
        startup_effort=4,
        tension_now=3,
        day_load=6,
        rest_minutes=30,
        rest_types=frozenset({RestType.NAP, RestType.SCREEN}),
        rest_recharged=2,
        letting_go=5,
        bedtime_tension=4,
        sleepiness_peak=7,
        dozed_unintended=Dozed.AT_REST,
        social_contact=Social.BRIEF,
        support_felt=3,
        walk_outside_min=20,
        movement_intensity=Intensity.CALM,
        note=_("A short walk, then a nap."),
    )
    # The other two days show what the first does not: a night past midnight, empty cells,
    # an empty set, a day filled in afterwards, other choices.
    second = replace(
        first,
        date=date(2025, 1, 7),
        lights_out_time=time(0, 10),
        sol_min=45,
        final_wake_time=None,
        awakenings_n=None,
        morning_energy=3,
        rest_minutes=0,
        rest_types=frozenset(),
        rest_recharged=None,
        sleepiness_peak=5,
        dozed_unintended=None,
        context_tags=frozenset({ContextTag.ILLNESS}),
        note=None,
        backfilled=True,
    )
    third = replace(
        first,
        date=date(2025, 1, 8),
        sol_min=10,
        morning_energy=7,
        rest_minutes=60,
        rest_types=frozenset({RestType.RELAXATION, RestType.OUTDOORS}),
        social_contact=Social.MEANINGFUL,
        walk_outside_min=45,
        movement_intensity=Intensity.MODERATE,
        note=None,
    )
    return write_diary([first, second, third])
