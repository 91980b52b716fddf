"""The database side of issue 22: the phase history, its preferences, the "wat speelt er?"
answers, and what a connected coach may see of them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from journal.clock import now_utc
from journal.domain import phase as domain
from journal.domain.phase import HISTORY_WEEKS, Dynamic, Phase, WeekPhase
from journal.extensions import db
from journal.models import PhaseChange, PhasePreference, ReflectAnswer


def _change_rows(user_id: int) -> list[PhaseChange]:
    """Every change the person made, in the order made."""
    return list(
        db.session.scalars(
            select(PhaseChange)
            .where(PhaseChange.user_id == user_id)
            .order_by(PhaseChange.changed_on, PhaseChange.created_at, PhaseChange.id)
        )
    )


def history(user_id: int) -> list[domain.PhaseChange]:
    """Every change the person made, in the order made."""
    return [domain.PhaseChange(Phase(row.phase), row.changed_on) for row in _change_rows(user_id)]


def change_phase(user_id: int, phase: Phase, today: date) -> bool:
    """Keep the choice with today's date; False when it is the phase already in effect."""
    if domain.phase_on(history(user_id), today) is phase:
        return False
    db.session.add(
        PhaseChange(user_id=user_id, phase=phase.value, changed_on=today, created_at=now_utc())
    )
    db.session.commit()
    return True


def preference(user_id: int) -> PhasePreference:
    """The person's preferences, made on first use (not stored until changed)."""
    found = db.session.get(PhasePreference, user_id)
    return found or PhasePreference(user_id=user_id, observations_hidden=False, watch_list="")


def save_preference(row: PhasePreference) -> None:
    db.session.merge(row)
    try:
        db.session.commit()
    except IntegrityError:
        # The first save sent twice at once (a double tap): the other request made the row.
        db.session.rollback()
        db.session.merge(row)
        db.session.commit()


def answers(user_id: int) -> dict[Dynamic, ReflectAnswer]:
    rows = db.session.scalars(select(ReflectAnswer).where(ReflectAnswer.user_id == user_id))
    return {Dynamic(row.question): row for row in rows}


def _in_order(stored: Mapping[Dynamic, ReflectAnswer]) -> list[tuple[Dynamic, ReflectAnswer]]:
    return [(question, stored[question]) for question in Dynamic if question in stored]


def save_answers(
    user_id: int, texts: Mapping[Dynamic, str], shared: Mapping[Dynamic, bool]
) -> None:
    """Store each answer as typed; an empty answer removes a stored one (and its sharing)."""
    stored = answers(user_id)
    for question in Dynamic:
        text = texts.get(question, "")
        row = stored.get(question)
        if not text:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = ReflectAnswer(user_id=user_id, question=question.value)
            db.session.add(row)
        if row.text != text or row.shared_with_coach != shared.get(question, False):
            row.updated_at = now_utc()
        row.text = text
        row.shared_with_coach = shared.get(question, False)
    db.session.commit()


# --- What a coach sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class CoachPhase:
    """Within a connection that includes the phase: the current phase, a row of the phase per
    week for the last HISTORY_WEEKS weeks (oldest first), the changes with their dates, and only
    the answers the person chose to share."""

    current: Phase
    weeks: tuple[WeekPhase, ...]
    changes: tuple[domain.PhaseChange, ...]
    shared: tuple[tuple[Dynamic, str], ...]


def coach_phase(person_id: int, today: date, week_starts: Sequence[date] = ()) -> CoachPhase:
    """What the coach of a connection with include_phase sees; the caller checks the scope.

    `week_starts` are the Mondays of the coach's timeline; without them, the last
    HISTORY_WEEKS weeks up to today's.
    """
    changes = history(person_id)
    week_starts = list(week_starts)[-HISTORY_WEEKS:]
    if not week_starts:
        monday = today - timedelta(days=today.weekday())
        week_starts = [monday - timedelta(weeks=n) for n in reversed(range(HISTORY_WEEKS))]
    stored = answers(person_id)
    return CoachPhase(
        current=domain.phase_on(changes, today),
        weeks=domain.weekly_phases(changes, week_starts, today),
        # The changes within the timeline's weeks; the phase before them is its first cell.
        changes=tuple(c for c in domain.daily_history(changes) if c.on >= week_starts[0]),
        shared=tuple((q, row.text) for q, row in _in_order(stored) if row.shared_with_coach),
    )


def export(user_id: int) -> dict[str, object]:
    """The data download's recovery_phase.json: every change as made, the watch list and the
    "wat speelt er?" answers with whether each is shared."""
    chosen = preference(user_id)
    return {
        "phase_changes": [
            {
                "phase": row.phase,
                "changed_on": row.changed_on.isoformat(),
                "created_at": row.created_at.isoformat(),
            }
            for row in _change_rows(user_id)
        ],
        "observations_hidden_on_week_page": chosen.observations_hidden,
        "watch_list": chosen.watch_list,
        "reflect_answers": [
            {
                "question": question.value,
                "text": row.text,
                "shared_with_coach": row.shared_with_coach,
                "updated_at": row.updated_at.isoformat(),
            }
            for question, row in _in_order(answers(user_id))
        ],
    }
