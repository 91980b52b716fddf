"""Issue 21 where the map meets the rest of the app: "wie kan ik bellen?" (from the safety
page and the CARRYING_ALONE card), "met wie?" after a check-in, the week's contact by ring,
the revisit card, the data download, deletion, and the logs."""

from __future__ import annotations

import csv
import io
import logging
import re
import urllib.parse
import urllib.request
import zipfile
from datetime import UTC, datetime, time, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from journal.domain.rules import Flag
from journal.extensions import db
from journal.models import CheckinContact, SupportMap, SupportPerson, User
from journal.store import people as store
from tests.conftest import FROZEN_NOW, PASSWORD, Accounts, set_english, store_diary
from tests.domain.scenario_builder import day_date
from tests.domain.test_scenarios import SCENARIOS
from tests.payloads import day
from tests.web.people import build_map


@pytest.fixture
def sanne(app: Flask, logged_in: int) -> int:
    set_english(app, logged_in)
    return logged_in


def text(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


# --- Wie kan ik bellen? --------------------------------------------------------------------


def test_call_with_an_empty_map_invites_gently(client: FlaskClient, sanne: int) -> None:
    html = text(client, "/people/call")
    assert "Your map is still empty." in html
    assert 'href="/people/step/1"' in html
    assert 'href="tel:113"' in html and 'href="tel:112"' in html  # never instead of them


def test_call_suggests_reachable_people_who_listen_or_help(
    app: Flask, client: FlaskClient, sanne: int
) -> None:
    build_map(app, client)
    html = text(client, "/people/call")
    names = [
        n
        for n in ("Anna", "Bram", "Carolien de Vries", "Dirk", "Eva", "Fatima")
        if f">{n}</h2>" in html
    ]
    # Anna (closest, often), Carolien (close, sometimes), Fatima (further, often); Bram only
    # keeps company, Dirk only advises, Eva cannot be reached now.
    assert names == ["Anna", "Carolien de Vries", "Fatima"]
    assert 'href="tel:0612345678"' in html and 'href="tel:+31201234567"' in html
    assert "ten minutes to hear how you are doing" in html  # one small, concrete ask
    assert 'href="tel:113"' in html


def test_call_when_nobody_fits_says_what_to_fill_in(client: FlaskClient, sanne: int) -> None:
    client.post("/people/step/1", data={"name": "Anna", "phone": ""})
    html = text(client, "/people/call")
    assert "Nobody on your map is marked yet" in html
    assert 'href="/people/step/3"' in html


def test_the_safety_page_links_it_beside_113_and_112(client: FlaskClient, sanne: int) -> None:
    html = text(client, "/safety")
    assert 'href="/people/call"' in html
    assert html.index('href="tel:113"') < html.index('href="/people/call"')
    assert 'href="tel:112"' in html


def test_home_links_the_map_and_the_call_page(client: FlaskClient, sanne: int) -> None:
    html = text(client, "/")
    assert 'href="/people"' in html and 'href="/people/call"' in html


def morning(n: int) -> datetime:
    return datetime.combine(day_date(n), time(7, 0), tzinfo=UTC)


def test_the_carrying_alone_card_links_who_to_call(
    app: Flask, client: FlaskClient, sanne: int
) -> None:
    store_diary(app, sanne, SCENARIOS["S02"][:16])  # CARRYING_ALONE starts on day 16
    app.config["FIXED_NOW"] = morning(16)
    for path in ("/", "/patterns"):
        html = text(client, path)
        cards = {
            m.group(1): html[m.start() : html.index("</article>", m.start())]
            for m in re.finditer(r'id="flag-([A-Z_]+)"', html)
        }
        assert 'href="/people/call"' in cards.pop(Flag.CARRYING_ALONE.value), path
        # The other cards (S02 day 16: EARLY_SIGNS) do not carry the link.
        assert cards, path
        for flag, card in cards.items():
            assert 'href="/people/call"' not in card, (path, flag)


# --- "Met wie?" ----------------------------------------------------------------------------


def test_with_whom_after_real_contact_is_optional_and_saved(
    app: Flask, client: FlaskClient, sanne: int
) -> None:
    ids = build_map(app, client)
    assert client.post("/checkin", data=day(social_contact="meaningful")).status_code == 302
    html = text(client, "/")
    form = html[html.index('class="card quiet with-whom"') :]
    form = form[: form.index("</form>")]
    # The two inner circles only: Anna, Bram (closest), Carolien, Dirk, Eva (close).
    offered = {n for n, i in ids.items() if f'value="{i}"' in form}
    assert offered == {"Anna", "Bram", "Carolien de Vries", "Dirk", "Eva"}
    today = FROZEN_NOW.date().isoformat()
    # Someone of the outer circle, or of someone else, sent by hand: ignored.
    chosen = [str(ids["Anna"]), str(ids["Dirk"]), str(ids["Fatima"]), "999", "x"]
    assert client.post(f"/people/with-whom/{today}", data={"with_whom": chosen}).status_code == 302
    with app.app_context():
        tagged = set(db.session.scalars(select(CheckinContact.person_id)))
    assert tagged == {ids["Anna"], ids["Dirk"]}
    assert "with-whom" not in text(client, "/")  # asked once, answered


def test_with_whom_is_not_asked_without_real_contact(
    app: Flask, client: FlaskClient, sanne: int
) -> None:
    build_map(app, client)
    client.post("/checkin", data=day(social_contact="brief"))
    assert "with-whom" not in text(client, "/")


def test_with_whom_is_not_asked_without_a_map(client: FlaskClient, sanne: int) -> None:
    client.post("/checkin", data=day(social_contact="meaningful"))
    assert "with-whom" not in text(client, "/")


def test_with_whom_for_a_day_without_a_check_in_is_not_found(
    client: FlaskClient, sanne: int
) -> None:
    for iso in ("2026-03-10", "2026-02-30", "nonsense"):
        assert client.post(f"/people/with-whom/{iso}", data={"with_whom": "1"}).status_code == 404


# --- The week page -------------------------------------------------------------------------


def test_the_week_says_contact_days_by_ring(app: Flask, client: FlaskClient, sanne: int) -> None:
    ids = build_map(app, client)
    monday = FROZEN_NOW.date() - timedelta(days=FROZEN_NOW.date().weekday())
    tags = {0: ["Anna"], 1: ["Anna", "Carolien de Vries"], 2: []}  # day 1 of the week: Tuesday
    for offset in range((FROZEN_NOW.date() - monday).days + 1):
        d = monday + timedelta(days=offset)
        app.config["FIXED_NOW"] = datetime.combine(d, time(7), tzinfo=UTC)
        assert client.post("/checkin", data=day(social_contact="meaningful")).status_code == 302
        if offset in tags:
            client.post(
                f"/people/with-whom/{d.isoformat()}",
                data={"with_whom": [str(ids[n]) for n in tags[offset]]},
            )
    html = text(client, "/week")
    assert (
        "2 days of real contact: 2 with your closest circle and 1 with the circle around it."
        in html
    )


def test_the_week_says_nothing_extra_without_tags(
    app: Flask, client: FlaskClient, sanne: int
) -> None:
    build_map(app, client)
    client.post("/checkin", data=day(social_contact="meaningful"))
    assert 'data-figure="contact-rings"' not in text(client, "/week")


# --- Revisit -------------------------------------------------------------------------------


def test_revisit_card_after_three_months_and_put_away(
    app: Flask, client: FlaskClient, sanne: int
) -> None:
    build_map(app, client)
    assert "Is your map still right?" not in text(client, "/")
    app.config["FIXED_NOW"] = FROZEN_NOW + timedelta(days=91)
    assert "Is your map still right?" in text(client, "/")
    assert "Is your map still right?" in text(client, "/people")
    response = client.post("/people/revisit/dismiss", data={"back": "map"})
    assert response.location.endswith("/people")
    assert "Is your map still right?" not in text(client, "/")
    assert "Last updated on March 10, 2026" in text(client, "/people")
    app.config["FIXED_NOW"] = FROZEN_NOW + timedelta(days=91 + 91)
    assert "Is your map still right?" in text(client, "/")


# --- Download and deletion -----------------------------------------------------------------


def test_the_download_holds_a_readable_people_file(
    app: Flask, client: FlaskClient, sanne: int
) -> None:
    ids = build_map(app, client)
    client.post("/people/step/1", data={"name": "=HYPERLINK(x)", "phone": ""})
    client.post("/checkin", data=day(social_contact="meaningful"))
    client.post(
        f"/people/with-whom/{FROZEN_NOW.date().isoformat()}", data={"with_whom": str(ids["Anna"])}
    )
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data.zip").data))
    rows = list(csv.DictReader(io.StringIO(archive.read("mijn-mensen.csv").decode())))
    anna = rows[0]
    assert anna == {
        "Name": "Anna",
        "Phone": "0612345678",
        "Circle": "Closest to you",
        "Helps with": "practical help, listening",
        "Can you reach them?": "often",
        "Real contact noted on": "2026-03-10",
    }
    assert rows[2]["Phone"] == "'+31201234567"  # a spreadsheet reads it as text, not a sum
    assert rows[-1]["Name"] == "'=HYPERLINK(x)"
    notes = archive.read("mijn-mensen-notities.txt").decode()
    assert "Nobody nearby for practical things." in notes


def test_no_map_no_people_file(client: FlaskClient, sanne: int) -> None:
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data.zip").data))
    assert "mijn-mensen.csv" not in archive.namelist()


def test_deleting_the_account_removes_the_map(app: Flask, client: FlaskClient, sanne: int) -> None:
    ids = build_map(app, client)
    client.post("/checkin", data=day(social_contact="meaningful"))
    client.post(
        f"/people/with-whom/{FROZEN_NOW.date().isoformat()}", data={"with_whom": str(ids["Anna"])}
    )
    response = client.post("/account/delete", data={"delete_password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, sanne) is None
        for table in (SupportPerson, SupportMap, CheckinContact):
            assert db.session.scalar(select(func.count()).select_from(table)) == 0, table


def test_removing_a_person_removes_their_tags(app: Flask, client: FlaskClient, sanne: int) -> None:
    ids = build_map(app, client)
    client.post("/checkin", data=day(social_contact="meaningful"))
    client.post(
        f"/people/with-whom/{FROZEN_NOW.date().isoformat()}", data={"with_whom": str(ids["Anna"])}
    )
    client.post(f"/people/{ids['Anna']}/delete")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckinContact)) == 0


# --- The coach's counts --------------------------------------------------------------------


def test_the_coach_view_is_counts_and_a_date_only(
    app: Flask, client: FlaskClient, sanne: int
) -> None:
    with app.app_context():
        assert store.coach_view(sanne) is None  # no map
    build_map(app, client)
    with app.app_context():
        view = store.coach_view(sanne)
        assert view is not None
        assert view.counts.people == 8
        assert [view.counts.by_ring[r] for r in sorted(view.counts.by_ring)] == [2, 3, 3]
        assert view.updated_on == FROZEN_NOW.date()
        assert "Anna" not in repr(view) and "0612345678" not in repr(view)


# --- Logs ----------------------------------------------------------------------------------


def test_names_and_numbers_never_reach_the_request_log(
    app: Flask, accounts: Accounts, served: str, caplog: pytest.LogCaptureFixture
) -> None:
    accounts.create()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    caplog.set_level(logging.DEBUG)

    def post(path: str, data: dict[str, str]) -> None:
        body = urllib.parse.urlencode(data).encode()
        with opener.open(f"{served}{path}", body, timeout=30) as answer:
            answer.read()

    post("/login", {"email": "sanne@example.org", "password": PASSWORD})
    post("/people/step/1", {"name": "Zwaantje Geheim", "phone": "06 9876 5432"})
    with app.app_context():
        [person_id] = db.session.scalars(select(SupportPerson.id))
    for path in (f"/people/{person_id}", "/people"):
        with opener.open(f"{served}{path}", timeout=30) as answer:
            assert "Zwaantje" in answer.read().decode()
    post(f"/people/{person_id}", {"name": "Zwaantje Geheim", "phone": "06 9876 5432", "ring": "1"})
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any(f"/people/{person_id}" in line for line in lines), lines
    for secret in ("Zwaantje", "Geheim", "9876", "0698765432"):
        assert secret not in caplog.text
