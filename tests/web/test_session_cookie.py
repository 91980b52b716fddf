"""The session cookie: its compact payload, old cookies still opening, the signer built once."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest
from flask import Flask, session
from flask import request as flask_request
from flask.sessions import SecureCookieSessionInterface
from flask.testing import FlaskClient
from flask_login import current_user
from itsdangerous import Signer
from markupsafe import Markup

from journal.models import SignedIn
from journal.web.session_cookie import CachedKeySigner, CompactJSON, SessionCookie
from tests.conftest import FROZEN_NOW
from tests.payloads import day

SERIALIZER = CompactJSON()


@pytest.mark.parametrize(
    ("value", "back"),
    [
        ({"_user_id": "7:token", "_fresh": True, "csrf_token": "ab12"}, None),
        ({"n": 3, "x": 1.5, "none": None, "nested": {"a": [1, "b"]}}, None),
        ({"text": "Slaap is één ding"}, None),
        # JSON has no tuple: a flash's (category, message) comes back as a list.
        ({"_flashes": [("message", "Opgeslagen.")]}, {"_flashes": [["message", "Opgeslagen."]]}),
        # What JSON lacks keeps Flask's tag, so it comes back as it went in.
        ({"raw": b"\x00\x01"}, None),
        ({"when": datetime(2026, 3, 10, 7, 30, tzinfo=UTC)}, None),
        ({"html": Markup("<b>hi</b>")}, None),
        ({"id": uuid.UUID(int=5)}, None),
    ],
)
def test_payload_round_trip(value: dict[str, Any], back: dict[str, Any] | None) -> None:
    assert SERIALIZER.loads(SERIALIZER.dumps(value)) == (value if back is None else back)


def test_payload_is_compact_json() -> None:
    assert SERIALIZER.dumps({"a": "b", "n": [1, 2]}) == '{"a":"b","n":[1,2]}'


def test_a_value_with_no_json_form_is_refused() -> None:
    with pytest.raises((TypeError, ValueError)):
        SERIALIZER.dumps({"thing": object()})


def test_flasks_own_tagged_payload_still_reads() -> None:
    flask_payload = SecureCookieSessionInterface.serializer.dumps(
        {"_flashes": [("message", "Saved.")], "when": datetime(2026, 3, 10, tzinfo=UTC)}
    )
    assert SERIALIZER.loads(flask_payload) == {
        "_flashes": [("message", "Saved.")],
        "when": datetime(2026, 3, 10, tzinfo=UTC),
    }


def _cookie(app: Flask, interface: SecureCookieSessionInterface, data: dict[str, Any]) -> str:
    signer = interface.get_signing_serializer(app)
    assert signer is not None
    return str(signer.dumps(data))


def _session_of(app: Flask, cookie: str, name: str = "session") -> dict[str, Any]:
    request = app.request_class({"HTTP_COOKIE": f"{name}={cookie}", "REQUEST_METHOD": "GET"})
    opened = app.session_interface.open_session(app, request)
    assert opened is not None
    return dict(opened)


def test_cookie_from_flasks_interface_opens(app: Flask) -> None:
    data = {"language": "en", "_flashes": [("message", "Saved.")]}
    cookie = _cookie(app, SecureCookieSessionInterface(), data)
    assert _session_of(app, cookie) == data


def test_compressed_cookie_from_flasks_interface_opens(app: Flask) -> None:
    data = {"_flashes": [("message", "Opgeslagen. " * 20)]}
    cookie = _cookie(app, SecureCookieSessionInterface(), data)
    assert cookie.startswith(".")  # zlib-compressed by itsdangerous
    assert _session_of(app, cookie) == data


def test_our_cookie_is_uncompressed_and_opens_with_flasks_interface(app: Flask) -> None:
    data = {"_user_id": "7:token", "_flashes": [["message", "Opgeslagen. " * 20]]}
    cookie = _cookie(app, app.session_interface, data)
    assert not cookie.startswith(".")
    flask_signer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert flask_signer is not None
    assert flask_signer.loads(cookie) == data  # the same HMAC over the same derived key


def test_a_tampered_cookie_opens_as_an_empty_session(app: Flask) -> None:
    cookie = _cookie(app, app.session_interface, {"_user_id": "7:token"})
    payload, _, rest = cookie.partition(".")
    forged = _cookie(app, app.session_interface, {"_user_id": "8:token"}).partition(".")[0]
    assert _session_of(app, f"{forged}.{rest}") == {}
    assert _session_of(app, f"{payload}.{rest}") == {"_user_id": "7:token"}


def _masked(response: Any, name: str) -> list[str]:
    return [
        re.sub(rf"^{name}=[^;]*", f"{name}=…", h) for h in response.headers.getlist("Set-Cookie")
    ]


def _saved(app: Flask, save: Any, data: dict[str, Any], vary: str | None, permanent: bool) -> Any:
    with app.test_request_context():
        opened = app.session_interface.open_session(app, flask_request)
        assert opened is not None
        opened.update(data)
        if permanent:
            opened.permanent = True
        if not data:
            opened.modified = True  # emptied: the cookie is deleted
        response = app.response_class("x")
        if vary:
            response.headers["Vary"] = vary
        save(app, opened, response)
        return response


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_SAMESITE": "Strict"},
        {"SESSION_COOKIE_DOMAIN": "example.org", "SESSION_COOKIE_PATH": "/app"},
        {"SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_PARTITIONED": True},
        {"SESSION_COOKIE_HTTPONLY": False, "SESSION_COOKIE_NAME": "dagboek"},
    ],
)
@pytest.mark.parametrize("vary", [None, "Accept-Language"])
@pytest.mark.parametrize(
    ("data", "permanent"),
    [
        ({"_user_id": "7:token"}, False),
        ({"_user_id": "7:token"}, True),  # the cookie gets an expiry date
        ({}, False),  # emptied: the cookie is deleted
    ],
)
def test_cookie_headers_are_flasks(
    app: Flask,
    config: dict[str, Any],
    vary: str | None,
    data: dict[str, Any],
    permanent: bool,
) -> None:
    app.config.update(config)
    interface = app.session_interface
    assert isinstance(interface, SessionCookie)
    ours = _saved(app, interface.save_session, data, vary, permanent)
    flasks = _saved(
        app, partial(SecureCookieSessionInterface.save_session, interface), data, vary, permanent
    )
    name = app.config["SESSION_COOKIE_NAME"]
    assert _masked(ours, name) == _masked(flasks, name)  # the values differ by their time
    assert ours.vary == flasks.vary
    for header in ours.headers.getlist("Set-Cookie"):
        value = header.partition(";")[0].partition("=")[2]
        if value:
            assert _session_of(app, value, name) == (
                {**data, "_permanent": True} if permanent else data
            )


def test_a_session_only_read_is_saved_as_flask_saves_it(app: Flask) -> None:
    interface = app.session_interface
    assert isinstance(interface, SessionCookie)
    responses = []
    for save in (
        interface.save_session,
        partial(SecureCookieSessionInterface.save_session, interface),
    ):
        with app.test_request_context():
            opened = interface.session_class({"_user_id": "7:token"})
            assert opened["_user_id"] == "7:token"  # read, not changed
            response = app.response_class("x")
            save(app, opened, response)
            responses.append(response)
    ours, flasks = responses
    assert ours.headers.getlist("Set-Cookie") == flasks.headers.getlist("Set-Cookie") == []
    assert ours.headers.getlist("Vary") == flasks.headers.getlist("Vary")


def test_derived_key_is_itsdangerous_own() -> None:
    kwargs = {"salt": b"cookie-session", "key_derivation": "hmac", "digest_method": hashlib.sha1}
    ours = CachedKeySigner("s3cret", **kwargs)  # type: ignore[arg-type]
    assert ours.derive_key() == Signer("s3cret", **kwargs).derive_key()  # type: ignore[arg-type]
    assert ours.derive_key("other") == Signer("other", **kwargs).derive_key()  # type: ignore[arg-type]


def test_signer_is_built_once_per_secret(app: Flask) -> None:
    interface = app.session_interface
    assert isinstance(interface, SessionCookie)
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    old_cookie = _cookie(app, interface, {"language": "en"})

    app.secret_key = "a new secret"
    assert interface.get_signing_serializer(app) is not first
    assert _session_of(app, old_cookie) == {}  # signed with the old secret: not trusted

    app.config["SECRET_KEY_FALLBACKS"] = ["test-secret"]
    assert _session_of(app, old_cookie) == {"language": "en"}  # rotated keys still read


def test_no_secret_no_session() -> None:
    app = Flask(__name__)
    assert SessionCookie().get_signing_serializer(app) is None


def test_flash_survives_the_redirect(client: FlaskClient, logged_in: int) -> None:
    client.post("/checkin", data=day())
    response = client.post(f"/checkin/{FROZEN_NOW.date()}/delete", follow_redirects=True)
    assert '<p class="flash" role="status">De check-in is verwijderd.</p>' in response.get_data(
        as_text=True
    )


def test_signed_in_request_reads_a_snapshot(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    with client:
        client.get("/history")
        assert isinstance(current_user._get_current_object(), SignedIn)
        assert current_user.id == logged_in
        assert current_user.email == "sanne@example.org"
        assert current_user.language == "nl"
        assert current_user.timezone == "Europe/Amsterdam"
        assert current_user.get_id() == session["_user_id"]
