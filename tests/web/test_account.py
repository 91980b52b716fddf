"""Account: settings, deleting everything, downloading everything, importing a diary CSV."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from journal.extensions import db
from journal.models import CheckinRow, User
from tests.conftest import FROZEN_NOW, PASSWORD, Accounts
from tests.payloads import day


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _checkin_on(client: FlaskClient, app: Flask, days_ago: int, **changes: str) -> None:
    app.config["FIXED_NOW"] = FROZEN_NOW - timedelta(days=days_ago)
    assert client.post("/checkin", data=day(**changes)).status_code == 302
    app.config["FIXED_NOW"] = FROZEN_NOW


def test_settings(client: FlaskClient, app: Flask, logged_in: int) -> None:
    response = client.post("/account/settings", data={"language": "en", "timezone": "Europe/London"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, logged_in)
        assert user is not None and (user.language, user.timezone) == ("en", "Europe/London")
    refused = client.post("/account/settings", data={"language": "fr", "timezone": "Nowhere"})
    assert refused.status_code == 422
    assert 'id="err-timezone"' in refused.get_data(as_text=True)


def test_delete_account_removes_every_row(client: FlaskClient, app: Flask, accounts: Accounts) -> None:
    accounts.create("other@example.org")
    accounts.create()
    accounts.login()
    _checkin_on(client, app, 1)
    _checkin_on(client, app, 0)
    wrong = client.post("/account/delete", data={"delete_password": "not it"})
    assert wrong.status_code == 422
    assert _count(app, CheckinRow) == 2
    assert client.post("/account/delete", data={"delete_password": PASSWORD}).status_code == 302
    assert _count(app, CheckinRow) == 0
    assert _count(app, User) == 1  # only the other person is left
    assert client.get("/history").status_code == 302
    assert accounts.login().status_code == 401


def test_download_all_my_data(client: FlaskClient, app: Flask, logged_in: int) -> None:
    _checkin_on(client, app, 0, note="een, notitie")
    response = client.get("/account/data.zip")
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["diary.csv", "settings.json", "weekly_reflections.json"]
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
    assert "Regel 2, sol_min" in page or "Line 2, sol_min" in page
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


def test_import_refuses_future_dates_and_non_utf8(client: FlaskClient, app: Flask, logged_in: int) -> None:
    _checkin_on(client, app, 0)
    exported = client.get("/account/export.csv").data.decode()
    future = exported.replace("2026-03-10", "2026-03-12")
    assert client.post("/account/import", data={"csv_text": future}).status_code == 422
    latin = client.post(
        "/account/import",
        data={"file": (io.BytesIO("é".encode("latin-1")), "x.csv")},
        content_type="multipart/form-data",
    )
    assert latin.status_code == 422
    assert client.post("/account/import", data={}).status_code == 422
