"""Account: settings, deleting everything, downloading everything, importing a diary CSV."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from journal.extensions import db
from journal.models import (
    CheckinRow,
    CoachConnection,
    CoachProfile,
    ConnectionNote,
    ConnectionView,
    ReminderDelivery,
    SupportPerson,
    User,
)
from tests.conftest import FROZEN_NOW, PASSWORD, Accounts, checkin_rows, set_english
from tests.payloads import day
from tests.reminders.keys import subscriber_keys
from tests.web.coach_clients import set_up_factor


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _checkin_on(client: FlaskClient, app: Flask, days_ago: int, **changes: str) -> None:
    app.config["FIXED_NOW"] = FROZEN_NOW - timedelta(days=days_ago)
    assert client.post("/checkin", data=day(**changes)).status_code == 302
    app.config["FIXED_NOW"] = FROZEN_NOW


def _language_and_zone(app: Flask, user_id: int) -> tuple[str, str]:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        return user.language, user.timezone


def test_settings(client: FlaskClient, app: Flask, logged_in: int) -> None:
    # A language that is not offered is refused on its own, even with a good time zone.
    wrong_language = client.post("/account/settings", data={"language": "fr", "timezone": "Europe/London"})
    assert wrong_language.status_code == 422
    html = wrong_language.get_data(as_text=True)
    assert '<p class="error" id="err-language">Kies een van de mogelijkheden.</p>' in html
    assert 'id="err-timezone"' not in html
    assert _language_and_zone(app, logged_in) == ("nl", "Europe/Amsterdam")  # nothing stored
    response = client.post("/account/settings", data={"language": "en", "timezone": "Europe/London"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, logged_in)
        assert user is not None and (user.language, user.timezone) == ("en", "Europe/London")
    refused = client.post("/account/settings", data={"language": "fr", "timezone": "Nowhere"})
    assert refused.status_code == 422
    assert 'id="err-timezone"' in refused.get_data(as_text=True)
    refused_html = refused.get_data(as_text=True)
    assert '<p class="error" id="err-language">Please choose one of the options.</p>' in refused_html
    assert (
        '<p class="error" id="err-timezone">Please choose a time zone from the list.</p>'
        in refused_html
    )
    assert _language_and_zone(app, logged_in) == ("en", "Europe/London")  # nothing stored


def _rows_per_table(app: Flask) -> dict[str, int]:
    with app.app_context():
        db.session.remove()
        return {
            table.name: int(db.session.scalar(select(func.count()).select_from(table)) or 0)
            for table in db.metadata.sorted_tables
        }


# Tables that hold nothing of a person: the daily evaluation runs are kept per time zone.
NOT_A_PERSONS_TABLES = {"evaluation_runs"}


def _fill_every_table_of_a_person(client: FlaskClient, app: Flask, user_id: int) -> None:
    """Through the app wherever it can: flag states, reminders, a device, a weekly note, a
    dismissed signpost, a share link with a note that a coach has opened."""
    assert client.get("/").status_code == 200  # evaluates and stores the flag states
    reminders = {
        "enabled": "on",
        "remind_at": "20:15",
        "weekdays": ["0", "2", "4"],
        "push": "on",
        "only_if_not_checked_in": "on",
        "paused_until": "",
    }
    assert client.post("/settings", data=reminders).status_code == 302
    _, p256dh, auth = subscriber_keys()  # a point on the curve, as the route now checks
    # A public address, not a name: the route would look a name up in DNS.
    device = {"endpoint": "https://93.184.215.14/delete-me", "keys": {"p256dh": p256dh, "auth": auth}}
    assert client.post("/settings/push/subscribe", json=device).status_code == 200
    reflection = client.post("/week/2026-W11/reflection", data={"text": "Rustig aan."})
    assert reflection.status_code == 302
    dismissed = client.post("/patterns/dismiss", data={"flag": "SIGNPOST_DOCTOR"})
    assert dismissed.status_code == 302
    # Issue 22: a phase, its watch list and week-page choice, and a "wat speelt er?" answer.
    assert client.post("/phase", data={"phase": "holding"}).status_code == 302
    assert (
        client.post("/phase/watch", data={"watch_list": "Ik sla mijn wandeling over"}).status_code
        == 302
    )
    assert (
        client.post(
            "/reflect", data={"text_context": "Veel op het werk", "share_context": "1"}
        ).status_code
        == 302
    )
    # Issue 21: someone on the map (the person's row and the map's), noted on today's check-in.
    assert client.post("/people/step/1", data={"name": "Anna", "phone": "06 1234 5678"}).status_code == 302
    with app.app_context():
        anna = db.session.scalar(select(SupportPerson.id).where(SupportPerson.user_id == user_id))
    assert client.post("/people/step/2", data={f"ring-{anna}": "1"}).status_code == 302
    today = FROZEN_NOW.date().isoformat()
    assert client.post(f"/people/with-whom/{today}", data={"with_whom": str(anna)}).status_code == 302
    with app.app_context():
        noted = db.session.scalar(
            select(CheckinRow.id).where(CheckinRow.user_id == user_id, CheckinRow.note.is_not(None))
        )
    assert noted is not None
    link = client.post(
        "/share",
        data={"label": "coach", "weeks": "4", "expiry": "30", "include_notes": "1", "notes": [str(noted)]},
    )
    assert link.status_code == 201
    token = re.search(r'value="http://localhost/s/([A-Za-z0-9_-]+)"', link.get_data(as_text=True))
    assert token is not None
    assert app.test_client().get(f"/s/{token.group(1)}").status_code == 200  # a view
    # A mailed link to set a new password (issue 19), asked for from another device.
    asked = app.test_client().post("/password/forgot", data={"email": "sanne@example.org"}, follow_redirects=True)
    assert asked.status_code == 200
    # Two-step verification and its recovery codes (issue 20).
    set_up_factor(client, "/account/security")
    # A connection with a coach (issue 20), with a shared note and a coach's view: straight in
    # the database, with this account on both sides (an account may be a coach too), so the
    # deletion has to take the profile, the connection, its note and its view.
    with app.app_context():
        db.session.add(
            CoachProfile(user_id=user_id, display_name="Sanne", code="SAN-NE1", created_at=FROZEN_NOW)
        )
        connection = CoachConnection(
            person_id=user_id, coach_id=user_id, client_name="Sanne", period="everything",
            starts_on=FROZEN_NOW.date(), include_notes=True, created_at=FROZEN_NOW,
            accepted_at=FROZEN_NOW,
        )
        db.session.add(connection)
        db.session.flush()
        db.session.add(ConnectionNote(connection_id=connection.id, checkin_id=noted))
        db.session.add(ConnectionView(connection_id=connection.id, viewed_at=FROZEN_NOW, kind="page"))
        db.session.commit()
    # Reminders that were sent are written by the scheduler, not by a page.
    with app.app_context():
        db.session.add(
            ReminderDelivery(
                user_id=user_id,
                channel="push",
                local_date=FROZEN_NOW.date(),
                due_at=FROZEN_NOW,
                status="sent",
                sent_at=FROZEN_NOW,
            )
        )
        db.session.commit()


def test_delete_account_removes_every_row(client: FlaskClient, app: Flask, accounts: Accounts) -> None:
    accounts.create("other@example.org")
    me = accounts.create()
    accounts.login()
    _checkin_on(client, app, 1)
    _checkin_on(client, app, 0, note="Vandaag rustig aan gedaan")
    _fill_every_table_of_a_person(client, app, me)
    before = _rows_per_table(app)
    # Every table that belongs to a person holds something of theirs before the deletion.
    assert {name for name, n in before.items() if n == 0} == NOT_A_PERSONS_TABLES
    wrong = client.post("/account/delete", data={"delete_password": "not it"})
    assert wrong.status_code == 422
    assert _count(app, CheckinRow) == 2
    assert _rows_per_table(app) == before  # a wrong password deletes nothing
    assert client.post("/account/delete", data={"delete_password": PASSWORD}).status_code == 302
    assert _count(app, CheckinRow) == 0
    assert _count(app, User) == 1  # only the other person is left
    left = _rows_per_table(app)
    assert {name: n for name, n in left.items() if n} == {"users": 1}, left
    assert client.get("/history").status_code == 302
    assert accounts.login().status_code == 401


def test_download_all_my_data(client: FlaskClient, app: Flask, logged_in: int) -> None:
    _checkin_on(client, app, 0, note="een, notitie")
    response = client.get("/account/data.zip")
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == [
        "coach_connections.json",
        "diary.csv",
        "recovery_phase.json",
        "settings.json",
        "weekly_reflections.json",
    ]
    settings = json.loads(archive.read("settings.json"))
    assert settings["email"] == "sanne@example.org"
    assert settings["timezone"] == "Europe/Amsterdam"
    diary = archive.read("diary.csv").decode()
    assert diary.splitlines()[1].startswith("2026-03-10,23:00,15,10,")
    assert '"een, notitie"' in diary


def test_export_import_round_trip(app: Flask, accounts: Accounts) -> None:
    """One person's export imports into another account and exports byte for byte the same."""
    client = accounts.client
    accounts.create("a@example.org")
    accounts.create("b@example.org")
    accounts.login("a@example.org")
    _checkin_on(client, app, 1, note='zei "ja",\ntoch moe', context_tags=["alcohol", "illness"])
    _checkin_on(client, app, 0, rest_minutes="0", rest_types=[], rest_recharged="")
    exported = client.get("/account/export.csv").data
    accounts.logout()

    accounts.login("b@example.org")
    preview = client.post("/account/import", data={"file": (io.BytesIO(exported), "diary.csv")}, content_type="multipart/form-data")
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert 'name="confirm" value="1"' in page
    assert _count(app, CheckinRow) == 2  # nothing stored before confirming
    encoded = re.search(r'name="csv_base64" value="([^"]+)"', page)
    assert encoded is not None
    confirmed = client.post("/account/import", data={"confirm": "1", "csv_base64": encoded.group(1)})
    assert confirmed.status_code == 302
    assert client.get("/account/export.csv").data == exported


def test_import_with_a_bad_row_imports_nothing(client: FlaskClient, app: Flask, logged_in: int) -> None:
    _checkin_on(client, app, 0)
    good = client.get("/account/export.csv").data.decode()
    header, row = good.splitlines()
    bad_row = row.replace("2026-03-10,23:00,15,", "2026-03-09,23:00,999,")
    text = "\n".join([header, bad_row, row.replace("2026-03-10", "2026-03-08")]) + "\n"
    with app.app_context():
        db.session.execute(CheckinRow.__table__.delete())
        db.session.commit()
    response = client.post("/account/import", data={"confirm": "1", "csv_text": text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # Issue 19: the cell is named by its question, with its column to find it in the file.
    assert "Regel 2, ‘" in page and "’ (kolom sol_min): " in page
    assert _count(app, CheckinRow) == 0


def test_import_keeps_days_already_there(client: FlaskClient, app: Flask, logged_in: int) -> None:
    _checkin_on(client, app, 0, morning_energy="2")
    exported = client.get("/account/export.csv").data.decode()
    changed = exported.replace("2026-03-10", "2026-03-09")
    both = changed + exported.splitlines()[1].replace(",2,", ",9,", 1) + "\n"
    client.post("/language", data={"language": "en"})
    preview = client.post("/account/import", data={"csv_text": both}).get_data(as_text=True)
    assert "This file holds 1 new day" in preview
    assert "1 day is already in your diary and stays as it is." in preview
    client.post("/account/import", data={"confirm": "1", "csv_text": both})
    with app.app_context():
        energies = dict(db.session.execute(select(CheckinRow.date, CheckinRow.morning_energy)).all())
    assert [v for k, v in sorted(energies.items())][-1] == 2  # today's own answer is untouched
    assert len(energies) == 2


def test_import_refuses_future_dates_and_reads_windows_1252(client: FlaskClient, app: Flask, logged_in: int) -> None:
    set_english(app, logged_in)
    _checkin_on(client, app, 0, note="Café met Sam, daarna moe")
    exported = client.get("/account/export.csv").data.decode()
    assert "Café met Sam" in exported
    future = exported.replace("2026-03-10", "2026-03-12")
    assert client.post("/account/import", data={"csv_text": future}).status_code == 422
    future_page = client.post("/account/import", data={"csv_text": future, "confirm": "1"})
    assert future_page.status_code == 422
    assert "Line with date 2026-03-12: this date is in the future." in future_page.get_data(as_text=True)
    assert [row.date.isoformat() for row in checkin_rows(app)] == ["2026-03-10"]
    # The export itself, its day not stored yet, as Excel's plain "CSV" saves it on Windows.
    with app.app_context():
        db.session.execute(CheckinRow.__table__.delete())
        db.session.commit()
    empty = client.post("/account/import", data={})
    assert empty.status_code == 422
    assert '<p class="error" id="err-import">Please choose a CSV file.</p>' in empty.get_data(as_text=True)
    assert _count(app, CheckinRow) == 0
    # Issue 19: bytes that are not UTF-8 are read as Windows-1252 (this was refused before).
    windows = client.post(
        "/account/import",
        data={"file": (io.BytesIO(exported.encode("cp1252")), "x.csv"), "confirm": "1"},
        content_type="multipart/form-data",
    )
    assert windows.status_code == 302
    assert [row.note for row in checkin_rows(app)] == ["Café met Sam, daarna moe"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # Issue 17: a year-1 day was stored, and pages that count days back from it answered 500.
        (("2026-03-10", "0001-01-01"), "Line with date 0001-01-01: this date is too long ago."),
        (("2026-03-10", "1999-12-31"), "Line with date 1999-12-31: this date is too long ago."),
        (("Café met Sam", "Caf\x00 met Sam"), "(column note): This text holds a character that cannot be stored."),
    ],
)
def test_import_refuses_days_out_of_range_and_unstorable_text(
    client: FlaskClient, app: Flask, logged_in: int, change: tuple[str, str], message: str
) -> None:
    set_english(app, logged_in)
    _checkin_on(client, app, 0, note="Café met Sam")
    text = client.get("/account/export.csv").data.decode().replace(*change)
    with app.app_context():
        db.session.execute(CheckinRow.__table__.delete())
        db.session.commit()
    for body in ({"csv_text": text}, {"csv_text": text, "confirm": "1"}):
        response = client.post("/account/import", data=body)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert _count(app, CheckinRow) == 0


def test_import_of_a_file_with_a_lone_surrogate_stores_no_surrogate(client: FlaskClient, app: Flask, logged_in: int) -> None:
    """A lone surrogate cannot be stored; its bytes are not UTF-8, so since issue 19 they are
    read as Windows-1252, which has no surrogates to store."""
    set_english(app, logged_in)
    _checkin_on(client, app, 0, note="Café met Sam")
    text = client.get("/account/export.csv").data.decode().replace("Café", "Caf\ud800")
    with app.app_context():
        db.session.execute(CheckinRow.__table__.delete())
        db.session.commit()
    upload = io.BytesIO(text.encode("utf-8", "surrogatepass"))
    response = client.post(
        "/account/import", data={"file": (upload, "x.csv"), "confirm": "1"}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    assert [row.note for row in checkin_rows(app)] == ["Caf\xed\xa0\u20ac met Sam"]


def test_import_of_base64_with_other_than_ascii_is_refused_kindly(client: FlaskClient, app: Flask, logged_in: int) -> None:
    """Found by tests/web/test_fuzz.py: b64decode raised ValueError (500) for a non-ASCII text."""
    set_english(app, logged_in)
    response = client.post("/account/import", data={"csv_base64": "²", "confirm": "1"})
    assert response.status_code == 422
    assert "Please choose a CSV file." in response.get_data(as_text=True)
    assert _count(app, CheckinRow) == 0
