"""The outbox API: exactly-once delivery, conflicts, validation, and 401 JSON instead of a login page."""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.serving import make_server

from journal.domain.checkin import parse_checkin
from journal.extensions import db
from journal.models import CheckinRow, FlagState, User
from journal.web import api
from tests.conftest import FROZEN_NOW, PASSWORD, Accounts, checkin_count, checkin_rows
from tests.payloads import day

TODAY = date(2026, 3, 10)  # FROZEN_NOW in Amsterdam
NOW = FROZEN_NOW.isoformat().replace("+00:00", "Z")  # as a browser's toISOString() writes it


def delivery(
    client_id: str | None = None,
    on: date = TODAY,
    made_at: str | None = NOW,
    **changes: str | list[str],
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_id": client_id or str(uuid.uuid4()),
        "date": on.isoformat(),
        "answers": day(**changes),
    }
    if made_at is not None:
        body["made_at"] = made_at
    return body


def send(client: FlaskClient, body: Any, **headers: str) -> Any:
    return client.post("/api/checkins", json=body, headers=headers)


def fetch_session(client: FlaskClient, **headers: str) -> Any:
    return client.get("/api/session", headers=headers)


def test_created_like_the_form(client: FlaskClient, app: Flask, logged_in: int) -> None:
    body = delivery(note="In de trein geschreven")
    response = send(client, body)
    assert response.status_code == 201
    assert response.json == {"status": "created", "client_id": body["client_id"], "date": "2026-03-10"}
    assert response.headers["Cache-Control"] == "no-store"
    [row] = checkin_rows(app)
    assert (row.user_id, row.date, row.client_id, row.backfilled) == (logged_in, TODAY, body["client_id"], False)
    expected = parse_checkin(day(note="In de trein geschreven"), on=TODAY, strict=False).checkin
    assert row.to_domain() == expected
    with app.app_context():  # as after a form save: marked stale, evaluated at the next read
        assert db.session.get(User, logged_in).flags_stale_from == TODAY  # type: ignore[union-attr]
    client.get("/")
    with app.app_context():
        assert db.session.scalar(select(func.count(FlagState.id)).where(FlagState.date == TODAY))


def test_replay_is_recognised_whatever_the_key_order(client: FlaskClient, app: Flask, logged_in: int) -> None:
    body = delivery(context_tags=["alcohol", "illness"])
    assert send(client, body).status_code == 201
    # The same answers, written differently: keys reversed, numbers as numbers, sets reordered.
    answers = dict(reversed(list(body["answers"].items())))
    answers.update(sol_min=15, context_tags=["illness", "alcohol"])
    replay = {"answers": answers, "made_at": NOW, "date": body["date"], "client_id": body["client_id"].upper()}
    response = send(client, replay)
    assert response.status_code == 200
    assert response.json == {"status": "duplicate", "client_id": body["client_id"], "date": "2026-03-10"}
    assert checkin_count(app) == 1


def test_replay_after_the_day_has_passed(client: FlaskClient, app: Flask, logged_in: int) -> None:
    """A retry whose answer got lost is still a duplicate, even when the date is long gone."""
    body = delivery()
    assert send(client, body).status_code == 201
    app.config["FIXED_NOW"] = FROZEN_NOW + timedelta(days=20)
    assert send(client, body).status_code == 200
    assert checkin_count(app) == 1


def test_same_key_other_answers(client: FlaskClient, app: Flask, logged_in: int) -> None:
    body = delivery()
    send(client, body)
    for changed in (delivery(body["client_id"], morning_energy="2"), delivery(body["client_id"], on=TODAY - timedelta(days=1))):
        response = send(client, changed)
        assert response.status_code == 409
        assert response.json["error"] == "conflict"
        assert response.json["reason"] == "client_id_reused"
        assert response.json["date"] == changed["date"]
        assert response.json["message"]
    [row] = checkin_rows(app)
    assert (row.date, row.morning_energy) == (TODAY, 7)


def test_someone_elses_key_reveals_nothing(client: FlaskClient, app: Flask, accounts: Accounts) -> None:
    sanne = accounts.create("sanne@example.org")
    joris = accounts.create("joris@example.org")
    accounts.login("sanne@example.org")
    body = delivery(on=TODAY - timedelta(days=1))
    send(client, body)
    accounts.logout()
    accounts.login("joris@example.org")
    assert send(client, delivery()).status_code == 201  # Joris's own check-in for today
    response = send(client, delivery(body["client_id"]))  # the same key, sent by someone else
    assert response.status_code == 409
    # Only what Joris sent comes back (his date, not Sanne's), worded like any reused key.
    assert response.json["date"] == TODAY.isoformat()
    assert response.json["reason"] == "client_id_reused"
    assert "2026-03-09" not in response.get_data(as_text=True)
    assert [(r.date, r.user_id) for r in checkin_rows(app)] == [(TODAY - timedelta(days=1), sanne), (TODAY, joris)]
    # Sanne's exact body (key, date and answers): still not a retry of Joris's, so never a 200.
    [before, _] = checkin_rows(app)
    response = send(client, body)
    assert response.status_code == 409, response.json
    assert response.json["error"] == "conflict"
    assert response.json["reason"] == "client_id_reused"
    assert response.json["date"] == body["date"]
    assert "duplicate" not in response.get_data(as_text=True)
    [after, mine] = checkin_rows(app)
    assert (after.id, after.user_id, after.date, after.client_id) == (before.id, sanne, before.date, body["client_id"])
    columns = [c.name for c in CheckinRow.__table__.columns]
    assert {c: getattr(after, c) for c in columns} == {c: getattr(before, c) for c in columns}
    assert (mine.user_id, mine.date) == (joris, TODAY)
    assert checkin_count(app) == 2


def test_date_taken_by_a_form_checkin(client: FlaskClient, app: Flask, logged_in: int) -> None:
    assert client.post("/checkin", data=day(morning_energy="4")).status_code == 302
    client.post("/language", data={"language": "en"})
    response = send(client, delivery())
    assert response.status_code == 409
    assert response.json["reason"] == "date_taken"
    assert response.json["date"] == "2026-03-10"
    assert "March 10, 2026" in response.json["message"]
    [row] = checkin_rows(app)
    assert (row.client_id, row.morning_energy) == (None, 4)


@pytest.mark.parametrize(
    ("language", "required", "range_"),
    [
        ("nl", "Wil je deze vraag nog beantwoorden?", "Kies een getal van 0 tot en met 300."),
        ("en", "Please answer this question.", "Please choose a number from 0 to 300."),
    ],
)
def test_field_errors_in_the_persons_language(
    client: FlaskClient, app: Flask, logged_in: int, language: str, required: str, range_: str
) -> None:
    client.post("/language", data={"language": language})
    response = send(client, delivery(morning_energy="", sol_min="301"))
    assert response.status_code == 422
    errors = {"morning_energy": required, "sol_min": range_}
    assert response.json == {"error": "invalid", "errors": errors, "message": f"{range_} {required}"}
    assert checkin_count(app) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"note": "a\x00b"}, "note"),  # PostgreSQL cannot store it: must be a 422, not a 500
        ({"note": "x" * 501}, "note"),
        ({"rest_types": ["hammock"]}, "rest_types"),
        ({"lights_out_time": "25:00"}, "lights_out_time"),
        ({"sol_min": "vijftien"}, "sol_min"),
        ({"sleepiness_peak": "8"}, "dozed_unintended"),
    ],
)
def test_invalid_answers(client: FlaskClient, app: Flask, logged_in: int, changes: dict[str, Any], field: str) -> None:
    response = send(client, delivery(**changes))
    assert response.status_code == 422
    assert set(response.json["errors"]) == {field}
    assert checkin_count(app) == 0


@pytest.mark.parametrize(
    "note", ["\ud800", "voor \udfff na", "a\x00b"], ids=["lone-high", "lone-low", "nul"]
)
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "Deze tekst bevat een teken dat niet kan worden opgeslagen."),
        ("en", "This text holds a character that cannot be stored."),
    ],
)
def test_a_note_that_cannot_be_stored_is_a_field_error_with_a_message(
    client: FlaskClient, app: Flask, logged_in: int, note: str, language: str, message: str
) -> None:
    """Issue 17: a lone surrogate answered 500, so the outbox would have retried it forever."""
    client.post("/language", data={"language": language})
    body = json.dumps(delivery(note=note))  # a lone surrogate goes as a \ud800 escape, as from a browser
    response = client.post("/api/checkins", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.json == {"error": "invalid", "errors": {"note": message}, "message": message}
    assert checkin_count(app) == 0


@pytest.mark.parametrize("csrf_enabled", [False, True])
@pytest.mark.parametrize("headers", [{}, {"X-CSRFToken": "stale-token-from-an-old-page"}])
def test_logged_out_gets_401_json(client: FlaskClient, app: Flask, csrf_enabled: bool, headers: dict[str, str]) -> None:
    """Never a redirect to the login page, which the outbox would read as delivered."""
    app.config["WTF_CSRF_ENABLED"] = csrf_enabled
    headers = {"Accept-Language": "en", **headers}
    for response in (send(client, delivery(), **headers), fetch_session(client, **headers)):
        assert response.status_code == 401
        assert "Location" not in response.headers
        assert response.json["error"] == "unauthenticated"
        assert "log in" in response.json["message"]
        assert response.headers["Cache-Control"] == "no-store"
    assert checkin_count(app) == 0


def test_401_after_the_session_was_ended_elsewhere(app: Flask, client: FlaskClient, logged_in: int) -> None:
    other = app.test_client()
    other.post("/login", data={"email": "sanne@example.org", "password": PASSWORD})
    changed = other.post("/account/password", data={"current_password": PASSWORD, "new_password": "a brand new password"})
    assert changed.status_code == 302
    response = send(client, delivery())
    assert response.status_code == 401
    assert response.json["error"] == "unauthenticated"
    assert send(other, delivery()).status_code == 201  # the other device stays logged in


def test_csrf_header_required_when_logged_in(client: FlaskClient, app: Flask, logged_in: int) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    for headers in ({}, {"X-CSRFToken": "not-the-token"}):
        response = send(client, delivery(), **headers)
        assert response.status_code == 403
        assert response.json["error"] == "csrf"
        assert response.json["message"]
    session = fetch_session(client)
    assert session.status_code == 200
    assert session.json["authenticated"] is True
    assert session.headers["Cache-Control"] == "no-store"
    assert send(client, delivery(), **{"X-CSRFToken": session.json["csrf_token"]}).status_code == 201
    assert checkin_count(app) == 1


def _on(day_: date, hour: int = 9) -> str:
    """A made_at on that local morning in Amsterdam (UTC+1 in March)."""
    return datetime(day_.year, day_.month, day_.day, hour - 1).isoformat() + "Z"


@pytest.mark.parametrize(
    ("days_ago", "made_at", "status", "reason"),
    [
        (0, NOW, 201, None),
        (0, None, 201, None),
        (1, NOW, 201, None),  # yesterday can always be filled in late (A.1)
        (3, _on(TODAY - timedelta(days=3)), 201, None),  # made on time, delivered late
        (3, _on(TODAY - timedelta(days=2)), 201, None),  # a late entry for its yesterday, delivered late
        (3, "2026-03-06T23:30:00Z", 201, None),  # 00:30 on the 7th in Amsterdam
        (3, NOW, 409, "too_late"),
        (3, _on(TODAY - timedelta(days=4)), 409, "too_late"),  # made before its own morning
        (3, None, 409, "too_late"),
        (7, _on(TODAY - timedelta(days=7)), 201, None),
        (8, _on(TODAY - timedelta(days=8)), 409, "too_late"),
        (-1, NOW, 409, "too_late"),
        (-1, _on(TODAY + timedelta(days=1)), 409, "too_late"),
    ],
)
def test_which_dates_can_be_delivered(
    client: FlaskClient, app: Flask, logged_in: int, days_ago: int, made_at: str | None, status: int, reason: str | None
) -> None:
    on = TODAY - timedelta(days=days_ago)
    response = send(client, delivery(on=on, made_at=made_at))
    assert response.status_code == status, response.json
    if reason:
        assert (response.json["reason"], response.json["date"]) == (reason, on.isoformat())
        assert checkin_count(app) == 0
    else:
        [row] = checkin_rows(app)
        assert (row.date, row.backfilled) == (on, days_ago > 0)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("{not json", "body"),
        ("[" * 100_000 + "]" * 100_000, "body"),  # deeper than the JSON parser's recursion
        ([], "body"),
        ({**delivery(), "client_id": None}, "client_id"),
        ({**delivery(), "client_id": "check-in-1"}, "client_id"),
        ({**delivery(), "client_id": 12}, "client_id"),
        ({**delivery(), "client_id": f"{uuid.uuid4()}\n"}, "client_id"),  # 37 characters
        ({**delivery(), "date": "10-03-2026"}, "date"),
        ({**delivery(), "date": "2026-02-30"}, "date"),
        ({**delivery(), "date": 20260310}, "date"),
        ({**delivery(), "made_at": "this morning"}, "made_at"),
        ({**delivery(), "made_at": "9999-12-31T23:30:00Z"}, "made_at"),  # past year 9999 in Amsterdam
        # Issue 17: a year-1 moment reached the date arithmetic of `may_deliver` and answered 500.
        ({**delivery(on=TODAY - timedelta(days=3)), "made_at": "0001-01-01"}, "made_at"),
        ({**delivery(on=TODAY - timedelta(days=3)), "made_at": "0001-01-01T00:00:00+00:00"}, "made_at"),
        ({**delivery(), "made_at": "9999-12-31"}, "made_at"),
        ({**delivery(), "made_at": "٢٠٢٦-03-10T08:00:00Z"}, "made_at"),
        ({**delivery(), "date": "0001-01-01"}, "date"),
        ({**delivery(), "date": "9999-12-31"}, "date"),
        ({**delivery(), "answers": None}, "answers"),
        ({**delivery(), "answers": {**day(), "morning_energy": True}}, "answers.morning_energy"),
        ({**delivery(), "answers": {**day(), "sol_min": 15.5}}, "answers.sol_min"),
        ({**delivery(), "answers": {**day(), "social_contact": ["brief"]}}, "answers.social_contact"),
        ({**delivery(), "answers": {**day(), "rest_types": [1]}}, "answers.rest_types"),
    ],
)
def test_malformed_requests(client: FlaskClient, app: Flask, logged_in: int, body: Any, detail: str) -> None:
    response: Any
    if isinstance(body, str):
        response = client.post("/api/checkins", data=body, content_type="application/json")
    else:
        response = send(client, body)
    assert response.status_code == 400
    assert response.json["error"] == "bad_request"
    assert response.json["detail"] == detail
    assert response.json["message"]
    assert checkin_count(app) == 0


def test_not_json_at_all(client: FlaskClient, app: Flask, logged_in: int) -> None:
    response: Any = client.post("/api/checkins", data={"client_id": str(uuid.uuid4())})
    assert response.status_code == 400
    assert response.json["error"] == "bad_request"
    too_big: Any = client.post("/api/checkins", data="[" * (6 * 1024 * 1024), content_type="application/json")
    assert too_big.status_code == 413
    assert too_big.json["error"] == "bad_request"


@pytest.mark.parametrize(
    ("first", "status", "reason"),
    [("same", 200, None), ("other answers", 409, "client_id_reused"), ("form", 409, "date_taken")],
)
def test_losing_the_race_to_insert(
    client: FlaskClient, app: Flask, logged_in: int, monkeypatch: pytest.MonkeyPatch, first: str, status: int, reason: str | None
) -> None:
    """The other request commits between our look-ups and our insert: the unique keys decide."""
    body = delivery()
    if first == "form":
        client.post("/checkin", data=day())
    else:
        send(client, body if first == "same" else delivery(body["client_id"], morning_energy="2"))
    originals = {name: getattr(api, name) for name in ("_row_with_key", "find_row")}
    blind = {name: True for name in originals}

    def seen_once(name: str) -> Any:
        def look(*args: Any) -> Any:
            if blind[name]:  # the first look happens before the other request committed
                blind[name] = False
                return None
            return originals[name](*args)
        return look

    for name in originals:
        monkeypatch.setattr(api, name, seen_once(name))
    response = send(client, body)
    assert response.status_code == status
    assert response.json.get("reason") == reason
    assert not any(blind.values())
    assert checkin_count(app) == 1


@contextmanager
def serving(app: Flask) -> Iterator[int]:
    """The app on a real threaded server, so requests really run at the same time."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join()


def _request(port: int, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any], list[str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        data = response.read()
        cookies = response.headers.get_all("Set-Cookie") or []
        is_json = response.headers.get("Content-Type", "").startswith("application/json")
        return response.status, json.loads(data) if is_json else {}, cookies
    finally:
        connection.close()


def test_ten_concurrent_sends_make_one_row(app: Flask, accounts: Accounts) -> None:
    accounts.create()
    body = delivery()
    with serving(app) as port:
        form = urlencode({"email": "sanne@example.org", "password": PASSWORD}).encode()
        status, _, cookies = _request(port, "POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302
        headers = {
            "Content-Type": "application/json",
            "Cookie": "; ".join(cookie.split(";", 1)[0] for cookie in cookies),
        }
        barrier = threading.Barrier(10)

        def post(payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            barrier.wait()  # all ten leave together
            status, answer, _ = _request(port, "POST", "/api/checkins", json.dumps(payload).encode(), headers)
            return status, answer

        with ThreadPoolExecutor(max_workers=10) as pool:
            answers = list(pool.map(post, [body] * 10))
        assert sorted(status for status, _ in answers) == [200] * 9 + [201], answers
        assert {answer["client_id"] for _, answer in answers} == {body["client_id"]}
        assert checkin_count(app) == 1

        changed = json.dumps(delivery(body["client_id"], morning_energy="1")).encode()
        status, answer, _ = _request(port, "POST", "/api/checkins", changed, headers)
        assert (status, answer["reason"]) == (409, "client_id_reused")
    [row] = checkin_rows(app)
    assert (row.client_id, row.morning_energy) == (body["client_id"], 7)
