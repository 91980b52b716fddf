"""'Mijn herstelfase' (issue 22): choosing, the history, the week page's observations and
hiding them, the watch list, the data download, deletion, and nobody else's data.

FROZEN_NOW is Tuesday 10 March 2026 (08:30 in Amsterdam); the scenario builder's day 1 is
Monday 2 March, so `build(9)` ends today.
"""

from __future__ import annotations

import html as entities
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from journal.domain.checkin import Intensity
from journal.domain.phase import WATCH_LIST_MAX_CHARS, Phase
from journal.extensions import db
from journal.models import PhaseChange, PhasePreference, ReflectAnswer
from tests.conftest import FROZEN_NOW, PASSWORD, Accounts, set_english, store_diary
from tests.domain.scenario_builder import build
from tests.web.sharing import count

NAMES = {
    Phase.SETTLING: "Coming to rest",
    Phase.REBUILDING: "Building up again",
    Phase.HOLDING: "Holding steady",
    Phase.UNKNOWN: "I don't know yet",
}
PROMISE = "The app never picks a phase for you, never moves you on to the next one"


@pytest.fixture
def person(app: Flask, logged_in: int) -> int:
    set_english(app, logged_in)
    return logged_in


def html(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    text = entities.unescape(response.get_data(as_text=True))
    return text[text.index('<main id="main">') : text.index("</main>")]


def checked(page: str) -> list[str]:
    return re.findall(r'name="phase" value="(\w+)"[^>]* checked', page)


def on_day(app: Flask, days: int) -> None:
    app.config["FIXED_NOW"] = FROZEN_NOW + timedelta(days=days)


# --- /phase -----------------------------------------------------------------------------------


def test_the_page_offers_four_choices_with_dont_know_as_default(
    client: FlaskClient, person: int
) -> None:
    page = html(client, "/phase")
    assert all(name in page for name in NAMES.values())
    assert checked(page) == ["unknown"]
    assert PROMISE in page
    assert "You have not chosen a phase yet." in page


def test_the_page_is_dutch_first(client: FlaskClient, logged_in: int) -> None:
    page = html(client, "/phase")
    for dutch in ("Tot rust komen", "Weer opbouwen", "Vasthouden", "Weet ik nog niet"):
        assert dutch in page


@pytest.mark.parametrize("phase", list(Phase))
def test_each_phase_can_be_set(client: FlaskClient, app: Flask, person: int, phase: Phase) -> None:
    if phase is Phase.UNKNOWN:  # back to "don't know" is a choice too, once another was made
        client.post("/phase", data={"phase": "settling"})
    response = client.post("/phase", data={"phase": phase.value})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/phase")
    page = html(client, "/phase")
    assert checked(page) == [phase.value]
    assert f"Saved. Your phase is now: {NAMES[phase]}." in page
    # Settling and back to "don't know" on one day is no change in the history.
    assert ("10 March 2026" in page) is (phase is not Phase.UNKNOWN)


@pytest.mark.parametrize("bad", ["", "fire", "SETTLING", "settling "])
def test_an_unknown_choice_is_refused_on_the_same_page(
    client: FlaskClient, app: Flask, person: int, bad: str
) -> None:
    response = client.post("/phase", data={"phase": bad})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose one of the four, or keep the one you have." in page
    assert count(app, PhaseChange) == 0


def test_every_change_is_kept_and_the_page_shows_one_per_day(
    client: FlaskClient, app: Flask, person: int
) -> None:
    client.post("/phase", data={"phase": "settling"})
    client.post("/phase", data={"phase": "rebuilding"})  # the same day: kept, shown once
    on_day(app, 9)
    client.post("/phase", data={"phase": "holding"})
    assert count(app, PhaseChange) == 3
    page = html(client, "/phase")
    history = re.findall(r'<span class="when">([^<]+)</span> <span class="what">([^<]+)', page)
    assert history == [("19 March 2026", "Holding steady"), ("10 March 2026", "Building up again")]


def test_choosing_the_phase_you_have_changes_nothing(
    client: FlaskClient, app: Flask, person: int
) -> None:
    client.post("/phase", data={"phase": "settling"})
    response = client.post("/phase", data={"phase": "settling"}, follow_redirects=True)
    assert "That already was your phase, so nothing changed." in response.get_data(as_text=True)
    assert count(app, PhaseChange) == 1
    client.post("/phase", data={"phase": "unknown"})  # nothing chosen yet counts as "unknown"
    assert count(app, PhaseChange) == 2


def test_the_change_is_dated_in_the_persons_own_zone(
    client: FlaskClient, app: Flask, accounts: Accounts
) -> None:
    # 07:30 UTC on 10 March is already the 10th in Amsterdam, still the 9th in Honolulu.
    accounts.create(timezone="Pacific/Honolulu")
    accounts.login()
    client.post("/phase", data={"phase": "settling"})
    with app.app_context():
        assert db.session.scalars(select(PhaseChange.changed_on)).one().isoformat() == "2026-03-09"


# --- The watch list --------------------------------------------------------------------------


def test_the_watch_list_is_saved_and_shown_in_holding(client: FlaskClient, person: int) -> None:
    assert 'id="watch"' not in html(client, "/phase")  # only asked for in "Vasthouden"
    client.post("/phase", data={"phase": "holding"})
    response = client.post(
        "/phase/watch", data={"watch_list": "Ik sla mijn wandeling over\r\nNee zeggen"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/phase#watch")
    assert "Ik sla mijn wandeling over\nNee zeggen</textarea>" in html(client, "/phase")
    week = html(client, "/week")
    assert (
        '<ul class="watch-items"><li>Ik sla mijn wandeling over</li><li>Nee zeggen</li></ul>'
        in week
    )


def test_a_watch_list_too_long_is_refused_and_kept(
    client: FlaskClient, app: Flask, person: int
) -> None:
    client.post("/phase", data={"phase": "holding"})
    text = "x" * (WATCH_LIST_MAX_CHARS + 1)
    response = client.post("/phase/watch", data={"watch_list": text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"{text}</textarea>" in page
    assert (
        f"Your list has {WATCH_LIST_MAX_CHARS + 1} characters; {WATCH_LIST_MAX_CHARS} fit." in page
    )
    assert 'aria-invalid="true"' in page
    assert count(app, PhasePreference) == 0
    # Exactly at the limit is fine.
    assert client.post("/phase/watch", data={"watch_list": text[:-1]}).status_code == 302


# --- The week page -----------------------------------------------------------------------------


def test_the_week_page_shows_the_phase_and_its_observations(
    client: FlaskClient, app: Flask, person: int
) -> None:
    store_diary(app, person, build(9))  # 2–10 March, every rest recharged, every night restored
    week = html(client, "/week")
    assert "Your phase: I don't know yet" in week
    assert "You have not chosen a phase." in week
    assert 'href="/phase"' in week

    client.post("/phase", data={"phase": "settling"})
    week = html(client, "/week")
    assert "Your phase: Coming to rest" in week
    assert "On 9 of the last 14 days (9 with a check-in), your rest recharged you." in week
    assert "On 9 of the last 14 days, your sleep restored you, mostly or fully." in week
    assert "Talking everything through can wait for now." in week
    # Near the top: before what stood out.
    assert week.index('id="phase"') < week.index('id="h-stood-out"')

    client.post("/phase", data={"phase": "rebuilding"})
    week = html(client, "/week")
    assert "Not enough days yet to compare your morning energy after a calm walk" in week

    client.post("/phase", data={"phase": "holding"})
    week = html(client, "/week")
    assert "My signals" in week
    assert "starting up takes more effort" in week
    assert "Once your diary has a usual level" in week  # nine days: no usual level yet


def test_rebuilding_on_the_week_page_compares_walks_and_cautions(
    client: FlaskClient, app: Flask, person: int
) -> None:
    # 2–10 March; a walk on odd days (energy 6), none on even days (energy 4), and intense
    # movement on the last four days.
    diary = build(
        9,
        (1, 9, {"walk_outside_min": lambda n: 10 if n % 2 else 0}),
        (1, 9, {"morning_energy": lambda n: 6 if n % 2 else 4}),
        (6, 9, {"movement_intensity": Intensity.INTENSE}),
    )
    store_diary(app, person, diary)
    client.post("/phase", data={"phase": "rebuilding"})
    week = html(client, "/week")
    # Walks on days 1, 3, 5 (7 and 9 were intense: not calm); the other six: (4·4 + 2·6) / 6.
    assert (
        "After 3 days with a calm walk of 10 minutes or more, your energy the next morning was "
        "6.0 on average; after the other 6 days, 4.7 (last 28 days)." in week
    )
    assert "On 4 of the last 14 days your movement was intense." in week


def test_a_past_week_shows_the_phase_of_that_week(
    client: FlaskClient, app: Flask, person: int
) -> None:
    client.post("/phase", data={"phase": "settling"})
    on_day(app, 7)
    client.post("/phase", data={"phase": "rebuilding"})
    assert "Your phase: Building up again" in html(client, "/week")
    assert "Your phase: Coming to rest" in html(client, "/week/2026-W11")


def test_the_observations_can_be_hidden_and_shown_without_javascript(
    client: FlaskClient, app: Flask, person: int
) -> None:
    store_diary(app, person, build(9))
    client.post("/phase", data={"phase": "settling"})
    response = client.post("/phase/observations", data={"hide": "1", "next": "/week/2026-W11"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/week/2026-W11#phase")
    week = html(client, "/week")
    assert "Your phase: Coming to rest" in week  # the phase stays, with the way back
    assert "your rest recharged you" not in week
    assert "The observations for your phase are hidden." in week
    assert '<input type="hidden" name="hide" value="0">' in week
    client.post("/phase/observations", data={"hide": "0", "next": "/week"})
    assert "your rest recharged you" in html(client, "/week")


@pytest.mark.parametrize(
    "target", ["https://example.com/week", "//example.com/week", "/account", ""]
)
def test_hiding_only_ever_sends_back_to_the_week_page(
    client: FlaskClient, person: int, target: str
) -> None:
    response = client.post("/phase/observations", data={"hide": "1", "next": target})
    assert response.headers["Location"].endswith("/week#phase")
    assert "example.com" not in response.headers["Location"]


def test_the_pages_need_a_login(client: FlaskClient) -> None:
    for path in ("/phase", "/reflect"):
        assert client.get(path).status_code == 302
    assert client.post("/phase", data={"phase": "holding"}).status_code == 302


# --- Another person's data, the download, deletion ---------------------------------------------


def test_another_persons_phase_and_list_are_never_shown(
    client: FlaskClient, app: Flask, accounts: Accounts
) -> None:
    accounts.create("ander@example.org")
    accounts.login("ander@example.org")
    client.post("/phase", data={"phase": "holding"})
    client.post("/phase/watch", data={"watch_list": "Geheim lijstje"})
    client.post("/reflect", data={"text_identity": "Wie ben ik"})
    accounts.logout()
    me = accounts.create()
    set_english(app, me)
    accounts.login()
    for path in ("/phase", "/week", "/reflect"):
        page = html(client, path)
        assert "Geheim lijstje" not in page
        assert "Wie ben ik" not in page
    assert checked(html(client, "/phase")) == ["unknown"]
    assert "Your phase: I don't know yet" in html(client, "/week")


def test_the_data_download_holds_the_phase_file(
    client: FlaskClient, app: Flask, person: int
) -> None:
    client.post("/phase", data={"phase": "settling"})
    on_day(app, 1)
    client.post("/phase", data={"phase": "holding"})
    client.post("/phase/watch", data={"watch_list": "Slecht slapen"})
    client.post(
        "/reflect",
        data={"text_context": "Veel gedoe", "share_context": "1", "text_identity": "Wie"},
    )
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data.zip").data))
    data = json.loads(archive.read("recovery_phase.json"))
    assert [(c["phase"], c["changed_on"]) for c in data["phase_changes"]] == [
        ("settling", "2026-03-10"),
        ("holding", "2026-03-11"),
    ]
    assert data["watch_list"] == "Slecht slapen"
    assert [
        (a["question"], a["text"], a["shared_with_coach"]) for a in data["reflect_answers"]
    ] == [
        ("context", "Veel gedoe", True),
        ("identity", "Wie", False),
    ]


def test_deleting_the_account_removes_the_phase_rows(
    client: FlaskClient, app: Flask, accounts: Accounts
) -> None:
    other = accounts.create("ander@example.org")
    accounts.login("ander@example.org")
    client.post("/phase", data={"phase": "settling"})
    accounts.logout()
    accounts.create()
    accounts.login()
    client.post("/phase", data={"phase": "holding"})
    client.post("/phase/watch", data={"watch_list": "Slecht slapen"})
    client.post("/reflect", data={"text_context": "Veel gedoe"})
    assert (count(app, PhaseChange), count(app, PhasePreference), count(app, ReflectAnswer)) == (
        2,
        1,
        1,
    )
    assert client.post("/account/delete", data={"delete_password": PASSWORD}).status_code == 302
    assert (count(app, PhaseChange), count(app, PhasePreference), count(app, ReflectAnswer)) == (
        1,
        0,
        0,
    )
    with app.app_context():
        assert db.session.scalars(select(PhaseChange.user_id)).one() == other


def test_the_account_page_leads_to_the_phase_and_the_questions(
    client: FlaskClient, person: int
) -> None:
    account = html(client, "/account")
    assert '<a href="/phase">My recovery phase</a>' in account
    assert '<a href="/reflect">What\'s going on?</a>' in account
