"""Each person's week at a glance (journal.domain.coach.glance), kept for the coach's caseload:
stored whenever their flags are evaluated (journal.store.flag_states.refresh), so that a
caseload whose clients are all up to date reads no check-in at all (issue 20). The caseload
uses a stored glance only where journal.domain.coach.glance.kept_glance says it holds, and
computes the others from the records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import delete, select

from journal.domain.checkin import CheckIn
from journal.domain.coach.glance import Glance, KeptGlance, glance, glance_of
from journal.domain.metrics import Baseline
from journal.domain.summary import WEEK_DAYS, Quadrant, monday_of, week_end
from journal.extensions import db
from journal.models import WeekGlance


def store(user_id: int, records: Sequence[CheckIn], today: date) -> None:
    """This week's and last week's glance, in the caller's transaction, in place of the ones
    stored before; `records` must reach back to last week's baseline (Monday−35)."""
    monday = monday_of(today)
    weeks = (monday - timedelta(days=WEEK_DAYS), monday)
    db.session.execute(delete(WeekGlance).where(WeekGlance.user_id == user_id))
    db.session.execute(
        WeekGlance.__table__.insert(),
        [
            _values(user_id, glance(records, week, today), min(today, week_end(week)))
            for week in weeks
        ],
    )


def _values(user_id: int, seen: Glance, through: date) -> dict[str, object]:
    ri = seen.recovery
    return {
        "user_id": user_id,
        "week_start": seen.start,
        "through": through,
        "checkins": seen.checkins,
        "ri_mean": _text(ri.mean),
        "base_median": _text(ri.baseline.median) if ri.baseline else None,
        "base_spread": _text(ri.baseline.spread) if ri.baseline else None,
        "base_n": ri.baseline.n if ri.baseline else None,
        "pattern": seen.pattern.value if seen.pattern else None,
    }


def load(persons: Sequence[int]) -> dict[int, dict[date, KeptGlance]]:
    """The stored glances of these people, by person and Monday."""
    found: dict[int, dict[date, KeptGlance]] = defaultdict(dict)
    columns = WeekGlance.__table__.c  # plain rows: no ORM object for what is read once
    for row in db.session.execute(select(columns).where(columns.user_id.in_(persons))):
        median, spread = _fraction(row.base_median), _fraction(row.base_spread)
        base = (
            Baseline(median, spread, row.base_n)
            if median is not None and spread is not None and row.base_n is not None
            else None
        )
        pattern = Quadrant(row.pattern) if row.pattern else None
        seen = glance_of(row.week_start, row.checkins, _fraction(row.ri_mean), base, pattern)
        found[row.user_id][row.week_start] = KeptGlance(seen, row.through)
    return found


def _text(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def _fraction(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(text)
