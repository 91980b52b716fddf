"""The diary downloads (DOMAIN G.1) hand a spreadsheet no formula (issue 17, finding 6)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FROZEN_NOW, Accounts, checkin_rows
from tests.payloads import day

# The notes as typed, one per morning (newest first), and their cells in the file.
NOTES = ("=1+1", "'=x", "@SUM(A1)", "-2 uur geslapen")
CELLS = ("'=1+1", "''=x", "'@SUM(A1)", "'-2 uur geslapen")


def _write_notes(client: FlaskClient, app: Flask) -> None:
    for days_ago, note in enumerate(NOTES):
        app.config["FIXED_NOW"] = FROZEN_NOW - timedelta(days=days_ago)
        assert client.post("/checkin", data=day(note=note)).status_code == 302
    app.config["FIXED_NOW"] = FROZEN_NOW


def _diary_csv(client: FlaskClient, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200
    if path.endswith(".zip"):
        return zipfile.ZipFile(io.BytesIO(response.data)).read("diary.csv")
    return response.get_data()


def _note_cells(text: bytes) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8"), newline="")))
    return [row["note"] for row in rows]


@pytest.mark.parametrize("path", ["/account/export.csv", "/account/data.zip"])
def test_a_note_that_would_start_a_formula_is_neutralised(
    client: FlaskClient, app: Flask, logged_in: int, path: str
) -> None:
    _write_notes(client, app)
    exported = _diary_csv(client, path)
    assert _note_cells(exported) == list(reversed(CELLS))  # the file is in date order
    assert [row.note for row in checkin_rows(app)] == list(reversed(NOTES))  # stored as typed


def test_a_neutralised_export_imports_as_typed_and_exports_the_same(
    app: Flask, accounts: Accounts
) -> None:
    client = accounts.client
    accounts.create("a@example.org")
    second = accounts.create("b@example.org")
    accounts.login("a@example.org")
    _write_notes(client, app)
    exported = _diary_csv(client, "/account/export.csv")
    accounts.logout()

    accounts.login("b@example.org")
    preview = client.post(
        "/account/import",
        data={"file": (io.BytesIO(exported), "diary.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    encoded = re.search(r'name="csv_base64" value="([^"]+)"', preview.get_data(as_text=True))
    assert encoded is not None
    confirmed = client.post("/account/import", data={"confirm": "1", "csv_base64": encoded[1]})
    assert confirmed.status_code == 302
    imported = [row.note for row in checkin_rows(app) if row.user_id == second]
    assert imported == list(reversed(NOTES))
    assert _diary_csv(client, "/account/data.zip") == exported
