"""Sharing, reminders and installing where people look (issue 19): links on home, the install
hint, manifest shortcuts, the share page's copy and share buttons, reminder settings that
never tick or offer what cannot work, and the account page's link to change the address."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from journal.clock import now_utc
from journal.extensions import db
from journal.models import PushSubscription, ReminderSettings
from tests.web.sharing import make_link

STATIC = Path(__file__).resolve().parents[2] / "static"
REMINDERS = {
    "enabled": "on",
    "remind_at": "08:15",
    "weekdays": ["0", "1", "2", "3", "4"],
    "only_if_not_checked_in": "on",
    "paused_until": "",
}


def html(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def add_device(app: Flask, user_id: int) -> None:
    with app.app_context():
        db.session.add(
            PushSubscription(
                user_id=user_id,
                endpoint=f"https://push.example/{user_id}",
                p256dh="p",
                auth="a",
                created_at=now_utc(),
            )
        )
        db.session.commit()


def stored(app: Flask, user_id: int) -> ReminderSettings | None:
    with app.app_context():
        row = db.session.scalar(select(ReminderSettings).where(ReminderSettings.user_id == user_id))
        if row is not None:
            db.session.expunge(row)
        return row


def test_home_links_to_sharing_and_reminders(client: FlaskClient, logged_in: int) -> None:
    page = html(client, "/")
    links = page[page.index('<nav class="home-links"') :]
    assert '<a href="/share">Delen met je coach</a>' in links
    assert '<a href="/settings">Herinneringen</a>' in links


def test_home_carries_the_install_hint_for_the_script(client: FlaskClient, logged_in: int) -> None:
    page = html(client, "/")
    # Hidden until static/install.js finds a way to install; dismissible there.
    assert "data-install data-install-dismissible hidden" in page
    assert "Zet Hersteldagboek op je beginscherm" in page
    assert "Tik op Deel en kies ‘Zet op beginscherm’." in page
    assert 'src="/static/install.js"' in page
    assert (STATIC / "install.js").is_file()


def test_the_manifest_has_shortcuts_to_the_check_in_and_the_week(client: FlaskClient) -> None:
    manifest = json.loads(client.get("/manifest.webmanifest").get_data(as_text=True))
    shortcuts = {s["url"]: s for s in manifest["shortcuts"]}
    assert set(shortcuts) == {"/checkin", "/week"}
    assert shortcuts["/checkin"]["name"] == "Check-in van vandaag"
    assert shortcuts["/week"]["name"] == "Mijn week"
    for shortcut in shortcuts.values():
        for icon in shortcut["icons"]:
            assert (STATIC / icon["src"].removeprefix("/static/")).is_file()
            assert client.get(icon["src"]).status_code == 200


def test_a_new_share_link_has_copy_and_share_buttons(client: FlaskClient, logged_in: int) -> None:
    response = client.post("/share", data={"label": "mijn coach", "weeks": "4", "expiry": "30"})
    page = response.get_data(as_text=True)
    # Without JavaScript: the link in a read-only field, to select.
    assert 'id="f-link" class="share-url" type="text" readonly' in page
    # With it: the buttons (shown by the script) and where "Gekopieerd" is said.
    assert "data-share-copy hidden>Kopieer de link</button>" in page
    assert "data-share-send hidden>Delen…</button>" in page
    assert 'data-t-copied="Gekopieerd"' in page
    assert 'data-share-status role="status"' in page
    assert 'src="/static/share-link.js"' in page
    assert (STATIC / "share-link.js").is_file()
    # The page without a new link has no such buttons.
    assert "data-share-copy" not in html(client, "/share")
    assert make_link(client)[0].startswith("http://localhost/s/")


def test_push_is_not_ticked_while_no_device_has_notifications(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    page = html(client, "/settings")
    assert 'id="f-push" type="checkbox" name="push" aria-describedby="hint-push">' in page
    assert "Op geen enkel apparaat staan meldingen al aan." in page
    add_device(app, logged_in)
    page = html(client, "/settings")
    assert 'id="f-push" type="checkbox" name="push" checked>' in page  # the default, now true
    assert 'id="hint-push"' not in page


def test_a_stored_push_setting_is_kept_until_the_person_saves(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    add_device(app, logged_in)
    assert client.post("/settings", data={**REMINDERS, "push": "on"}).status_code == 302
    with app.app_context():
        db.session.execute(PushSubscription.__table__.delete())
        db.session.commit()
    page = html(client, "/settings")
    assert 'name="push" checked' not in page  # not offered as ticked ...
    row = stored(app, logged_in)
    assert row is not None and row.push  # ... and not changed by showing the page


def test_a_device_turned_on_while_the_page_was_open_counts_as_ticking_push(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    page = html(client, "/settings")
    assert 'name="push_unticked_no_device" value="1"' in page
    add_device(app, logged_in)  # push.js turned notifications on for this browser
    answer = client.post("/settings", data={**REMINDERS, "push_unticked_no_device": "1"})
    assert answer.status_code == 302
    row = stored(app, logged_in)
    assert row is not None and row.push and row.enabled


def test_without_a_device_unticked_push_stays_off(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    data: dict[str, Any] = {**REMINDERS, "enabled": "", "push_unticked_no_device": "1"}
    assert client.post("/settings", data=data).status_code == 302
    row = stored(app, logged_in)
    assert row is not None and not row.push


@pytest.mark.parametrize("smtp", [False, True])
def test_the_email_option_is_there_only_when_the_server_can_send(
    app: Flask, client: FlaskClient, logged_in: int, smtp: bool
) -> None:
    if smtp:
        app.config["JOURNAL"]["SMTP_HOST"] = "127.0.0.1"
    page = html(client, "/settings")
    assert ('name="email"' in page) == smtp
    unavailable = "Herinneringen per e-mail zijn op deze server niet beschikbaar."
    assert (unavailable in page) == (not smtp)


def test_email_posted_without_smtp_is_refused_with_a_message(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    answer = client.post("/settings", data={**REMINDERS, "email": "on"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="err-channels"' in page
    assert "Herinneringen per e-mail zijn op deze server niet beschikbaar." in page
    assert stored(app, logged_in) is None


def test_email_left_on_from_before_stays_visible_to_turn_off(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    app.config["JOURNAL"]["SMTP_HOST"] = "127.0.0.1"
    assert client.post("/settings", data={**REMINDERS, "email": "on"}).status_code == 302
    app.config["JOURNAL"]["SMTP_HOST"] = ""
    page = html(client, "/settings")
    assert 'id="f-email" type="checkbox" name="email" checked>' in page
    assert client.post("/settings", data={**REMINDERS, "push": "on"}).status_code == 302
    row = stored(app, logged_in)
    assert row is not None and not row.email


def test_the_account_page_links_to_changing_the_address(
    client: FlaskClient, logged_in: int
) -> None:
    page = html(client, "/account")
    assert '<a href="/email/change">E-mailadres wijzigen</a>' in page
