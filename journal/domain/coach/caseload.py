"""Issue 20: the coach's caseload, one row per connected client, sorted by who is worth a look.

Pure: the caller hands in each client's records (a bounded window, see :func:`window`), the
dates of their first and last check-in, and `today` in the client's own time zone.

Readings where the issue leaves room (each is noted where it is computed):

- **Scope first.** A client's records are cut to their scope before anything is computed
  (:func:`scope_start`): FROM_CONNECTING drops the days before the invitation, LAST_8_WEEKS
  the days before the 8 weeks up to today. So a row never tells more than the summary behind
  it may show.
- **The cards** are the flags active on the last day the summary judges (D.2's last_day:
  today once today's check-in is in, else yesterday), the same flags the client's summary
  lists at a glance. Signposts first, then C.12's priority.
- **The trend** is G.3's arrow of the Herstelscore (RI) against the client's own usual level
  (B.3's baseline): this week's, or the previous week's while this week has no check-in yet.
  Never a raw score, never compared between clients.
- **The pattern** is G.3's quadrant: this week's once it has enough check-ins (4), else the
  previous week's (which may have none either).
- **Order** (never by a score): active signposts; then 3 or more days without a check-in;
  then attention-level cards (attention or persistent); then the rest. Within each group the
  client quiet the longest comes first (a row is worth a look sooner the longer the client
  has been silent), then by name. A client without any check-in in scope counts as quiet
  since the connection began.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from journal.domain.checkin import CheckIn
from journal.domain.coach.glance import Glance, KeptGlance, glance, kept_glance
from journal.domain.lifecycle import SIGNPOSTS, by_priority
from journal.domain.rules import HORIZON_DAYS, FlagResult, Level
from journal.domain.rules.diary import Diary
from journal.domain.rules.evaluate import RULES
from journal.domain.summary import (
    WEEK_DAYS,
    MetricFigures,
    Quadrant,
    monday_of,
)

QUIET_FROM_DAYS: Final = 3  # "three or more days without a check-in"
SCOPE_WEEKS: Final = 8  # LAST_8_WEEKS, and the longest period the coach summary shows
_DAY: Final = timedelta(days=1)


class Period(StrEnum):
    """The days a connection shares; the same ids as journal.models.ConnectionPeriod."""

    FROM_CONNECTING = "from_connecting"
    LAST_8_WEEKS = "last_8_weeks"
    EVERYTHING = "everything"


class Group(StrEnum):
    """Why a row sorts where it does; GROUP_ORDER is the order of the caseload."""

    SIGNPOST = "signpost"
    QUIET = "quiet"
    ATTENTION = "attention"
    REST = "rest"


GROUP_ORDER: Final = (Group.SIGNPOST, Group.QUIET, Group.ATTENTION, Group.REST)


@dataclass(frozen=True)
class Client:
    """A connected client as the caseload knows them: never more than the connection allows."""

    connection_id: int
    name: str  # the name the client chose to show
    period: Period
    starts_on: date  # the day of the invitation
    today: date  # in the client's own time zone


@dataclass(frozen=True)
class CaseloadRow:
    connection_id: int
    name: str
    period: Period
    last_checkin: date | None  # within scope
    quiet_days: int  # days since the last check-in in scope (or since connecting, without one)
    week_checkins: int  # this ISO week's check-ins, up to today (G.3)
    active: tuple[FlagResult, ...]  # signposts first, then C.12 priority
    recovery: MetricFigures | None  # RI of `trend_week`; its arrow is the trend
    trend_week: date | None  # the Monday of the week the trend is of
    pattern: Quadrant | None
    pattern_week: date | None  # the Monday of the week the pattern is of
    group: Group

    @property
    def signposts(self) -> tuple[FlagResult, ...]:
        return tuple(r for r in self.active if r.flag in SIGNPOSTS)


def scope_start(period: Period, starts_on: date, today: date) -> date | None:
    """The first date a connection shares; None: everything."""
    if period is Period.FROM_CONNECTING:
        return starts_on
    if period is Period.LAST_8_WEEKS:
        return today - timedelta(weeks=SCOPE_WEEKS) + _DAY
    return None


def in_scope(records: Iterable[CheckIn], start: date | None) -> list[CheckIn]:
    return [r for r in records if start is None or r.date >= start]


def window(today: date) -> tuple[date, date]:
    """The dates (inclusive) of the records a row reads, besides the first record's date.

    The rules read HORIZON_DAYS back from the day they judge (yesterday at the earliest); the
    week's baseline (Monday−28) and the previous week lie inside that.
    """
    return today - _DAY - timedelta(days=HORIZON_DAYS), today


def flags_on(records: Sequence[CheckIn], first: date | None, day: date) -> list[FlagResult]:
    """evaluate() on `day`, told the client's first check-in date separately: the window need
    not hold the first record itself (warm-up and CHECKIN_GAP read only its date)."""
    ordered = sorted((r for r in records if r.date <= day), key=lambda r: r.date)
    if first is None and ordered:
        first = ordered[0].date
    diary = Diary(ordered, first)
    return [rule(diary, day) for rule in RULES.values()]


def signposts_first(active: Iterable[FlagResult]) -> tuple[FlagResult, ...]:
    ranked = by_priority(active)
    return tuple(sorted(ranked, key=lambda r: r.flag not in SIGNPOSTS))


def group_of(active: Sequence[FlagResult], quiet_days: int) -> Group:
    if any(r.flag in SIGNPOSTS for r in active):
        return Group.SIGNPOST
    if quiet_days >= QUIET_FROM_DAYS:
        return Group.QUIET
    if any(r.level is not None and Level.ATTENTION <= r.level < Level.DOCTOR for r in active):
        return Group.ATTENTION
    return Group.REST


def stored_flags_hold(start: date | None, last_day: date, stale_from: date | None) -> bool:
    """Whether the flags stored for `last_day` (journal.store.flag_states, evaluated on the
    whole diary) are what the rules give on the records in scope: the scope must not cut into
    what the rules read (HORIZON_DAYS back), and no save since may have changed them."""
    reach = last_day - timedelta(days=HORIZON_DAYS)
    return (start is None or start <= reach) and (stale_from is None or stale_from > last_day)


def _last_day(today: date, last: date | None) -> date:
    """D.2's last day: today once today's check-in is in, else yesterday."""
    return today if last == today else today - _DAY


def _kept(
    client: Client,
    last: date | None,
    stored: Mapping[date, Sequence[FlagResult]] | None,
    stale_from: date | None,
) -> Sequence[FlagResult] | None:
    """The stored results a row may use, or None: the rules must run."""
    last_day = _last_day(client.today, last)
    kept = (stored or {}).get(last_day)
    start = scope_start(client.period, client.starts_on, client.today)
    # An empty list is a day evaluated with nothing active; a day missing was not evaluated.
    return kept if kept is not None and stored_flags_hold(start, last_day, stale_from) else None


def reads_from(
    client: Client,
    last: date | None,
    stored: Mapping[date, Sequence[FlagResult]] | None = None,
    stale_from: date | None = None,
    glances: Mapping[date, KeptGlance] | None = None,
) -> date | None:
    """The earliest date :func:`caseload_row` reads for this client, so that the caller turns
    no more rows into records than it must: the rules' window when they run, else the
    previous week's baseline window (Monday−35); None when the stored flags and glances hold
    all the row shows (then it reads no record at all)."""
    if _kept(client, last, stored, stale_from) is None:
        return window(client.today)[0]
    if (last is None or last <= client.today) and _kept_weeks(
        client, stale_from, glances
    ) is not None:
        return None
    return monday_of(client.today) - timedelta(days=WEEK_DAYS + 28)


def _needs_previous(this_week: Glance) -> bool:
    """The trend falls back to last week without a check-in this week, the pattern without
    enough check-ins for one."""
    return this_week.pattern is None or this_week.checkins == 0


def _kept_weeks(
    client: Client, stale_from: date | None, glances: Mapping[date, KeptGlance] | None
) -> tuple[Glance, Glance | None] | None:
    """This week's glance and (when the row needs it) last week's, both from the store; None
    when either that is needed does not hold."""
    monday = monday_of(client.today)
    start = scope_start(client.period, client.starts_on, client.today)
    this_week = kept_glance(glances, monday, client.today, start, stale_from)
    if this_week is None or not _needs_previous(this_week):
        return None if this_week is None else (this_week, None)
    last_week = monday - timedelta(days=WEEK_DAYS)
    previous = kept_glance(glances, last_week, client.today, start, stale_from)
    return None if previous is None else (this_week, previous)


def caseload_row(
    client: Client,
    records: Iterable[CheckIn],
    first: date | None,
    last: date | None,
    stored: Mapping[date, Sequence[FlagResult]] | None = None,
    stale_from: date | None = None,
    glances: Mapping[date, KeptGlance] | None = None,
) -> CaseloadRow:
    """One client's row. `records` hold at least :func:`window` (more is ignored), or what
    :func:`reads_from` asks; `first` and `last` are the dates of the client's first and last
    check-in (None: none at all). `stored` are the flag results kept for some days (any subset
    of the flags' days), `glances` the weeks kept (:class:`KeptGlance`) and `stale_from` the
    client's mark of states to evaluate again: what is stored is used where it holds
    (:func:`stored_flags_hold`, :func:`kept_glance`), else computed here on the records in
    scope."""
    today = client.today
    kept = _kept(client, last, stored, stale_from)
    start = scope_start(client.period, client.starts_on, today)
    low, _high = window(today)
    mine = [r for r in in_scope(records, start) if low <= r.date <= today]
    # The first and last dates come from the whole diary: clamp them to the scope.
    if first is not None and start is not None and first < start:
        first = min((r.date for r in mine), default=None) if start > low else start
    if last is not None and (last > today or (start is not None and last < start)):
        last = max((r.date for r in mine), default=None)
    since = last if last is not None else client.starts_on
    quiet_days = max(0, (today - since).days)

    if kept is not None:
        active = signposts_first(kept)
    else:
        last_day = _last_day(today, last)
        active = signposts_first(flags_on(mine, first, last_day)) if mine else ()

    weeks = _kept_weeks(client, stale_from, glances)
    if weeks is None:
        monday = monday_of(today)
        this_week = glance(mine, monday, today)
        previous = None
        if _needs_previous(this_week):
            previous = glance(mine, monday - timedelta(days=WEEK_DAYS), today)
    else:
        this_week, previous = weeks
    trend_of = this_week if this_week.checkins else previous
    pattern_of = this_week if this_week.pattern is not None else previous
    has_trend = trend_of is not None and trend_of.checkins > 0
    return CaseloadRow(
        connection_id=client.connection_id,
        name=client.name,
        period=client.period,
        last_checkin=last,
        quiet_days=quiet_days,
        week_checkins=this_week.checkins,
        active=active,
        recovery=trend_of.recovery if has_trend and trend_of else None,
        trend_week=trend_of.start if has_trend and trend_of else None,
        pattern=pattern_of.pattern if pattern_of else None,
        pattern_week=pattern_of.start if pattern_of and pattern_of.pattern else None,
        group=group_of(active, quiet_days),
    )


def ordered(rows: Iterable[CaseloadRow]) -> list[CaseloadRow]:
    """The caseload's order (see the module doc): by group, then quiet the longest first, then
    by name. No score takes part."""
    return sorted(
        rows,
        key=lambda row: (
            GROUP_ORDER.index(row.group),
            -row.quiet_days,
            row.name.casefold(),
            row.connection_id,
        ),
    )


@dataclass(frozen=True)
class DigestCounts:
    """The coach's Monday e-mail: counts only, never who."""

    clients: int
    worth_a_look: int  # an active signpost or an attention-level card
    quiet: int  # three or more days without a check-in


def digest_counts(rows: Sequence[CaseloadRow]) -> DigestCounts:
    """A client may be in both counts: quiet and with a card from before the silence."""
    look = sum(1 for row in rows if any(_worth_a_look(r) for r in row.active))
    quiet = sum(1 for row in rows if row.quiet_days >= QUIET_FROM_DAYS)
    return DigestCounts(clients=len(rows), worth_a_look=look, quiet=quiet)


def _worth_a_look(result: FlagResult) -> bool:
    return result.flag in SIGNPOSTS or (
        result.level is not None and result.level >= Level.ATTENTION
    )
