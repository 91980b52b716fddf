"""E-mail reminders over SMTP to a local aiosmtpd server, and the one-click unsubscribe."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient

from journal.extensions import db
from journal.models import User
from journal.reminders.mail import unsubscribe_token
from journal.reminders.tick import run_tick

from .conftest import MONDAY, SECRET_NOTE, START, Reminders
from .smtp_server import Inbox, free_port, smtp_server


@pytest.fixture
def inbox(reminders: Reminders) -> Iterator[Inbox]:
    with smtp_server() as server:
        reminders.app.config["JOURNAL"].update(
            SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_STARTTLS=False,
            SMTP_FROM="Hersteldagboek <herinnering@example.org>",
        )
        yield server


def tick_with_smtp(reminders: Reminders) -> None:
    with reminders.app.app_context():
        run_tick(worker="w")  # the real senders: SMTP to the inbox


def address_of(reminders: Reminders, user_id: int) -> str:
    with reminders.app.app_context():
        person = db.session.get(User, user_id)
        assert person is not None
        return str(person.email)


def mailed_person(reminders: Reminders, language: str = "nl") -> int:
    user = reminders.person(push=False, email=True, devices=0, language=language)
    reminders.check_in(user, MONDAY.replace(day=3), note=SECRET_NOTE)
    return user


def test_mail_has_text_html_and_unsubscribe_headers(reminders: Reminders, inbox: Inbox) -> None:
    user = mailed_person(reminders)
    reminders.at(reminders.due(user, MONDAY))
    tick_with_smtp(reminders)
    [message] = inbox.messages
    assert message["To"] == address_of(reminders, user)
    assert message["From"] == "Hersteldagboek <herinnering@example.org>"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    plain_text, html_text = plain.get_content(), html.get_content()
    assert "http://127.0.0.1:5000/checkin" in plain_text
    assert 'href="http://127.0.0.1:5000/checkin"' in html_text

    link = message["List-Unsubscribe"]
    assert link.startswith("<http://127.0.0.1:5000/unsubscribe/") and link.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link[1:-1] in plain_text and link[1:-1] in html_text
    assert message["Auto-Submitted"] == "auto-generated"
    for text in (plain_text, html_text, message["Subject"]):
        assert SECRET_NOTE not in text and "GEHEIME" not in text
    assert [(d.channel, d.status) for d in reminders.deliveries(user)] == [("email", "sent")]


def test_unsubscribe_link_works_without_login(
    reminders: Reminders, inbox: Inbox, client: FlaskClient
) -> None:
    user = mailed_person(reminders)
    reminders.at(reminders.due(user, MONDAY))
    tick_with_smtp(reminders)
    path = urlsplit(inbox.messages[0]["List-Unsubscribe"][1:-1]).path

    # Opening the link (or a mail scanner fetching it) only asks (issue 17, finding 7).
    for _ in range(2):
        page = client.get(path)  # nobody is logged in
        assert page.status_code == 200
        assert f'<form method="post" action="{path}">' in page.get_data(as_text=True)
    assert client.head(path).status_code == 200
    assert reminders.settings(user).email is True

    done = client.post(path)
    assert done.status_code == 200
    assert reminders.settings(user).email is False
    assert 'action="' + path + '/undo"' in done.get_data(as_text=True)

    # Tomorrow: no e-mail any more.
    reminders.at(reminders.due(user, MONDAY.replace(day=5)))
    tick_with_smtp(reminders)
    assert len(inbox.messages) == 1

    # "That was a mistake": on again, still without logging in.
    assert client.post(path + "/undo").status_code == 200
    assert reminders.settings(user).email is True


def token_of(reminders: Reminders, user: int) -> str:
    with reminders.app.app_context():
        return unsubscribe_token(reminders.app, user, datetime(2026, 1, 1, tzinfo=UTC))


def test_one_click_post(reminders: Reminders, client: FlaskClient) -> None:
    user = mailed_person(reminders)
    answer = client.post(f"/unsubscribe/{token_of(reminders, user)}",
                         data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 204
    assert reminders.settings(user).email is False


def test_the_confirmation_needs_its_csrf_token_one_click_does_not(
    reminders: Reminders, client: FlaskClient
) -> None:
    reminders.app.config["WTF_CSRF_ENABLED"] = True
    user = mailed_person(reminders)
    path = f"/unsubscribe/{token_of(reminders, user)}"
    html = client.get(path).get_data(as_text=True)
    token = html.split('name="csrf_token" value="')[1].split('"')[0]

    assert client.post(path).status_code == 400  # a form posted from elsewhere
    assert reminders.settings(user).email is True
    assert client.post(path, data={"csrf_token": token}).status_code == 200
    assert reminders.settings(user).email is False

    other = mailed_person(reminders)
    one_click = reminders.app.test_client()  # a mail program: no session, no CSRF token
    answer = one_click.post(f"/unsubscribe/{token_of(reminders, other)}",
                            data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 204
    assert reminders.settings(other).email is False


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Stop e-mail reminders?"), ("nl", "Herinneringen per e-mail uitzetten?")],
)
def test_the_pages_are_in_the_persons_language(
    reminders: Reminders, client: FlaskClient, language: str, heading: str
) -> None:
    user = mailed_person(reminders, language=language)
    path = f"/unsubscribe/{token_of(reminders, user)}"
    other = "nl" if language == "en" else "en"
    page = client.get(path, headers={"Accept-Language": other}).get_data(as_text=True)
    assert f'<html lang="{language}">' in page and heading in page
    done = client.post(path, headers={"Accept-Language": other}).get_data(as_text=True)
    assert f'<html lang="{language}">' in done


def test_links_expire_after_60_days(reminders: Reminders, client: FlaskClient) -> None:
    user = mailed_person(reminders)
    path = f"/unsubscribe/{token_of(reminders, user)}"  # made at START
    reminders.at(START + timedelta(days=59))
    assert client.get(path).status_code == 200
    reminders.at(START + timedelta(days=60, minutes=1))
    english = {"Accept-Language": "en"}  # nothing in an expired link is trusted: the browser's
    for answer in (
        client.get(path, headers=english),
        client.post(path, headers=english),
        client.post(path, data={"List-Unsubscribe": "One-Click"}, headers=english),
        client.post(path + "/undo", headers=english),
    ):
        assert answer.status_code == 410
        html = answer.get_data(as_text=True)
        assert "too old" in html and 'href="/settings"' in html
    assert reminders.settings(user).email is True


def test_bad_or_stale_tokens_change_nothing(reminders: Reminders, client: FlaskClient) -> None:
    user = mailed_person(reminders)
    token = token_of(reminders, user)
    with reminders.app.app_context():
        wrong_account = unsubscribe_token(reminders.app, user, datetime(2025, 1, 1, tzinfo=UTC))
    assert client.get(f"/unsubscribe/{token[:-2]}xx").status_code == 404
    assert client.get(f"/unsubscribe/{wrong_account}").status_code == 404
    assert client.post(f"/unsubscribe/{token}x/undo").status_code == 404
    assert reminders.settings(user).email is True
    with reminders.app.app_context():
        db.session.delete(db.session.get(User, user))
        db.session.commit()
    assert client.get(f"/unsubscribe/{token}").status_code == 404


def test_smtp_errors_are_recorded_without_the_address(reminders: Reminders, inbox: Inbox) -> None:
    reminders.app.config["JOURNAL"]["SMTP_STARTTLS"] = True  # the local server offers no TLS
    user = mailed_person(reminders)
    reminders.at(reminders.due(user, MONDAY))
    tick_with_smtp(reminders)
    [row] = reminders.deliveries(user)
    assert row.status == "failed" and row.detail.startswith("smtp:")
    assert "@" not in row.detail
    assert inbox.messages == []


@dataclass
class RefusingInbox(Inbox):
    """Refuses every recipient with a reply that names the address, as real servers do."""

    refused: list[str] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        self.refused.append(address)
        return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"


@pytest.fixture
def refusing_inbox(reminders: Reminders) -> Iterator[RefusingInbox]:
    inbox = RefusingInbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        reminders.app.config["JOURNAL"].update(
            SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, SMTP_STARTTLS=False,
            SMTP_FROM="Hersteldagboek <herinnering@example.org>",
        )
        yield inbox
    finally:
        controller.stop()


def test_a_refused_recipient_is_recorded_without_the_address(
    reminders: Reminders, refusing_inbox: RefusingInbox
) -> None:
    user = mailed_person(reminders)
    address = address_of(reminders, user)
    reminders.at(reminders.due(user, MONDAY))
    tick_with_smtp(reminders)
    # The server refused this very address, so its error (smtplib's SMTPRecipientsRefused,
    # keyed by the address, with the server's reply) names it.
    assert refusing_inbox.refused == [address]
    assert refusing_inbox.messages == []
    [row] = reminders.deliveries(user)
    assert (row.status, row.detail) == ("failed", "smtp:SMTPRecipientsRefused")
    assert "@" not in row.detail and address not in row.detail
