"""Importing a diary CSV (issue 19): messages in the person's words, the result in view, the
app's own export after a spreadsheet saved it again, and an example file."""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Mapping

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from werkzeug.test import TestResponse

from journal.domain.diary_csv import HEADER, read_diary
from journal.extensions import db
from journal.models import CheckinRow
from journal.web.checkin_form import FIELDS
from tests.conftest import checkin_count, set_english
from tests.domain.test_diary_csv import as_dutch_excel_saves, diary, row
from tests.web.test_account import _checkin_on


def page_text(response: TestResponse) -> str:
    """The response's HTML with entities undone, so a test reads what the person reads."""
    return html.unescape(response.get_data(as_text=True))


def question(app: Flask, name: str, language: str) -> str:
    """A question's words as the check-in form shows them in that language."""
    with app.test_request_context(), force_locale(language):
        return str(FIELDS[name].question)


def post_file(client: FlaskClient, data: bytes, **form: str) -> TestResponse:
    return client.post(
        "/account/import",
        data={"file": (io.BytesIO(data), "dagboek.csv"), **form},
        content_type="multipart/form-data",
    )


# --- the messages ---------------------------------------------------------------------------

SOL_TWINTIG = diary(row(), row(date="2026-03-03", sol_min="twintig"))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Regel 3, ‘{question}’ (kolom sol_min): Vul een heel getal in."),
        ("en", "Line 3, ‘{question}’ (column sol_min): Please enter a whole number."),
    ],
)
def test_a_bad_cell_is_named_by_its_question(
    client: FlaskClient, app: Flask, logged_in: int, language: str, expected: str
) -> None:
    client.post("/language", data={"language": language})
    response = client.post("/account/import", data={"csv_text": SOL_TWINTIG})
    assert response.status_code == 422
    text = page_text(response)
    assert expected.format(question=question(app, "sol_min", language)) in text
    assert ", sol_min:" not in text


ENGLISH_MESSAGES: Mapping[str, tuple[str, str]] = {
    "renamed-column": (
        diary(row(), header=[*HEADER[:-1], "imported"]),
        "Line 1 does not have the columns of a Hersteldagboek file: the column backfilled is "
        "missing; we do not know the column imported.",
    ),
    "two-columns-missing": (
        diary(row()[2:], header=HEADER[2:]),
        "Line 1 does not have the columns of a Hersteldagboek file: the columns date and "
        "lights_out_time are missing.",
    ),
    "columns-swapped": (
        diary(row(), header=[HEADER[1], HEADER[0], *HEADER[2:]]),
        "Line 1 does not have the columns of a Hersteldagboek file: the columns are in another "
        "order than in the example file.",
    ),
    "cell-missing": (
        diary(row()[:-1]),
        "Line 2 has 27 columns; a Hersteldagboek file has 28.",
    ),
    "broken-quote": (
        diary(row()) + '2026-03-03,"23:00\nno end\n',
        "Line 3 cannot be read: a quotation mark in it is not closed, or text follows a "
        "closing one.",
    ),
    "date": (
        diary(row(date="3/2/2026")),
        "Line 2, the date: Please write the date as 2026-03-02 or 2-3-2026.",
    ),
    "backfilled": (
        diary(row(backfilled="ja")),
        "Line 2, whether the day was filled in afterwards (column backfilled): Please write "
        "true or false here.",
    ),
    "other-app": (
        "Datum,Slaap,Energie\n2-3-2026,7,5\n",
        "This is not a Hersteldagboek file: its first line has none of the diary's columns.",
    ),
}


@pytest.mark.parametrize("case", list(ENGLISH_MESSAGES))
def test_file_problems_are_plain_sentences(
    client: FlaskClient, app: Flask, logged_in: int, case: str
) -> None:
    set_english(app, logged_in)
    text, expected = ENGLISH_MESSAGES[case]
    response = post_file(client, text.encode())
    assert response.status_code == 422
    page = page_text(response)
    assert expected in page
    # The ids the reader uses for a whole line or the header never reach the person.
    assert not re.search(r", (row|header|file):", page)
    # Every refusal says what is read and links to the example.
    assert "separated by commas or semicolons" in page
    assert 'href="/account/import/example.csv"' in page
    assert checkin_count(app) == 0


def test_the_dutch_header_sentence(client: FlaskClient, logged_in: int) -> None:
    response = post_file(client, diary(row(), header=[*HEADER[:-1], "imported"]).encode())
    assert (
        "Regel 1 heeft niet de kolommen van een Hersteldagboek-bestand: de kolom backfilled "
        "ontbreekt; de kolom imported kennen we niet." in page_text(response)
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            "Dit bestand kunnen we niet lezen. Kies het CSV-bestand dat je uit Hersteldagboek "
            "hebt gedownload, of sla je spreadsheet op als CSV.",
        ),
        (
            "en",
            "We cannot read this file. Choose the CSV file you downloaded from Hersteldagboek, "
            "or save your spreadsheet as CSV.",
        ),
    ],
)
def test_a_file_that_is_no_text_is_explained_without_jargon(
    client: FlaskClient, app: Flask, logged_in: int, language: str, expected: str
) -> None:
    client.post("/language", data={"language": language})
    xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x81\x8d"
    response = post_file(client, xlsx, confirm="1")
    assert response.status_code == 422
    page = page_text(response)
    assert expected in page
    assert "UTF-8" not in page
    assert checkin_count(app) == 0


# --- the result in view ---------------------------------------------------------------------


def _result_block(page: str) -> str:
    """The element the import form's anchor points at, up to the end of the section."""
    match = re.search(r'<div id="import" tabindex="-1"[^>]*>(.*?)</section>', page, re.S)
    assert match is not None, "no result block with id=import"
    return match.group(1)


def test_the_import_forms_point_at_their_result(client: FlaskClient, app: Flask, logged_in: int) -> None:
    set_english(app, logged_in)
    page = client.get("/account").get_data(as_text=True)
    assert 'action="/account/import#import"' in page
    assert 'id="import"' not in page  # nothing to point at before a file is checked

    refused = page_text(client.post("/account/import", data={"csv_text": SOL_TWINTIG}))
    assert "Nothing was imported." in _result_block(refused)
    assert "(column sol_min)" in _result_block(refused)

    _checkin_on(client, app, 0)
    exported = client.get("/account/export.csv").data.replace(b"2026-03-10", b"2026-03-09")
    preview = page_text(post_file(client, exported))
    block = _result_block(preview)
    assert "This file holds 1 new day" in block
    # The confirm button posts to the anchor too: a refusal then is in view as well.
    assert 'action="/account/import#import"' in block


# --- a spreadsheet's copy of the export ---------------------------------------------------


def test_the_export_resaved_by_dutch_excel_imports(client: FlaskClient, app: Flask, logged_in: int) -> None:
    _checkin_on(client, app, 1, note="Café, daarna moe", context_tags=["alcohol", "illness"])
    _checkin_on(client, app, 0, rest_minutes="0", rest_types=[], rest_recharged="")
    exported = client.get("/account/export.csv").data
    resaved = as_dutch_excel_saves(exported.decode())
    assert b";Caf\xe9, daarna moe;" in resaved  # Windows-1252, semicolons
    assert b"\r\n9-3-2026;" in resaved  # d-m-yyyy
    with app.app_context():
        db.session.execute(CheckinRow.__table__.delete())
        db.session.commit()

    preview = post_file(client, resaved)
    assert preview.status_code == 200
    encoded = re.search(r'name="csv_base64" value="([^"]+)"', preview.get_data(as_text=True))
    assert encoded is not None
    assert base64.b64decode(encoded.group(1)) == resaved  # confirmed as it was checked
    confirmed = client.post("/account/import", data={"confirm": "1", "csv_base64": encoded.group(1)})
    assert confirmed.status_code == 302
    assert client.get("/account/export.csv").data == exported


# --- the example file -----------------------------------------------------------------------


def test_the_example_file_downloads_and_imports_cleanly(
    client: FlaskClient, app: Flask, logged_in: int
) -> None:
    set_english(app, logged_in)
    assert 'href="/account/import/example.csv"' in client.get("/account").get_data(as_text=True)
    response = client.get("/account/import/example.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith((",".join(HEADER) + "\n").encode())  # G.1: comma, no BOM
    result = read_diary(body.decode("utf-8"))
    assert result.errors == []
    assert len(result.records) == 3

    preview = page_text(post_file(client, body))
    assert "This file holds 3 new days" in preview
    assert post_file(client, body, confirm="1").status_code == 302
    assert checkin_count(app) == 3
    # What was imported exports as the example itself: it is G.1, byte for byte.
    assert client.get("/account/export.csv").data == body


def test_the_example_file_needs_an_account(app: Flask) -> None:
    response = app.test_client().get("/account/import/example.csv")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
