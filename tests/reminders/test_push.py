"""Web Push through pywebpush to a fake push service on 127.0.0.1 that checks VAPID and
decrypts the payload with the keys this test made for the "browser"."""

from __future__ import annotations

import base64
import logging
import os
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from journal.config import instance_file
from journal.extensions import db
from journal.models import PushSubscription, ReminderDelivery
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
from journal.reminders.tick import Senders, TickReport, default_senders, run_tick

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


def tick_for_real(reminders: Reminders) -> TickReport:
    """A tick with the real pywebpush sender (mail stays a stand-in)."""
    with reminders.app.app_context():
        real = default_senders(reminders.app)
        try:
            return run_tick(worker="w", senders=Senders(push=real.push, mail=reminders.mail))
        finally:
            real.close()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# 65 bytes that start like an uncompressed P-256 point but are not on the curve.
OFF_CURVE = b64(b"\x04" + b"\x01" * 64)


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
    sender = WebPushSender(
        lambda: vapid_key(reminders.app), "mailto:noreply@localhost", allow_local=True
    )
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
    assert valid_subscription(good, allow_local=False) is not None
    assert valid_subscription({**good, "endpoint": "http://127.0.0.1:9/x"}, allow_local=False) is None
    assert valid_subscription({**good, "endpoint": "http://127.0.0.1:9/x"}, allow_local=True) is not None
    assert valid_subscription({**good, "endpoint": "https://localhost:9/x"}, allow_local=True) is not None
    # Local means this machine, not the network it sits in.
    assert valid_subscription({**good, "endpoint": "http://10.0.0.1/x"}, allow_local=True) is None
    assert valid_subscription({**good, "endpoint": "file:///etc/passwd"}, allow_local=True) is None
    assert valid_subscription({**good, "keys": {"p256dh": "AAAA", "auth": auth}}, allow_local=False) is None
    assert valid_subscription({**good, "keys": {"p256dh": p256dh, "auth": "!!"}}, allow_local=False) is None
    assert valid_subscription({"endpoint": "https://x.example/" + "a" * 1000, "keys": good["keys"]}, allow_local=False) is None


@pytest.mark.parametrize(
    "p256dh",
    [
        OFF_CURVE,  # pywebpush would raise "Invalid EC key" in the middle of a tick
        b64(b"\x04" + b"\x00" * 64),
        b64(b"\x04" + b"\xff" * 64),
        b64(b"\x02" + b"\x01" * 32),
    ],
)
def test_a_key_that_is_no_p256_point_is_refused(p256dh: str) -> None:
    _, _, auth = subscriber_keys()
    data = {"endpoint": "https://fcm.googleapis.com/x", "keys": {"p256dh": p256dh, "auth": auth}}
    assert valid_subscription(data, allow_local=False) is None


def test_key_text_with_characters_base64_ignores_is_refused() -> None:
    _, p256dh, auth = subscriber_keys()
    for keys in ({"p256dh": p256dh + "\x00", "auth": auth}, {"p256dh": p256dh, "auth": auth + "\ud800"},
                 {"p256dh": " " + p256dh, "auth": auth}):
        data = {"endpoint": "https://fcm.googleapis.com/x", "keys": keys}
        assert valid_subscription(data, allow_local=False) is None


def test_one_forged_subscription_does_not_stop_the_others(
    reminders: Reminders, service: FakePushService, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 17, finding 1: a key off the curve, stored without the route's check (as rows from
    before it were), among 21 people due at the same minute."""
    people = [reminders.person(at=time(12, 0), devices=0) for _ in range(21)]
    for n in range(1, 15):  # someone the daily evaluation has something to evaluate for
        reminders.check_in(people[0], MONDAY - timedelta(days=n))
    forged = people[10]
    for user in people:
        if user != forged:
            subscribe(reminders, user, service, f"device-{user}")
    _, _, auth = subscriber_keys()
    forged_endpoint = f"{service.origin}/push/forged-{forged}"
    with reminders.app.app_context():
        db.session.add(PushSubscription(user_id=forged, endpoint=forged_endpoint, p256dh=OFF_CURVE,
                                        auth=auth, created_at=reminders.now))
        db.session.commit()
    caplog.set_level(logging.INFO)

    reminders.at(datetime(2026, 5, 4, 10, 0, tzinfo=UTC))  # 12:00 in Amsterdam
    report = tick_for_real(reminders)

    assert service.errors == []
    assert len(service.received) == 20
    assert dict(report.outcomes) == {"sent": 20, "failed": 1}
    assert report.evaluated == 1
    for user in people:
        [row] = reminders.deliveries(user)
        expected = ("failed", "push_invalid") if user == forged else ("sent", "")
        assert (row.status, row.detail) == expected
    assert reminders.devices(forged) == 0  # never tried again
    assert forged_endpoint not in caplog.text and "forged" not in caplog.text
    assert any(r.levelno == logging.WARNING and r.name == "journal.reminders" for r in caplog.records)


def test_a_host_that_now_resolves_inside_is_not_sent_to(
    reminders: Reminders, names: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked again just before sending: the name resolved publicly when the browser
    subscribed, and its DNS has since been pointed inside."""
    user = reminders.person(devices=0)
    _, p256dh, auth = subscriber_keys()
    with reminders.app.app_context():
        db.session.add(PushSubscription(user_id=user, endpoint="https://moved.example/push/1",
                                        p256dh=p256dh, auth=auth, created_at=reminders.now))
        db.session.commit()
    names["moved.example"] = ["10.0.0.7"]
    requests_made: list[str] = []

    def no_network(self: requests.Session, request: requests.PreparedRequest, **_: object) -> None:
        requests_made.append(str(request.url))
        raise requests.ConnectionError("blocked by the test")

    monkeypatch.setattr(requests.Session, "send", no_network)
    reminders.at(reminders.due(user, MONDAY))
    tick_for_real(reminders)
    assert requests_made == []
    [row] = reminders.deliveries(user)
    assert (row.status, row.detail) == ("failed", "push_failed")
    assert reminders.devices(user) == 1  # DNS may be fixed again tomorrow


def test_a_redirect_is_not_followed(reminders: Reminders, service: FakePushService) -> None:
    """A push service's 307 would otherwise send the request on to any address."""
    user = reminders.person(devices=0)
    service.redirect_to = f"{service.origin}/push/inside"
    subscribe(reminders, user, service, f"redirect-{user}")
    reminders.at(reminders.due(user, MONDAY))
    tick_for_real(reminders)
    assert service.hits == [f"/push/redirect-{user}"]
    [row] = reminders.deliveries(user)
    assert (row.status, row.detail) == ("failed", "push_failed")
