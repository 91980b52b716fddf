"""Issue 21, "Mijn mensen": the five steps, the map, one person's page, and who may see it."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from journal.domain.people import MAX_PEOPLE, Step
from journal.extensions import db
from journal.models import SupportMap, SupportPerson
from tests.conftest import Accounts, set_english
from tests.web.people import EIGHT, build_map, ids_by_name


@pytest.fixture
def sanne(app: Flask, logged_in: int) -> int:
    set_english(app, logged_in)
    return logged_in


def page(client: FlaskClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, path
    return response.get_data(as_text=True)


def saved_map(app: Flask, user_id: int) -> SupportMap:
    with app.app_context():
        row = db.session.get(SupportMap, user_id)
        assert row is not None
        db.session.expunge(row)
        return row


def test_a_new_person_is_invited_to_start(client: FlaskClient, sanne: int) -> None:
    html = page(client, "/people")
    assert "Start my map" in html
    assert 'href="/people/step/1"' in html


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_each_step_is_one_screen_with_a_way_on(
    client: FlaskClient, sanne: int, number: int
) -> None:
    html = page(client, f"/people/step/{number}")
    assert f"Step {number} of 5" in html
    if number < 5:
        assert f'href="/people/step/{number + 1}"' in html  # skippable
    assert 'href="/people"' in html


@pytest.mark.parametrize("path", ["/people/step/0", "/people/step/6", "/people/step/x"])
def test_steps_outside_the_five_are_not_found(client: FlaskClient, sanne: int, path: str) -> None:
    page(client, path, 404)


def test_eight_people_through_the_five_steps(app: Flask, client: FlaskClient, sanne: int) -> None:
    ids = build_map(app, client)
    with app.app_context():
        people = {p.name: p for p in db.session.scalars(select(SupportPerson))}
        assert len(people) == 8
        anna = people["Anna"]
        assert (anna.phone, anna.ring, anna.helps, anna.reach) == (
            "0612345678",
            1,
            "practical,listening",
            "often",
        )
        assert people["Carolien de Vries"].phone == "+31201234567"
        assert people["Oom Kees"].reach is None
    row = saved_map(app, sanne)
    assert row.step == Step.DONE
    assert row.note_gaps == "Nobody nearby for practical things."
    html = page(client, "/people")
    # The map holds everyone, each a link to their page, with their kinds of help as marks.
    svg = html[html.index("<svg") : html.index("</svg>")]
    for name, person_id in ids.items():
        assert f'href="/people/{person_id}"' in svg
        assert f'aria-label="{name},' in svg
    assert svg.count('class="mark"') == sum(len(kinds) for _, _, _, kinds, _ in EIGHT)
    assert ">Carol…</text>" in svg
    assert "Last updated on March 10, 2026" in html
    assert "Nobody nearby for practical things." in html  # the person's own notes
    assert "You got as far as" not in html


def test_the_step_reached_is_remembered(app: Flask, client: FlaskClient, sanne: int) -> None:
    client.post("/people/step/1", data={"name": "Anna", "phone": ""})
    page(client, "/people/step/3")
    assert saved_map(app, sanne).step == Step.HELP
    page(client, "/people/step/2")  # going back does not forget how far they got
    assert saved_map(app, sanne).step == Step.HELP
    html = page(client, "/people")
    assert "You got as far as step 3 of 5." in html
    assert 'href="/people/step/3">Carry on' in html


@pytest.mark.parametrize(
    ("name", "phone", "field", "message"),
    [
        ("", "0612345678", "name", "Please write a name or nickname."),
        ("x" * 41, "", "name", "Please keep the name to 40 characters"),
        ("Anna", "call me maybe", "phone", "This does not look like a phone number."),
        ("Anna", "12", "phone", "This does not look like a phone number."),
        ("An\x00na", "", "name", "This text holds a character that cannot be stored."),
    ],
)
def test_a_name_or_number_that_does_not_fit_keeps_what_was_typed(
    app: Flask, client: FlaskClient, sanne: int, name: str, phone: str, field: str, message: str
) -> None:
    response = client.post("/people/step/1", data={"name": name, "phone": phone})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="err-{field}"' in html
    assert f'value="{name}"' in html and f'value="{phone}"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(SupportPerson.id))) == 0


def test_the_map_has_room_for_forty(app: Flask, client: FlaskClient, sanne: int) -> None:
    with app.app_context():
        from journal.clock import now_utc

        now = now_utc()
        db.session.add_all(
            SupportPerson(user_id=sanne, name=f"P{i}", helps="", created_at=now, updated_at=now)
            for i in range(MAX_PEOPLE)
        )
        db.session.commit()
    response = client.post("/people/step/1", data={"name": "One more", "phone": ""})
    assert response.status_code == 422
    assert "Your map is full" in response.get_data(as_text=True)


def test_forged_choices_are_ignored(app: Flask, client: FlaskClient, sanne: int) -> None:
    client.post("/people/step/1", data={"name": "Anna", "phone": ""})
    [anna] = ids_by_name(app).values()
    client.post("/people/step/2", data={f"ring-{anna}": "9"})
    client.post("/people/step/3", data={f"helps-{anna}": ["listening", "<script>"]})
    client.post("/people/step/4", data={f"reach-{anna}": "always"})
    with app.app_context():
        row = db.session.get(SupportPerson, anna)
        assert row is not None
        assert (row.ring, row.helps, row.reach) == (None, "listening", None)


def test_a_reflection_note_that_is_too_long_is_kept(client: FlaskClient, sanne: int) -> None:
    long = "x" * 2001
    response = client.post("/people/step/5", data={"note_available": long, "note_gaps": "gaps"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert long in html and ">gaps</textarea>" in html
    assert "Please keep it to 2000 characters." in html


def test_one_persons_page_has_call_and_text_links(
    app: Flask, client: FlaskClient, sanne: int
) -> None:
    ids = build_map(app, client)
    html = page(client, f"/people/{ids['Anna']}")
    assert 'href="tel:0612345678"' in html and 'href="sms:0612345678"' in html
    assert "Closest to you" in html and "practical help, listening" in html
    assert "tel:" not in page(client, f"/people/{ids['Bram']}")  # no number given


def test_a_person_can_be_changed_and_removed(app: Flask, client: FlaskClient, sanne: int) -> None:
    ids = build_map(app, client)
    bad = client.post(f"/people/{ids['Bram']}", data={"name": "", "phone": "abc"})
    assert bad.status_code == 422
    assert 'value="abc"' in bad.get_data(as_text=True)
    changed = {
        "name": "Bram B",
        "phone": "010 1234567",
        "ring": "3",
        "helps": ["advice"],
        "reach": "often",
    }
    assert client.post(f"/people/{ids['Bram']}", data=changed).status_code == 302
    with app.app_context():
        bram = db.session.get(SupportPerson, ids["Bram"])
        assert bram is not None
        assert (bram.name, bram.phone, bram.ring, bram.helps) == (
            "Bram B",
            "0101234567",
            3,
            "advice",
        )
    assert client.post(f"/people/{ids['Bram']}/delete").status_code == 302
    page(client, f"/people/{ids['Bram']}", 404)


def test_someone_elses_person_is_not_found(
    app: Flask, client: FlaskClient, accounts: Accounts, sanne: int
) -> None:
    ids = build_map(app, client)
    accounts.logout()
    accounts.create("joris@example.org")
    accounts.login("joris@example.org")
    anna = ids["Anna"]
    page(client, f"/people/{anna}", 404)
    assert client.post(f"/people/{anna}", data={"name": "Mine now", "phone": ""}).status_code == 404
    assert client.post(f"/people/{anna}/delete").status_code == 404
    page(client, f"/people/{2**31}", 404)  # past an id column's range: 404, not a 500
    with app.app_context():
        row = db.session.get(SupportPerson, anna)
        assert row is not None and row.name == "Anna"
    html = page(client, "/people")
    assert "Anna" not in html


def test_logged_out_is_sent_to_log_in(client: FlaskClient) -> None:
    for path in ("/people", "/people/step/1", "/people/call", "/people/1"):
        assert client.get(path).status_code == 302


def test_dutch_is_the_default(app: Flask, client: FlaskClient, logged_in: int) -> None:
    html = page(client, "/people")
    assert "Mijn mensen" in html
    build_map(app, client)
    html = page(client, "/people")
    assert re.search(r"Heel dichtbij|Dichtbij", html)
