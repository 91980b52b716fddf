"""Every file a page asks for exists: the favicon browsers fetch by themselves (issue 19), and
each stylesheet, script, icon and image named in the HTML of every page."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Accounts, store_diary
from tests.web.sharing import diary

# Addresses in the attributes that make the browser fetch (anchors and forms do not).
FETCHED = re.compile(r'<(?:link|script|img|source)\b[^>]*?\b(?:href|src)="(/[^"]*)"')
ICON = b"\x00\x00\x01\x00"  # the ICO header: reserved 0, type 1 (icon)


def test_the_favicon_is_served_and_kept_long(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data.startswith(ICON)
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    max_age = int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"])[1])  # type: ignore[index]
    assert max_age >= timedelta(days=7).total_seconds()


def test_the_layout_names_the_favicon(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in page


def _pages(app: Flask) -> list[str]:
    """Every address without parameters that answers GET, the way a person would open it."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and not rule.arguments and rule.endpoint != "static"
    )


def _assets_of(client: FlaskClient, addresses: list[str]) -> dict[str, str]:
    """Each fetched address, with a page that names it."""
    found: dict[str, str] = {}
    for address in addresses:
        response = client.get(address)
        if response.mimetype != "text/html":
            continue
        for asset in FETCHED.findall(response.get_data(as_text=True)):
            found.setdefault(asset, address)
    return found


def test_no_page_names_a_missing_file(app: Flask, accounts: Accounts) -> None:
    anonymous = _assets_of(app.test_client(), [*_pages(app), "/no-such-page"])
    user_id = accounts.create()
    store_diary(app, user_id, diary())
    assert accounts.login().status_code == 302
    signed_in = _assets_of(accounts.client, [*_pages(app), "/checkin/2026-03-09", "/no-such-page"])
    assets = {**anonymous, **signed_in}
    assert "/favicon.ico" in assets and "/static/style.css" in assets
    for asset, page in assets.items():
        response = accounts.client.get(asset, follow_redirects=True)
        assert response.status_code == 200, f"{page} names {asset}: {response.status_code}"
