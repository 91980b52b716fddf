"""What the app factory puts on every response."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from journal import SECURITY_HEADERS


@pytest.mark.parametrize("path", ["/login", "/safety", "/static/style.css", "/no-such-page"])
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    for name, value in SECURITY_HEADERS.items():
        assert headers.getlist(name) == [value]


def test_a_views_own_header_wins(app: Flask) -> None:
    @app.get("/own-policy")
    def own_policy() -> tuple[str, dict[str, str]]:
        return "", {"referrer-policy": "no-referrer"}

    headers = app.test_client().get("/own-policy").headers
    assert headers.getlist("Referrer-Policy") == ["no-referrer"]
    assert headers["X-Frame-Options"] == "DENY"
