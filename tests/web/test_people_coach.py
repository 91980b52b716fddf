"""Issue 21 for a connected coach: with the support network in the connection's scope, the
counts per circle and per kind of help and the day of the last change; never a name, number
or note; and nothing of it when the connection leaves it out."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from journal.extensions import db
from journal.models import CoachConnection
from tests.conftest import Accounts, set_english
from tests.web.coach_clients import Coach, coach_login, connect, make_coach
from tests.web.people import build_map
from tests.web.sharing import pdftotext

SECRETS = ("Anna", "Carolien", "Oom Kees", "0612345678", "+31201234567", "Nobody nearby")


@pytest.fixture
def coach(app: Flask) -> Coach:
    return make_coach(app, "coach@praktijk.example")


@pytest.mark.parametrize("included", [True, False])
@pytest.mark.parametrize("pdf", [False, True], ids=["page", "pdf"])
def test_the_coach_sees_counts_only_within_the_scope(
    app: Flask,
    client: FlaskClient,
    accounts: Accounts,
    coach: Coach,
    included: bool,
    pdf: bool,
) -> None:
    """The client page and its PDF: the same counts within the scope, never a name or note."""
    person = accounts.create()
    set_english(app, person)
    accounts.login()
    build_map(app, client)
    connection_id = connect(app, person, coach, "Sanne")
    with app.app_context():
        db.session.execute(
            update(CoachConnection)
            .where(CoachConnection.id == connection_id)
            .values(include_people=included)
        )
        db.session.commit()
    accounts.logout()
    coach_login(client, coach)
    response = client.get(f"/coach/clients/{connection_id}{'.pdf' if pdf else ''}")
    assert response.status_code == 200
    if pdf:
        text = pdftotext(response.data)
        assert ("People per circle" in text) is included
        for secret in SECRETS:
            assert secret not in text
        return
    html = response.get_data(as_text=True)
    assert ('id="h-coach-people"' in html) is included
    for secret in SECRETS:
        assert secret not in html
    if included:
        # EIGHT: Anna, Bram closest; Carolien, Dirk, Eva close; Fatima, Gijs, Kees further.
        assert '<td data-figure="ring-1">2</td>' in html
        assert '<td data-figure="ring-2">3</td>' in html
        assert '<td data-figure="ring-3">3</td>' in html
        assert '<td data-figure="help-listening">3</td>' in html
        assert '<td data-figure="help-company">3</td>' in html
        assert "Map last updated on March 10, 2026." in html
