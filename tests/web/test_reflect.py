""" "Wat speelt er?" (issue 22): four open questions, saved with a per-answer share tick; an
answer past the limit is refused with everything kept; nobody else's answers."""

from __future__ import annotations

import html as entities

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from journal.domain.phase import REFLECT_MAX_CHARS, Dynamic
from journal.extensions import db
from journal.models import ReflectAnswer
from tests.conftest import Accounts, set_english

QUESTIONS = (
    "Is it mostly what happens around you?",
    "Is something old being touched again?",
    "Is your body simply empty?",
    "Who are you without what you do?",
)


@pytest.fixture
def person(app: Flask, logged_in: int) -> int:
    set_english(app, logged_in)
    return logged_in


def page(client: FlaskClient) -> str:
    response = client.get("/reflect")
    assert response.status_code == 200
    return entities.unescape(response.get_data(as_text=True))


def stored(app: Flask) -> dict[str, tuple[str, bool]]:
    with app.app_context():
        rows = db.session.scalars(select(ReflectAnswer))
        return {row.question: (row.text, row.shared_with_coach) for row in rows}


def test_four_open_questions_and_what_they_are_for(client: FlaskClient, person: int) -> None:
    text = page(client)
    assert all(q in text for q in QUESTIONS)
    assert "These questions are conversation starters" in text
    assert "no scores and no outcome: the app does not sort you into a type" in text
    assert text.count('type="checkbox"') == 4
    assert text.count("Share with my coach") == 4
    # No maxlength: a browser would cut a long paste off; the server refuses and keeps it.
    assert "maxlength" not in text


def test_the_questions_are_dutch_first(client: FlaskClient, logged_in: int) -> None:
    text = page(client)
    assert "Wat speelt er?" in text
    assert "Wie ben je zonder wat je doet?" in text
    assert "Deel met mijn coach" in text


def test_answers_are_saved_with_their_share_tick(
    client: FlaskClient, app: Flask, person: int
) -> None:
    response = client.post(
        "/reflect",
        data={
            "text_context": "  Veel gedoe op het werk\r\nen thuis  ",
            "share_context": "1",
            "text_empty_body": "Gewoon op",
        },
    )
    assert response.status_code == 302
    assert stored(app) == {
        "context": ("Veel gedoe op het werk\nen thuis", True),
        "empty_body": ("Gewoon op", False),
    }
    text = page(client)
    assert "Your answers are saved." in text
    assert "Veel gedoe op het werk\nen thuis</textarea>" in text
    assert 'name="share_context" value="1" checked' in text
    assert 'name="share_empty_body" value="1" checked' not in text


def test_unticking_stops_sharing_and_an_empty_answer_is_removed(
    client: FlaskClient, app: Flask, person: int
) -> None:
    client.post("/reflect", data={"text_context": "A", "share_context": "1", "text_identity": "B"})
    client.post("/reflect", data={"text_context": "A", "text_identity": ""})
    assert stored(app) == {"context": ("A", False)}


@pytest.mark.parametrize("question", list(Dynamic))
def test_an_answer_too_long_is_refused_and_every_answer_kept(
    client: FlaskClient, app: Flask, person: int, question: Dynamic
) -> None:
    client.post("/reflect", data={"text_context": "eerder"})
    long = "é" * (REFLECT_MAX_CHARS + 1)
    others = {f"text_{q.value}": f"antwoord {q.value}" for q in Dynamic if q is not question}
    response = client.post(
        "/reflect", data={**others, f"text_{question.value}": long, f"share_{question.value}": "1"}
    )
    assert response.status_code == 422
    text = entities.unescape(response.get_data(as_text=True))
    assert f"{long}</textarea>" in text
    assert all(f"{typed}</textarea>" in text for typed in others.values())
    assert f"This answer has {REFLECT_MAX_CHARS + 1} characters; {REFLECT_MAX_CHARS} fit." in text
    assert f'id="f-{question.value}"' in text and 'aria-invalid="true"' in text
    assert f'name="share_{question.value}" value="1" checked' in text
    assert stored(app) == {"context": ("eerder", False)}  # nothing saved, nothing lost
    # Exactly at the limit is fine.
    response = client.post("/reflect", data={f"text_{question.value}": long[:-1]})
    assert response.status_code == 302


def test_another_persons_answers_are_never_shown(
    client: FlaskClient, app: Flask, person: int, accounts: Accounts
) -> None:
    other = accounts.create("ander@example.org")
    with app.app_context():
        db.session.add(
            ReflectAnswer(
                user_id=other,
                question="identity",
                text="Niet van jou",
                shared_with_coach=True,
                updated_at=app.config["FIXED_NOW"],
            )
        )
        db.session.commit()
    assert "Niet van jou" not in page(client)
    client.post("/reflect", data={"text_identity": "Van mij"})
    with app.app_context():
        theirs = db.session.get(ReflectAnswer, (other, "identity"))
        assert theirs is not None and theirs.text == "Niet van jou"
