"""The words of a connection with a coach (issue 20), for the person on /share and for the
coach on /coach: the scope in plain words, "3 days ago", the Herstelscore trend and the
caseload row's reason to be near the top. Figures come from journal.domain.coach.caseload;
this only puts them into words, in the locale that is active.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from typing import Any, Final

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from journal.domain.coach.caseload import SCOPE_WEEKS, CaseloadRow, Group, Period
from journal.domain.rules import Flag
from journal.domain.summary import Trend, monday_of
from journal.models import CoachConnection
from journal.web import share_words, words

PERIODS: Final[Mapping[Period, LazyString]] = {
    Period.FROM_CONNECTING: _l("From today on: only what you fill in after connecting"),
    Period.LAST_8_WEEKS: _l("The last 8 weeks, rolling: always the latest 8 weeks"),
    Period.EVERYTHING: _l("Everything, also from before connecting"),
}
GROUPS: Final[Mapping[Group, LazyString]] = {
    Group.SIGNPOST: _l("Signpost active"),
    Group.QUIET: _l("3 days or more without a check-in"),
    Group.ATTENTION: _l("Card that asks for attention"),
}
ARROWS: Final[Mapping[Trend, str]] = {Trend.UP: "↑", Trend.FLAT: "→", Trend.DOWN: "↓"}
VIEW_KINDS: Final = share_words.VIEW_KINDS


def period_words(connection: CoachConnection) -> str:
    """The period as the person chose it, with the date where it matters."""
    period = Period(connection.period)
    if period is Period.FROM_CONNECTING:
        return str(
            _(
                "From %(day)s on: only what was filled in after connecting",
                day=format_date(connection.starts_on, "d MMMM yyyy"),
            )
        )
    if period is Period.LAST_8_WEEKS:
        return str(_("The last %(n)s weeks, rolling", n=SCOPE_WEEKS))
    return str(_("Everything (the summary shows up to %(n)s weeks)", n=SCOPE_WEEKS))


def scope_lines(connection: CoachConnection, notes: int | None = None) -> list[str]:
    """What a connection shares, one plain sentence per part."""
    lines = [period_words(connection)]
    if connection.include_notes:
        if notes is None:
            lines.append(str(_("Notes the client chose one by one")))
        else:
            lines.append(str(ngettext("%(num)s note you chose", "%(num)s notes you chose", notes)))
    else:
        lines.append(str(_("No notes")))
    if connection.include_people:
        lines.append(str(_("The counts of the support network")))
    if connection.include_phase:
        lines.append(str(_("The recovery phase and what is going on")))
    return lines


def ago(days: int, last: date | None) -> str:
    """'today', 'yesterday', '3 days ago', or that there is none yet."""
    if last is None:
        return str(_("no check-in yet"))
    if days == 0:
        return str(_("today"))
    if days == 1:
        return str(_("yesterday"))
    return str(ngettext("%(num)s day ago", "%(num)s days ago", days))


def trend(row: CaseloadRow, today_monday: date) -> dict[str, Any]:
    """The Herstelscore of the row's week against the client's own usual level: an arrow and
    words, never the score itself (scores are not compared between clients)."""
    m = row.recovery
    if m is None or m.arrow is None:
        said = _("no usual level to compare with yet") if m else _("no check-in this week")
        return {"arrow": "", "words": str(said), "dir": ""}
    found = share_words.deviation(m)
    if found is None or found is share_words.Deviation.AS_USUAL:
        text = str(_("Recovery score as usual"))
    else:
        said = share_words.DEVIATIONS[found]
        text = str(_("Recovery score %(words)s than usual", words=said))
    if row.trend_week is not None and row.trend_week != today_monday:
        text = str(_("%(text)s (last week)", text=text))
    return {"arrow": ARROWS[m.arrow], "words": text, "dir": m.arrow.value}


def pattern(row: CaseloadRow, today_monday: date) -> str:
    if row.pattern is None:
        return ""
    name = str(share_words.QUADRANTS[row.pattern])
    if row.pattern_week is not None and row.pattern_week != today_monday:
        return str(_("%(text)s (last week)", text=name))
    return name


def _card_name(flag: Flag) -> str:
    return str(words.FLAGS[flag].coach)


class CaseloadWords:
    """The words of a whole caseload in one request. The same few sentences recur from row to
    row (a scope, "3 days ago", "5 of 7 days", a card's name), and each translation is a lookup
    through the request's locale: each sentence is put into words once per page."""

    def __init__(self, today: date) -> None:
        self.monday = monday_of(today)
        self._said: dict[tuple[object, ...], Any] = {}

    def _once(self, key: tuple[object, ...], make: Callable[[], Any]) -> Any:
        if key not in self._said:
            self._said[key] = make()
        return self._said[key]

    def row(self, row: CaseloadRow) -> dict[str, Any]:
        m = row.recovery
        trend_key = (
            None if m is None else (m.arrow, share_words.deviation(m)),
            row.trend_week != self.monday,
        )
        return {
            "ago": self._once(
                ("ago", row.quiet_days, row.last_checkin is None),
                lambda: ago(row.quiet_days, row.last_checkin),
            ),
            "week": self._once(
                ("week", row.week_checkins),
                lambda: str(_("%(n)s of 7 days", n=row.week_checkins)),
            ),
            "trend": self._once(("trend", trend_key), lambda: trend(row, self.monday)),
            "pattern": self._once(
                ("pattern", row.pattern, row.pattern_week != self.monday),
                lambda: pattern(row, self.monday),
            ),
            "group": self._once(
                ("group", row.group), lambda: str(GROUPS[row.group]) if row.group in GROUPS else ""
            ),
            "cards": [
                {
                    "name": self._once(("card", r.flag), partial(_card_name, r.flag)),
                    "signpost": r in row.signposts,
                }
                for r in row.active
            ],
        }

    def scope(self, connection: CoachConnection) -> list[str]:
        """scope_lines of a connection; connections that share the same parts share them."""
        period = Period(connection.period)
        key = (
            "scope",
            period,
            connection.starts_on if period is Period.FROM_CONNECTING else None,
            connection.include_notes,
            connection.include_people,
            connection.include_phase,
        )
        return list(self._once(key, lambda: scope_lines(connection)))
