"""Issue 21, "Mijn mensen" in the data download: a readable CSV of the people on the map, in
the person's language, and their two notes as plain text.

Names are the person's own words about other people: a cell that a spreadsheet would run as a
formula (=, +, -, @, tab, CR first, OWASP "CSV injection") gets an apostrophe, as the diary
export does; a number such as +31612345678 is therefore written '+31612345678.
"""

from __future__ import annotations

import csv
import io
from typing import Final

from flask_babel import gettext as _

from journal.domain.people import HelpKind
from journal.store import people as store
from journal.web.words import people as words

_FORMULA_STARTS: Final = frozenset("=+-@\t\r")


def _cell(text: str) -> str:
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def people_files(user_id: int) -> dict[str, str]:
    """The archive's files about the map; none when the person never started one."""
    rows = store.export_rows(user_id)
    saved = store.map_of(user_id)
    if not rows and saved is None:
        return {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            _("Name"),
            _("Phone"),
            _("Circle"),
            _("Helps with"),
            _("Can you reach them?"),
            _("Real contact noted on"),
        ]
    )
    for person, days in rows:
        writer.writerow(
            [
                _cell(person.name),
                _cell(person.phone or ""),
                str(words.RINGS[person.ring]) if person.ring else "",
                ", ".join(str(words.HELPS[k]) for k in HelpKind if k in person.helps),
                str(words.REACHES[person.reach]) if person.reach else "",
                " ".join(day.isoformat() for day in days),
            ]
        )
    files = {"mijn-mensen.csv": out.getvalue()}
    if saved is not None:
        files["mijn-mensen-notities.txt"] = (
            "\n\n".join(
                [
                    f"{words.NOTE_AVAILABLE}\n{saved.note_available or ''}",
                    f"{words.NOTE_GAPS}\n{saved.note_gaps or ''}",
                    _("Map last updated on %(day)s.", day=saved.updated_at.date().isoformat()),
                ]
            )
            + "\n"
        )
    return files
