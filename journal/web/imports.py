"""Words for the diary CSV's row errors (DOMAIN G.1), in the user's language."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from journal.domain.checkin import Error
from journal.domain.diary_csv import RowError
from journal.web.checkin_form import error_message

_FILE_ERRORS = {
    "missing_header": _l("The file is empty."),
    "bad_header": _l("The first line does not have the columns of a Hersteldagboek diary."),
    "malformed_row": _l("This line has a quote that is not closed."),
    "wrong_cell_count": _l("This line does not have the right number of columns."),
    "not_a_date": _l("Please give the date as YYYY-MM-DD."),
    "duplicate_date": _l("This date appears more than once in the file."),
    "not_a_boolean": _l("Please write true or false here."),
}


def describe_errors(errors: Iterable[RowError]) -> list[str]:
    """One sentence per bad cell: line number, column id and what to change."""
    lines = []
    for error in errors:
        if error.code in Error._value2member_map_:
            message = error_message(error.field, Error(error.code))
        else:
            message = _FILE_ERRORS.get(error.code, _l("This value is not valid."))
        lines.append(
            _(
                "Line %(line)s, %(field)s: %(message)s",
                line=error.line,
                field=error.field,
                message=message,
            )
        )
    return lines
