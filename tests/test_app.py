"""What the app factory puts on every response."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from journal import SECURITY_HEADERS, create_app


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


HSTS = "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("path", ["/login", "/static/style.css", "/no-such-page"])
def test_hsts_whenever_cookies_are_secure(app: Flask, path: str) -> None:
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get(path).headers  # tests run on http
    app.config["SESSION_COOKIE_SECURE"] = True
    assert client.get(path).headers.getlist("Strict-Transport-Security") == [HSTS]


def test_cookies_are_secure_unless_debugging(tmp_path: Path) -> None:
    production = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/a.sqlite3", "SECRET_KEY": "s"})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    headers = production.test_client().get("/static/style.css").headers
    assert headers["Strict-Transport-Security"] == HSTS


def test_permissions_policy_grants_nothing(client: FlaskClient) -> None:
    policy = client.get("/login").headers["Permissions-Policy"]
    features = dict(part.strip().split("=") for part in policy.split(","))
    assert set(features.values()) == {"()"}  # no feature for anyone, not even this origin
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert feature in features


@pytest.mark.parametrize(
    ("hops", "forwarded", "seen"),
    [
        (0, "203.0.113.9", "127.0.0.1"),  # no proxy configured: a client's header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        # One proxy: it appends the address it saw; whatever the client sent before stays out.
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),
    ],
)
def test_client_address_behind_the_configured_proxies(
    tmp_path: Path, hops: int, forwarded: str, seen: str
) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'j.sqlite3'}",
            "PROXY_HOPS": hops,
        }
    )

    @app.get("/address")
    def address() -> str:
        from flask import request

        return request.remote_addr or ""

    reply = app.test_client().get(
        "/address",
        headers={"X-Forwarded-For": forwarded},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert reply.get_data(as_text=True) == seen
