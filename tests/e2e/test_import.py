"""Importing a diary on a phone, in Dutch (issue 19): the app's own export as Dutch Excel saves
it (semicolons, d-m-yyyy, Windows-1252) is checked, the answer opens in view, and the days are
imported. Screenshots land in <--output>/screenshots/ (import-preview-nl, import-errors-nl).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from journal.domain.diary_csv import write_diary
from journal.extensions import db
from journal.models import CheckinRow, User
from tests.domain.test_diary_csv import VALID_RECORD, as_dutch_excel_saves
from tests.e2e.helpers import LiveServer, assert_axe_clean, log_in, seed_person, today_of

pytestmark = pytest.mark.e2e

EMAIL = "import@example.org"
PASSWORD = "een dagboek uit excel, rustig aan"


def in_view(page: Page, selector: str) -> bool:
    """Whether the element's top edge lies inside the viewport, as the page is scrolled now."""
    return bool(
        page.eval_on_selector(
            selector,
            "el => { const r = el.getBoundingClientRect();"
            " return r.top >= 0 && r.top < window.innerHeight && r.height > 0; }",
        )
    )


def check_file(page: Page, data: bytes) -> None:
    """Choose the file and tap "Bestand controleren", as a person would."""
    page.goto("/account")
    page.locator("#f-file").set_input_files(
        files=[{"name": "hersteldagboek.csv", "mimeType": "text/csv", "buffer": data}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Bestand controleren").tap()


def test_an_export_resaved_by_dutch_excel_imports_with_the_answer_in_view(
    page: Page, live_server: LiveServer, screenshot_dir: Path
) -> None:
    seed_person(live_server, EMAIL, PASSWORD, [])
    page.goto("/login")
    log_in(page, EMAIL, PASSWORD)

    today = today_of(live_server)
    records = [
        replace(VALID_RECORD, date=today - timedelta(days=n), note="Café, daarna moe")
        for n in (3, 2, 1)
    ]
    excel = as_dutch_excel_saves(write_diary(records))
    first = today - timedelta(days=3)
    assert f"\r\n{first.day}-{first.month}-{first.year};".encode() in excel
    assert b";Caf\xe9, daarna moe;" in excel  # Windows-1252, not UTF-8

    # A file with a mistake first: the refusal is what the page opens on.
    check_file(page, excel.replace(b";Caf\xe9", b";=SUM(A1);x", 1))
    assert page.url.endswith("/account/import#import")
    result = page.locator("#import")
    expect(result).to_contain_text("Er is niets geïmporteerd.")
    expect(result).to_contain_text("Regel 2 heeft 29 kolommen")
    expect(result.get_by_role("link", name="Voorbeeldbestand downloaden")).to_be_visible()
    page.screenshot(path=screenshot_dir / "import-errors-nl.png")
    assert in_view(page, "#import")

    check_file(page, excel)
    assert page.url.endswith("/account/import#import")
    expect(result).to_contain_text("Dit bestand bevat 3 nieuwe dagen")
    assert in_view(page, "#import")
    assert in_view(page, "#import button")
    # The browser moved focus to the answer, so a screen reader starts reading there.
    assert page.evaluate("document.activeElement && document.activeElement.id") == "import"
    page.screenshot(path=screenshot_dir / "import-preview-nl.png")
    assert_axe_clean(page)

    result.get_by_role("button", name="Deze dagen importeren").tap()
    expect(page.get_by_text("3 dagen geïmporteerd.")).to_be_visible()
    with live_server.app.app_context():
        user = db.session.query(User).filter_by(email=EMAIL).one()
        notes = [
            row.note
            for row in db.session.query(CheckinRow)
            .filter_by(user_id=user.id)
            .order_by(CheckinRow.date)
        ]
    assert notes == ["Café, daarna moe"] * 3
