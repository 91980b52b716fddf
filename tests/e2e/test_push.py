"""Issue 6 in the browser: turn on notifications on the settings page, receive a reminder in
the real service worker, see the notification, and land on the check-in when it is tapped.

What a headless Chromium on a closed network can and cannot do decides the shape:
- `pushManager.subscribe()` needs the browser vendor's push service, so PushManager is stubbed
  (context.add_init_script) to hand out a subscription whose endpoint is our fake push service
  on 127.0.0.1 and whose keys this test made (/work/shared/TESTING.md). static/push.js runs as
  is: the permission prompt (granted to the context), the subscribe call with our VAPID key,
  and the POST to the server.
- The server then sends for real: a scheduler tick with pywebpush, VAPID-signed and encrypted,
  to the fake push service, which checks the signature and decrypts the payload.
- The fake service cannot reach the browser, so the decrypted payload is delivered to the real
  service worker through CDP `ServiceWorker.deliverPushMessage`; registration.getNotifications()
  must then show it, with the payload's title, body and tag.
- No one can click an OS notification in headless Chromium, so the worker's own
  `notificationclick` listener is run by dispatching a NotificationEvent for that notification
  inside the worker; its page must go to the check-in.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from journal.extensions import db
from journal.models import PushSubscription, ReminderSettings, User
from journal.reminders import reschedule
from journal.reminders.push import application_server_key
from journal.reminders.tick import Senders, default_senders, run_tick
from tests.e2e.helpers import LiveServer, assert_axe_clean, register
from tests.reminders.fake_push import FakePushService, start
from tests.reminders.keys import VAPID_PEM, subscriber_keys

pytestmark = pytest.mark.e2e

PASSWORD = "rustig aan, stap voor stap"
# A Monday morning, 08:00 in Amsterdam; the tick runs at 09:00, the person's reminder time.
PLANNED_AT = datetime(2030, 1, 7, 7, 0, tzinfo=UTC)
TICK_AT = datetime(2030, 1, 7, 8, 0, 30, tzinfo=UTC)

# Replaces the browser's push subscription with one on the fake push service. Kept in
# localStorage so getSubscription() still finds it after a reload, as a real one would be.
STUB = """
(() => {
  const fake = %s;
  const KEY = "test-push-subscription";
  const decode = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")
    + "=".repeat((4 - text.length %% 4) %% 4)), (c) => c.charCodeAt(0)).buffer;
  const make = () => ({
    endpoint: fake.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true },
    getKey: (name) => decode(fake.keys[name]),
    toJSON: () => ({ endpoint: fake.endpoint, expirationTime: null, keys: fake.keys }),
    unsubscribe: async () => { localStorage.removeItem(KEY); return true; },
  });
  if (!self.PushManager) return;
  PushManager.prototype.subscribe = async function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    localStorage.setItem("test-push-options", JSON.stringify({
      userVisibleOnly: options.userVisibleOnly, key: btoa(String.fromCharCode(...key)),
    }));
    localStorage.setItem(KEY, "1");
    return make();
  };
  PushManager.prototype.getSubscription = async function () {
    return localStorage.getItem(KEY) ? make() : null;
  };
})();
"""


@pytest.fixture
def push_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePushService]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    service = FakePushService()
    server, thread = start(service)
    yield service
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def push_app(live_server: LiveServer) -> Flask:
    """The live app with a VAPID key of its own (never one in the repository's instance/)."""
    live_server.app.config["JOURNAL"].update(VAPID_PRIVATE_KEY=VAPID_PEM, PUSH_ALLOW_LOCAL=True)
    return live_server.app


def register_and_log_in(page: Page) -> str:
    email = f"push-{uuid.uuid4().hex[:10]}@example.org"
    register(page, email, PASSWORD)  # registering signs the person in (issue 19)
    return email


def notifications(page: Page) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(
        """navigator.serviceWorker.ready
             .then((r) => r.getNotifications())
             .then((all) => all.map((n) => ({title: n.title, body: n.body, tag: n.tag,
                                              data: n.data})))"""
    )
    return found


def send_tick(app: Flask, email: str) -> None:
    """The scheduler's tick at the person's reminder time, with the real push sender."""
    keep = app.config["FIXED_NOW"]
    try:
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            assert user is not None
            row = db.session.get(ReminderSettings, user.id)
            assert row is not None and row.enabled and row.push
            row.remind_at = row.remind_at.replace(hour=9, minute=0)
            reschedule(row, user.timezone, PLANNED_AT)
            db.session.commit()
        app.config["FIXED_NOW"] = TICK_AT
        with app.app_context():
            real = default_senders(app)
            try:
                report = run_tick(worker="e2e", senders=Senders(push=real.push, mail=None))
            finally:
                real.close()
        assert report.outcomes["sent"] == 1, report
    finally:
        app.config["FIXED_NOW"] = keep


def test_subscribe_receive_and_open_the_checkin(
    context: BrowserContext,
    live_server: LiveServer,
    push_app: Flask,
    push_service: FakePushService,
    screenshot_dir: Path,
) -> None:
    context.set_default_timeout(10_000)
    worker_source = push_app.test_client().get("/sw.js").get_data(as_text=True)
    assert "/static/sw-push.js" in worker_source, (
        'static/sw.js must load the push handlers: importScripts("/static/sw-push.js")'
    )
    private_key, p256dh, auth = subscriber_keys()
    endpoint = push_service.endpoint("browser", private_key, auth)
    context.add_init_script(
        STUB % json.dumps({"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}})
    )
    context.grant_permissions(["notifications"], origin=live_server.url)

    page = context.new_page()
    email = register_and_log_in(page)
    page.goto("/settings")
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    # The person's controls: reminders on, by notification (the defaults keep the rest).
    page.locator("#f-enabled").check()
    page.locator("#f-push").check()
    page.locator("form.reminder-form button.primary").tap()
    expect(page.locator(".flash")).to_be_visible()
    assert_axe_clean(page)

    # Turn on notifications on this device: push.js asks, subscribes and tells the server.
    box = page.locator("[data-push]")
    with page.expect_response(lambda r: r.url.endswith("/settings/push/subscribe")) as answer:
        page.locator("[data-push-on]").tap()
    assert answer.value.status == 200
    expect(page.locator("[data-push-status]")).to_have_text(box.get_attribute("data-t-on") or "")
    expect(page.locator("[data-push-off]")).to_be_visible()
    expect(page.locator("[data-push-on]")).to_be_hidden()
    expect(page.locator("[data-push-devices]")).to_have_text(
        box.get_attribute("data-t-devices-one") or ""
    )
    page.screenshot(path=screenshot_dir / "reminder-settings-phone.png", full_page=True)
    options = json.loads(page.evaluate("localStorage.getItem('test-push-options')"))
    assert options["userVisibleOnly"] is True
    server_key = application_server_key(push_app)
    assert base64.b64decode(options["key"]) == base64.urlsafe_b64decode(server_key + "==")
    with push_app.app_context():
        [device] = db.session.scalars(
            select(PushSubscription).where(PushSubscription.endpoint == endpoint)
        )
        assert (device.p256dh, device.auth) == (p256dh, auth)

    # The scheduler sends it: signed and encrypted, to the fake push service.
    send_tick(push_app, email)
    assert push_service.errors == []
    [received] = push_service.received
    payload = received.payload
    assert set(payload) == {"title", "body", "url", "tag"}
    assert received.headers["topic"] == payload["tag"]

    # The push service would now hand it to the browser: CDP does that part.
    cdp = context.new_cdp_session(page)
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not any(r["scopeURL"] == live_server.url + "/" for r in registrations):
        assert time.monotonic() < deadline, registrations
        page.wait_for_timeout(50)
    registration = next(r for r in registrations if r["scopeURL"] == live_server.url + "/")
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(payload),
        },
    )
    deadline = time.monotonic() + 10
    while not (shown := [n for n in notifications(page) if n["tag"] == payload["tag"]]):
        assert time.monotonic() < deadline, "no notification appeared"
        page.wait_for_timeout(100)
    [notification] = shown
    assert (notification["title"], notification["body"]) == (payload["title"], payload["body"])
    assert notification["data"]["url"] == live_server.url + "/checkin"

    # The same reminder delivered again replaces it (same tag) instead of stacking.
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(payload),
        },
    )
    page.wait_for_timeout(300)
    assert len([n for n in notifications(page) if n["tag"] == payload["tag"]]) == 1

    # "Tapping" it: the worker's notificationclick listener, run inside the worker.
    [worker] = [w for w in context.service_workers if w.url.startswith(live_server.url)]
    worker.evaluate(
        """async (tag) => {
             const [notification] = await self.registration.getNotifications({ tag });
             self.dispatchEvent(new NotificationEvent("notificationclick", { notification }));
           }""",
        payload["tag"],
    )
    expect(page).to_have_url(live_server.url + "/checkin")
    expect(page.locator("form.checkin")).to_be_visible()
    assert [n for n in notifications(page) if n["tag"] == payload["tag"]] == []  # closed


def test_turning_notifications_off_on_this_device(
    context: BrowserContext,
    live_server: LiveServer,
    push_app: Flask,
    push_service: FakePushService,
) -> None:
    context.set_default_timeout(10_000)
    private_key, p256dh, auth = subscriber_keys()
    endpoint = push_service.endpoint("second", private_key, auth)
    context.add_init_script(
        STUB % json.dumps({"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}})
    )
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    register_and_log_in(page)
    page.goto("/settings")
    page.locator("[data-push-on]").tap()
    expect(page.locator("[data-push-off]")).to_be_visible()
    page.reload()  # the browser still holds the subscription: the page says so
    expect(page.locator("[data-push-off]")).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/settings/push/unsubscribe")):
        page.locator("[data-push-off]").tap()
    expect(page.locator("[data-push-on]")).to_be_visible()
    expect(page.locator("[data-push-off]")).to_be_hidden()
    with push_app.app_context():
        assert (
            db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
            is None
        )
