"""Web Push through pywebpush to a fake push service on 127.0.0.1 that checks VAPID and
decrypts the payload with the keys this test made for the "browser"."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from journal.config import instance_file
from journal.extensions import db
from journal.models import PushSubscription, ReminderDelivery
from journal.reminders.dispatch import Senders, default_senders, run_tick
from journal.reminders.push import (
    KEY_FILE,
    PushOutcome,
    PushTarget,
    WebPushSender,
    _new_key,
    application_server_key,
    valid_subscription,
    vapid_key,
)

from .conftest import MONDAY, SECRET_NOTE, Reminders
from .fake_push import FakePushService, start
from .keys import subscriber_keys


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePushService]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # requests must not leave the host
    fake = FakePushService()
    server, thread = start(fake)
    yield fake
    server.shutdown()
    thread.join(timeout=5)


def subscribe(reminders: Reminders, user_id: int, service: FakePushService, name: str) -> str:
    private_key, p256dh, auth = subscriber_keys()
    endpoint = service.endpoint(name, private_key, auth)
    with reminders.app.app_context():
        db.session.add(PushSubscription(user_id=user_id, endpoint=endpoint, p256dh=p256dh,
                                        auth=auth, created_at=reminders.now))
        db.session.commit()
    return endpoint


def tick_for_real(reminders: Reminders) -> None:
    """A tick with the real pywebpush sender (mail stays a stand-in)."""
    with reminders.app.app_context():
        real = default_senders(reminders.app)
        try:
            run_tick(worker="w", senders=Senders(push=real.push, mail=reminders.mail))
        finally:
            real.close()


def test_push_is_signed_encrypted_and_tagged(reminders: Reminders, service: FakePushService) -> None:
    user = reminders.person(devices=0)
    reminders.check_in(user, MONDAY.replace(day=3), note=SECRET_NOTE)
    subscribe(reminders, user, service, f"device-{user}")
    reminders.at(reminders.due(user, MONDAY))
    tick_for_real(reminders)

    assert service.errors == []
    [got] = service.received
    with reminders.app.app_context():
        [row] = db.session.scalars(select(ReminderDelivery))
        assert row.status == "sent"
        assert got.vapid_key == application_server_key(reminders.app)
    topic = f"reminder-{row.id}"
    assert got.headers["topic"] == topic
    assert got.headers["ttl"] == "7200"
    assert got.headers["urgency"] == "normal"
    assert got.claims["sub"] == "mailto:noreply@localhost"
    assert set(got.payload) == {"title", "body", "url", "tag"}
    assert got.payload["url"] == "/checkin" and got.payload["tag"] == topic
    assert got.payload["title"] and got.payload["body"]
    assert SECRET_NOTE not in str(got.payload)


@pytest.mark.parametrize("answer", ["gone", "missing"])
def test_gone_subscriptions_are_removed(
    reminders: Reminders, service: FakePushService, answer: str
) -> None:
    user = reminders.person(devices=0)
    subscribe(reminders, user, service, f"{answer}-{user}")
    reminders.at(reminders.due(user, MONDAY))
    tick_for_real(reminders)
    assert service.errors == []
    assert len(service.received) == 1
    assert reminders.devices(user) == 0
    [row] = reminders.deliveries(user)
    assert (row.status, row.detail) == ("failed", "push_gone")


def test_a_failing_push_service_keeps_the_subscription(
    reminders: Reminders, service: FakePushService
) -> None:
    user = reminders.person(devices=0)
    subscribe(reminders, user, service, f"broken-{user}")
    reminders.at(reminders.due(user, MONDAY))
    tick_for_real(reminders)
    assert reminders.devices(user) == 1
    [row] = reminders.deliveries(user)
    assert (row.status, row.detail) == ("failed", "push_failed")


def test_an_unreachable_push_service_is_a_failure(reminders: Reminders) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _, p256dh, auth = subscriber_keys()
    sender = WebPushSender(lambda: vapid_key(reminders.app), "mailto:noreply@localhost")
    target = PushTarget(1, f"http://127.0.0.1:{port}/push/x", p256dh, auth)
    assert sender(target, "{}", "reminder-1") is PushOutcome.FAILED
    sender.close()


def test_the_key_is_made_once_private_and_shared(tmp_path: Path) -> None:
    folder = tmp_path / "instance"
    results: list[str] = []
    def read() -> None:
        results.append(instance_file(folder, KEY_FILE, _new_key))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1 and "PRIVATE KEY" in results[0]
    mode = stat.S_IMODE(os.stat(folder / KEY_FILE).st_mode)
    assert mode == 0o600
    assert instance_file(folder, KEY_FILE, _new_key) == results[0]
    assert sorted(p.name for p in folder.iterdir()) == [KEY_FILE]  # no temporary files left


def test_subscriptions_are_checked() -> None:
    _, p256dh, auth = subscriber_keys()
    good = {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": {"p256dh": p256dh, "auth": auth}}
    assert valid_subscription(good, allow_http=False) is not None
    assert valid_subscription({**good, "endpoint": "http://127.0.0.1:9/x"}, allow_http=False) is None
    assert valid_subscription({**good, "endpoint": "http://127.0.0.1:9/x"}, allow_http=True) is not None
    assert valid_subscription({**good, "endpoint": "file:///etc/passwd"}, allow_http=True) is None
    assert valid_subscription({**good, "keys": {"p256dh": "AAAA", "auth": auth}}, allow_http=False) is None
    assert valid_subscription({**good, "keys": {"p256dh": p256dh, "auth": "!!"}}, allow_http=False) is None
    assert valid_subscription({"endpoint": "https://x.example/" + "a" * 1000, "keys": good["keys"]}, allow_http=False) is None
