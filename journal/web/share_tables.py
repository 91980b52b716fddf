"""The coach summary's plain tables (week by week, kinds of rest), as rows of formatted text.

One macro in templates/share/_summary_body.html draws every such table, each cell with its
column's name as data-label, so that on a phone each row becomes a card of "name: value"
pairs (share-screen.css). The words come from the caller (journal.web.share_words), already in
the reader's language; the numbers are formatted here, never computed: every figure is the
coach summary's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from journal.domain.coach import Block, RestProfile
from journal.domain.summary import Quadrant
from journal.web.numbers import number


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    numeric: bool = True  # right-aligned, tabular figures


@dataclass(frozen=True, slots=True)
class TableRow:
    head: str  # the row header: on a phone, the card's title
    cells: tuple[str, ...]
    current: bool = False  # this week's row, highlighted


@dataclass(frozen=True, slots=True)
class Table:
    kind: str  # its CSS class
    caption: str
    corner: str  # the row headers' column
    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]


def week_tables(
    blocks: Sequence[Block],
    quadrants: Mapping[Quadrant, Any],
    recovery: Any,
    activation: Any,
    span: Callable[[date, date], str],
) -> tuple[Table, Table]:
    """Week by week, split in two so that each fits a phone's card and the A4 page's width:
    recovery and tension, then contact and outdoors."""
    last = len(blocks) - 1
    recovering = Table(
        "weeks",
        _("Recovery and tension"),
        _("Week"),
        (
            Column(_("Check-ins")),
            Column(str(recovery)),
            Column(str(activation)),
            Column(_("Pattern"), numeric=False),
        ),
        tuple(
            TableRow(
                span(b.first, b.last),
                (
                    str(b.checkins),
                    number(b.ri, 0),
                    number(b.ai, 0),
                    str(quadrants[b.quadrant]) if b.quadrant else "–",
                ),
                i == last,
            )
            for i, b in enumerate(blocks)
        ),
    )
    contact = Table(
        "weeks",
        _("Contact and outdoors"),
        _("Week"),
        (
            Column(_("Days with real contact")),
            Column(_("Support felt (0–4)")),
            Column(_("Outdoors (min)")),
        ),
        tuple(
            TableRow(
                span(b.first, b.last),
                (str(b.meaningful_days), number(b.support_mean, 1), str(b.outdoor_minutes)),
                i == last,
            )
            for i, b in enumerate(blocks)
        ),
    )
    return recovering, contact


def rest_table(profile: RestProfile, rest_types: Mapping[str, Any], caption: str) -> Table:
    """The kinds of rest over the period: where rest did and did not become recovery."""
    return Table(
        "rest",
        caption,
        _("Kind of rest"),
        (
            Column(_("Days")),
            Column(_("Minutes")),
            Column(_("Recharged")),
            Column(_("Mean recharge (0–4)")),
        ),
        tuple(
            TableRow(
                str(rest_types[t.rest_type]),
                (
                    str(t.days),
                    number(t.minutes, 0),
                    _(
                        "%(n)s of %(days)s (%(percent)s%%)",
                        n=t.recharged_days,
                        days=t.days,
                        percent=number(t.ratio * 100, 0),
                    ),
                    number(t.mean_recharged, 1),
                ),
            )
            for t in profile.by_type
        ),
    )
