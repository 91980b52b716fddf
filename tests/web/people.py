"""Helpers of the people tests: a map built through the steps, and reading it back."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from journal.extensions import db
from journal.models import SupportPerson

# Eight people, as the "done when" asks: (name, phone, ring, helps, reach).
EIGHT: list[tuple[str, str, str, list[str], str]] = [
    ("Anna", "06-12345678", "1", ["listening", "practical"], "often"),
    ("Bram", "", "1", ["company"], "sometimes"),
    ("Carolien de Vries", "+31 20 123 4567", "2", ["listening"], "sometimes"),
    ("Dirk", "", "2", ["advice"], "often"),
    ("Eva", "0612 345 679", "2", ["practical"], "not_now"),
    ("Fatima", "", "3", ["listening", "company"], "often"),
    ("Gijs", "", "3", [], "sometimes"),
    ("Oom Kees", "", "3", ["advice", "company"], ""),
]


def ids_by_name(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {p.name: p.id for p in db.session.scalars(select(SupportPerson))}


def build_map(
    app: Flask, client: FlaskClient, people: list[tuple[str, str, str, list[str], str]] = EIGHT
) -> dict[str, int]:
    """All five steps, through the forms; the people's ids by name."""
    for name, phone, *_ in people:
        assert client.post("/people/step/1", data={"name": name, "phone": phone}).status_code == 302
    ids = ids_by_name(app)
    rings = {f"ring-{ids[n]}": ring for n, _, ring, _, _ in people}
    helps = {f"helps-{ids[n]}": kinds for n, _, _, kinds, _ in people}
    reach = {f"reach-{ids[n]}": r for n, _, _, _, r in people if r}
    for number, data in ((2, rings), (3, helps), (4, reach)):
        response = client.post(f"/people/step/{number}", data=data)
        assert response.status_code == 302
        assert response.location.endswith(f"/people/step/{number + 1}")
    notes = {"note_available": "Anna, mostly.", "note_gaps": "Nobody nearby for practical things."}
    assert client.post("/people/step/5", data=notes).status_code == 302
    return ids
