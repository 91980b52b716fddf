"""A person's connections with coaches for their data download (issue 20): every one, with
its scope, the dates of the notes shared through it and every time the coach opened it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from journal.extensions import db
from journal.models import CheckinRow, CoachConnection, CoachProfile, ConnectionNote, ConnectionView


def moment_or_none(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export(person_id: int) -> list[dict[str, object]]:
    """The person's connections for their data download: every one, with its scope, the dates
    of the notes shared through it and every time the coach opened it. A coach is named only
    once they accepted (see the module doc)."""
    rows = db.session.execute(
        select(CoachConnection, CoachProfile.display_name, CoachProfile.practice)
        .join(CoachProfile, CoachProfile.user_id == CoachConnection.coach_id)
        .where(CoachConnection.person_id == person_id)
        .order_by(CoachConnection.created_at, CoachConnection.id)
    ).all()
    ids = [c.id for c, *_ in rows]
    notes: dict[int, list[str]] = {i: [] for i in ids}
    views: dict[int, list[dict[str, str]]] = {i: [] for i in ids}
    if ids:
        for connection_id, day in db.session.execute(
            select(ConnectionNote.connection_id, CheckinRow.date)
            .join(CheckinRow, CheckinRow.id == ConnectionNote.checkin_id)
            .where(ConnectionNote.connection_id.in_(ids))
            .order_by(CheckinRow.date)
        ):
            notes[connection_id].append(day.isoformat())
        for view in db.session.scalars(
            select(ConnectionView)
            .where(ConnectionView.connection_id.in_(ids))
            .order_by(ConnectionView.viewed_at, ConnectionView.id)
        ):
            views[view.connection_id].append(
                {"viewed_at": view.viewed_at.isoformat(), "kind": view.kind}
            )
    out: list[dict[str, object]] = []
    for c, name, practice in rows:
        accepted = c.accepted_at is not None
        out.append(
            {
                "coach": name if accepted else None,
                "practice": practice if accepted else None,
                "your_name_for_the_coach": c.client_name,
                "period": c.period,
                "starts_on": c.starts_on.isoformat(),
                "include_notes": c.include_notes,
                "shared_note_dates": notes[c.id],
                "include_people": c.include_people,
                "include_phase": c.include_phase,
                "invited_at": c.created_at.isoformat(),
                "accepted_at": moment_or_none(c.accepted_at),
                "ended_at": moment_or_none(c.ended_at),
                "views": views[c.id],
            }
        )
    return out
