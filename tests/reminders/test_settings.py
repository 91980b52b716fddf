"""The /settings page, the paused notice, and the push subscription endpoints."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from journal import create_app
from journal.extensions import db
from journal.models import PushSubscription, ReminderSettings
from tests.conftest import FROZEN_NOW, Accounts

from .keys import VAPID_PEM, subscriber_keys

FORM = {
    "enabled": "on",
    "remind_at": "20:15",
    "weekdays": ["0", "2", "4"],
    "push": "on",
    "only_if_not_checked_in": "on",
    "paused_until": "",
}


def configure(app: Flask) -> None:
    app.config["JOURNAL"].update(VAPID_PRIVATE_KEY=VAPID_PEM, PUSH_ALLOW_LOCAL=False)


def stored(app: Flask, user_id: int) -> ReminderSettings | None:
    with app.app_context():
        row = db.session.get(ReminderSettings, user_id)
        if row is not None:
            db.session.expunge(row)
        return row


def test_defaults_are_off_at_nine(app: Flask, client: FlaskClient, logged_in: int) -> None:
    configure(app)
    page = client.get("/settings")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="09:00"' in html
    assert 'name="enabled" checked' not in html and 'id="f-enabled" type="checkbox" name="enabled">' in html
    assert 'name="only_if_not_checked_in" checked' in html
    assert html.count('name="weekdays"') == 7 and html.count('name="weekdays" value') == 7
    assert 'src="/static/push.js"' in html
    assert "data-vapid-key=" in html
    assert stored(app, logged_in) is None  # nothing stored until the person saves


def test_save_and_next_due(app: Flask, client: FlaskClient, logged_in: int) -> None:
    configure(app)
    answer = client.post("/settings", data=FORM)
    assert answer.status_code == 302 and answer.headers["Location"] == "/settings"
    row = stored(app, logged_in)
    assert row is not None
    assert (row.enabled, row.remind_at, row.weekdays, row.push, row.email) == (
        True, time(20, 15), "1010100", True, False
    )
    # FROZEN_NOW is Tuesday 2026-03-10 08:30 Amsterdam: next is Wednesday 20:15 CET.
    assert row.next_due_at is not None
    assert row.next_due_at == datetime(2026, 3, 11, 19, 15, tzinfo=UTC)
    assert 'value="20:15"' in client.get("/settings").get_data(as_text=True)


def test_errors_keep_the_input(app: Flask, client: FlaskClient, logged_in: int) -> None:
    configure(app)
    answer = client.post("/settings", data={**FORM, "remind_at": "23:30", "weekdays": [],
                                            "push": "", "paused_until": "2020-01-01"})
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert 'value="23:30"' in html and 'value="2020-01-01"' in html
    for name in ("remind_at", "weekdays", "channels", "paused_until"):
        assert f'id="err-{name}"' in html
    assert stored(app, logged_in) is None
    bad = client.post("/settings", data={**FORM, "remind_at": "half nine"})
    assert bad.status_code == 422 and 'value="half nine"' in bad.get_data(as_text=True)


def test_errors_in_english(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    configure(app)
    accounts.create(language="en")
    accounts.login()
    html = client.post("/settings", data={**FORM, "remind_at": "05:00"}).get_data(as_text=True)
    assert "Please choose a time between 07:00 and 21:59" in html


def test_email_needs_smtp(app: Flask, client: FlaskClient, logged_in: int) -> None:
    configure(app)
    answer = client.post("/settings", data={**FORM, "email": "on"})
    assert answer.status_code == 422 and 'id="err-channels"' in answer.get_data(as_text=True)
    app.config["JOURNAL"]["SMTP_HOST"] = "127.0.0.1"
    assert client.post("/settings", data={**FORM, "email": "on"}).status_code == 302


def test_turning_off_clears_next_due(app: Flask, client: FlaskClient, logged_in: int) -> None:
    configure(app)
    client.post("/settings", data=FORM)
    client.post("/settings", data={**FORM, "enabled": ""})
    row = stored(app, logged_in)
    assert row is not None and row.enabled is False and row.next_due_at is None


def test_paused_notice_and_resume(app: Flask, client: FlaskClient, logged_in: int) -> None:
    configure(app)
    client.post("/settings", data=FORM)
    assert "reminders-paused" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        row = db.session.get(ReminderSettings, logged_in)
        assert row is not None
        row.auto_paused, row.unanswered, row.next_due_at = True, 3, None
        db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "reminders-paused" in home and 'action="/settings/resume"' in home
    answer = client.post("/settings/resume", data={"action": "resume"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    row = stored(app, logged_in)
    assert row is not None
    assert (row.enabled, row.auto_paused, row.unanswered) == (True, False, 0)
    assert row.next_due_at is not None
    assert "reminders-paused" not in client.get("/").get_data(as_text=True)


def test_paused_notice_can_turn_reminders_off(app: Flask, client: FlaskClient, logged_in: int) -> None:
    configure(app)
    client.post("/settings", data=FORM)
    with app.app_context():
        paused = db.session.get(ReminderSettings, logged_in)
        assert paused is not None
        paused.auto_paused = True
        db.session.commit()
    client.post("/settings/resume", data={"action": "off"})
    row = stored(app, logged_in)
    assert row is not None and (row.enabled, row.auto_paused, row.next_due_at) == (False, False, None)


def test_account_page_links_to_reminders(client: FlaskClient, logged_in: int) -> None:
    assert 'href="/settings"' in client.get("/account").get_data(as_text=True)


def _subscription() -> dict[str, object]:
    _, p256dh, auth = subscriber_keys()
    return {"endpoint": "https://push.example/abc", "expirationTime": None,
            "keys": {"p256dh": p256dh, "auth": auth}}


def test_subscribe_and_unsubscribe(app: Flask, client: FlaskClient, logged_in: int) -> None:
    configure(app)
    body = _subscription()
    headers = {"User-Agent": "Mozilla/5.0 (Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"}
    answer = client.post("/settings/push/subscribe", json=body, headers=headers)
    assert answer.status_code == 200 and answer.get_json() == {"status": "subscribed", "devices": 1}
    assert answer.headers["Cache-Control"] == "no-store"
    with app.app_context():
        [row] = db.session.scalars(select(PushSubscription))
        assert row.user_id == logged_in and row.user_agent == "Chrome"  # the family, not the UA
        first_id = row.id
    again = client.post("/settings/push/subscribe", json=body)  # the same browser again
    assert again.get_json()["devices"] == 1
    with app.app_context():
        [row] = db.session.scalars(select(PushSubscription))
        # The same row, with the family of the latest subscribe: Werkzeug's agent names none.
        assert row.id == first_id
        assert row.user_id == logged_in and row.user_agent == "other"  # Werkzeug is no browser
    assert client.post("/settings/push/unsubscribe", json={"endpoint": body["endpoint"]}).get_json() == {
        "status": "unsubscribed", "devices": 0}


def test_subscribe_refuses_bad_input(app: Flask, client: FlaskClient, logged_in: int) -> None:
    configure(app)
    for body in ({}, {"endpoint": "http://10.0.0.1/x", "keys": _subscription()["keys"]},
                 {"endpoint": "https://push.example/x", "keys": {"p256dh": "x", "auth": "y"}}):
        answer = client.post("/settings/push/subscribe", json=body)
        assert answer.status_code == 400 and answer.get_json()["error"] == "invalid"
    assert client.post("/settings/push/subscribe", data="not json").status_code == 400


# Each would make the scheduler open a connection inside the server's network (issue 17).
REFUSED_ENDPOINTS = [
    "https://127.0.0.1:5498/",
    "https://169.254.169.254/x",
    "https://10.0.0.1/",
    "https://[::1]:22/",
    "https://user:pass@push.example/",
    "https://user@push.example/",
    "https://localhost/",
    "https://intranet.example/x",  # a name that resolves to a private address
    "https://half.example/x",  # one public and one loopback address
    "https://nowhere.example/x",  # a name that does not resolve
    "https://[::ffff:127.0.0.1]/",
    "https://[fe80::1]/",
    "https://0.0.0.0/",
    "https://224.0.0.1/",
    "https://100.64.0.1/",  # carrier-grade NAT
    "https://240.0.0.1/",
    "https://2130706433/",  # 127.0.0.1 as one number
    "https://0x7f.1/",
    "https://push.example:99999/",
    "https://[::1/",
    "http://push.example/x",
    "ftp://push.example/x",
    "https://push.example/\ud800",
    "https://push.example/\u0000",
    "https://push.example/a b",
]


@pytest.mark.parametrize("endpoint", REFUSED_ENDPOINTS)
def test_endpoints_inside_the_network_are_refused(
    app: Flask, client: FlaskClient, logged_in: int, names: dict[str, list[str]], endpoint: str
) -> None:
    configure(app)
    names["intranet.example"] = ["192.168.1.5"]
    names["half.example"] = ["93.184.215.14", "127.0.0.1"]
    # json.dumps writes a lone surrogate or a NUL as the escape a script would send.
    body = json.dumps({"endpoint": endpoint, "keys": _subscription()["keys"]})
    answer = client.post("/settings/push/subscribe", data=body, content_type="application/json")
    assert answer.status_code == 400 and answer.get_json()["error"] == "invalid"
    with app.app_context():
        assert db.session.scalars(select(PushSubscription)).all() == []


@pytest.mark.parametrize("endpoint", ["https://push.example/\ud800", "https://push.example/\u0000"])
def test_unsubscribing_a_broken_endpoint_is_a_400(
    client: FlaskClient, logged_in: int, endpoint: str
) -> None:
    body = json.dumps({"endpoint": endpoint})
    answer = client.post("/settings/push/unsubscribe", data=body, content_type="application/json")
    assert answer.status_code == 400 and answer.get_json()["error"] == "invalid"


def test_a_device_moves_to_the_account_that_subscribed_last(
    app: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    configure(app)
    body = _subscription()
    first = accounts.create("een@example.org")
    second = accounts.create("twee@example.org")
    accounts.login("een@example.org")
    client.post("/settings/push/subscribe", json=body)
    accounts.logout()
    accounts.login("twee@example.org")
    client.post("/settings/push/subscribe", json=body)
    with app.app_context():
        owners = [row.user_id for row in db.session.scalars(select(PushSubscription))]
    assert owners == [second] and first != second


def test_push_routes_answer_401_json_when_logged_out(client: FlaskClient) -> None:
    for path in ("/settings/push/subscribe", "/settings/push/unsubscribe"):
        answer = client.post(path, json=_subscription())
        assert answer.status_code == 401 and answer.get_json()["error"] == "unauthenticated"
    assert client.get("/settings").status_code == 302  # the page itself: the login redirect


def test_push_routes_check_the_csrf_header(tmp_path: object) -> None:
    csrf_app = create_app({
        "TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/csrf.sqlite3",
        "SECRET_KEY": "s", "COOKIE_SECURE": False, "FIXED_NOW": FROZEN_NOW,
        "VAPID_PRIVATE_KEY": VAPID_PEM,
    })
    with csrf_app.app_context():
        db.create_all()
    people = Accounts(csrf_app, csrf_app.test_client())
    people.create()
    client = people.client
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    client.post("/login", data={"email": "sanne@example.org", "password": "correct horse battery",
                                "csrf_token": token})
    assert client.post("/settings/push/subscribe", json=_subscription()).status_code == 403
    settings_page = client.get("/settings").get_data(as_text=True)
    token = settings_page.split('name="csrf-token" content="')[1].split('"')[0]
    ok = client.post("/settings/push/subscribe", json=_subscription(), headers={"X-CSRFToken": token})
    assert ok.status_code == 200
    with csrf_app.app_context():
        db.engine.dispose()
