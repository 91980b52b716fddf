"""Issue 19 in the browser: a day that has not come yet is a 404 page in Dutch, in the app's
layout on a phone, with the way home; no file the page asks for is missing (the favicon)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect

from tests.e2e.helpers import LiveServer, assert_axe_clean, log_in, seed_person, today_of

pytestmark = pytest.mark.e2e

PASSWORD = "rustig aan, stap voor stap"


def test_a_future_day_is_a_dutch_404_page_with_the_way_home(
    page: Page, live_server: LiveServer, screenshot_dir: Path
) -> None:
    email = f"errors-{uuid.uuid4().hex[:10]}@example.org"
    seed_person(live_server, email, PASSWORD, [])
    page.goto("/login")
    log_in(page, email, PASSWORD)
    failed: list[str] = []

    def note(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            failed.append(f"{response.status} {response.url}")

    page.on("response", note)
    future = today_of(live_server) + timedelta(days=30)
    answer = page.goto(f"/checkin/{future.isoformat()}")
    assert answer is not None and answer.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("h1")).to_have_text("Deze pagina bestaat niet")
    expect(page.locator("header nav")).to_be_visible()  # still the app, still signed in
    home = page.get_by_role("link", name="Terug naar het begin")
    expect(home).to_be_visible()
    assert_axe_clean(page)
    page.screenshot(path=str(screenshot_dir / "error-404-nl-390.png"), full_page=True)
    favicon = page.request.get("/favicon.ico")
    assert favicon.status == 200
    home.tap()
    expect(page).to_have_url(f"{live_server.url}/")
    assert failed == []
