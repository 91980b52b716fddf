"""Rate limits on password guesses, registrations and share-link lookups (issue 17, finding 4).

Every test runs on both databases and on both storages of the counters: in memory, and the real
Redis at 127.0.0.1:6379 (database 15, or one per xdist worker, emptied around each test). Without Redis the Redis half is
skipped, except in CI, where it fails: `.ci/run` starts Redis.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from limits.storage import MemoryStorage, RedisStorage

from journal.extensions import limiter
from journal.web import auth, rate_limits
from journal.web.rate_limits import LIMITS, Guard
from tests.conftest import PASSWORD, Accounts

# A database of its own, flushed by the tests: 15, and under pytest-xdist one per worker
# (gw0 15, gw1 14, ...) so that two workers never empty each other's counters.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = f"redis://127.0.0.1:6379/{15 - _WORKER % 16}"
WRONG = "not the password"


def _redis() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail("Redis does not answer at 127.0.0.1:6379 (.ci/run starts it)")
        pytest.skip("Redis does not answer at 127.0.0.1:6379")
    return client


@pytest.fixture(params=["memory", "redis"])
def storage(request: pytest.FixtureRequest) -> Iterator[redis.Redis | None]:
    """The Redis client when the counters live in Redis, else None."""
    if request.param == "memory":
        yield None
        return
    client = _redis()
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def app_overrides(storage: redis.Redis | None) -> dict[str, Any]:
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://" if storage is None else REDIS_URL,
    }


def _amount(guard: Guard) -> int:
    """The number of requests the guard's tightest limit allows."""
    return min(int(part.split()[0]) for part in LIMITS[guard].split(";"))


def _guess(client: FlaskClient, email: str = "sanne@example.org", address: str = "198.51.100.7", **kwargs: Any) -> Any:
    return client.post(
        "/login", data={"email": email, "password": WRONG}, environ_base={"REMOTE_ADDR": address}, **kwargs
    )


def _retry_after(response: Any) -> int:
    value = response.headers.get("Retry-After", "")
    assert value.isdigit(), response.headers
    return int(value)


def test_the_counters_live_in_the_chosen_storage(app: Flask, storage: redis.Redis | None, client: FlaskClient) -> None:
    assert isinstance(limiter.storage, MemoryStorage if storage is None else RedisStorage)
    _guess(client)
    if storage is not None:
        keys = [key.decode() for key in storage.keys("*")]
        assert keys and all(key.startswith("LIMITS:LIMITER/hersteldagboek/") for key in keys)
        # The per-account counter is named by a keyed hash, never by the address typed.
        assert not any("sanne" in key or "example.org" in key for key in keys)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ("Even wachten", r"Er waren te veel pogingen in korte tijd\. Je kunt het over (\d\d seconden|1 minuut|2 minuten) opnieuw proberen\.", "Terug naar het begin")),
        ("en", ("Please wait a moment", r"There were too many attempts in a short time\. You can try again in (\d\d seconds|1 minute|2 minutes)\.", "Back to the start")),
    ],
)
def test_the_11th_failed_login_in_a_minute_gets_a_kind_429(
    app: Flask, client: FlaskClient, accounts: Accounts, language: str, words: tuple[str, ...]
) -> None:
    accounts.create()
    headers = {"Accept-Language": language}
    assert _amount(Guard.LOGIN_ADDRESS) == 10
    # Ten guesses at ten addresses typed, so that only the per-address limit is met.
    for n in range(10):
        assert _guess(client, f"guess{n}@example.org", headers=headers).status_code == 401
    limited = _guess(client, "sanne@example.org", headers=headers)
    assert limited.status_code == 429
    # The window is a minute from the first guess; Flask-Limiter rounds its end up a second.
    assert 50 <= _retry_after(limited) <= 61
    assert limited.headers["Cache-Control"] == "no-store"
    page = limited.get_data(as_text=True)
    assert f'<html lang="{language}">' in page
    title, message, home = words
    assert title in page and home in page
    assert re.search(message, page), page
    assert 'href="/"' in page and 'class="safety-link"' in page  # inside the app's layout
    # The right password from the same address waits too: the check comes before the hash.
    right = client.post("/login", data={"email": "sanne@example.org", "password": PASSWORD}, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert right.status_code == 429
    # Another address is not held back.
    assert _guess(client, "sanne@example.org", address="198.51.100.8").status_code == 401


def test_a_limited_guess_costs_no_hashing(app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    verified: list[str] = []
    real = auth.verify_password

    def counting(user: Any, password: str) -> bool:
        verified.append(password)
        return real(user, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    for n in range(10):
        _guess(client, f"guess{n}@example.org")
    assert len(verified) == 10
    assert _guess(client).status_code == 429
    assert len(verified) == 10


def test_guesses_at_one_account_from_many_addresses_add_up(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    accounts.create()
    accounts.create("daan@example.org")
    assert _amount(Guard.LOGIN_ACCOUNT) == 10
    for n in range(10):
        # The address typed is normalised first: case and spaces make no new account.
        assert _guess(client, " Sanne@Example.org ", address=f"203.0.113.{n + 1}").status_code == 401
    limited = _guess(client, address="203.0.113.200")
    assert limited.status_code == 429
    assert 60 < _retry_after(limited) <= 15 * 60 + 1  # rounded up a second, as above
    # Only that account: another one logs in from a fresh address as ever.
    other = client.post("/login", data={"email": "daan@example.org", "password": PASSWORD}, environ_base={"REMOTE_ADDR": "203.0.113.201"})
    assert other.status_code == 302


def test_an_ipv6_guesser_counts_as_one_64(app: Flask, client: FlaskClient) -> None:
    for n in range(10):
        assert _guess(client, f"guess{n}@example.org", address=f"2001:db8:1:2::{n + 1:x}").status_code == 401
    assert _guess(client, "other@example.org", address="2001:db8:1:2:ffff::1").status_code == 429
    assert _guess(client, "other@example.org", address="2001:db8:1:3::1").status_code == 401


def test_right_passwords_do_not_count(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    accounts.create()
    for _ in range(_amount(Guard.LOGIN_ACCOUNT) + 2):
        assert accounts.login().status_code == 302
        assert accounts.logout().status_code == 302


def test_a_correct_password_works_again_after_the_limit_resets(
    app: Flask, client: FlaskClient, accounts: Accounts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a 2-second window, waiting for as long as Retry-After says lets the person in."""
    monkeypatch.setitem(rate_limits.LIMITS, Guard.LOGIN_ACCOUNT, "3 per 2 seconds")
    accounts.create()
    for _ in range(3):
        assert _guess(client).status_code == 401
    limited = client.post("/login", data={"email": "sanne@example.org", "password": PASSWORD})
    assert limited.status_code == 429
    wait = _retry_after(limited)
    assert 1 <= wait <= 3
    time.sleep(wait)
    assert accounts.login().status_code == 302


def test_a_script_gets_json(app: Flask, client: FlaskClient) -> None:
    for n in range(10):
        _guess(client, f"guess{n}@example.org")
    limited = _guess(client, headers={"Accept": "application/json", "Accept-Language": "en"})
    assert limited.status_code == 429
    assert limited.is_json
    body = limited.get_json()
    assert body["error"] == "rate_limited"
    assert body["message"].startswith("There were too many attempts in a short time.")
    assert _retry_after(limited) >= 1


def test_an_ordinary_visitor_is_never_limited_on_the_login_page(app: Flask, client: FlaskClient) -> None:
    for _ in range(40):
        assert client.get("/login").status_code == 200
    for n in range(11):
        _guess(client, f"guess{n}@example.org")
    assert client.get("/login").status_code == 200  # only guesses are refused, not the page


def test_registering_is_limited_per_address(app: Flask, client: FlaskClient) -> None:
    assert _amount(Guard.REGISTER_ADDRESS) == 5
    for n in range(5):
        # A password too short: refused without hashing, and it counts all the same.
        response = client.post("/register", data={"email": f"new{n}@example.org", "password": "short"})
        assert response.status_code == 422
    limited = client.post("/register", data={"email": "new@example.org", "password": "long enough password"})
    assert limited.status_code == 429
    assert client.get("/register").status_code == 200


def test_checking_the_current_password_is_limited(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    accounts.create()
    assert accounts.login().status_code == 302
    assert _amount(Guard.PASSWORD_ACCOUNT) == 5
    # Password change and account deletion share one counter.
    for n in range(5):
        url = "/account/password" if n % 2 else "/account/delete"
        data = {"current_password": WRONG, "delete_password": WRONG, "new_password": "a brand new password"}
        assert client.post(url, data=data).status_code == 422
    for url, field in (("/account/password", "current_password"), ("/account/delete", "delete_password")):
        limited = client.post(url, data={field: PASSWORD, "new_password": "a brand new password"})
        assert limited.status_code == 429, url
        assert _retry_after(limited) > 60
    # The account is still there and the person is still logged in.
    assert client.get("/account").status_code == 200


def test_the_current_password_limit_is_per_address_too(app: Flask, accounts: Accounts) -> None:
    """Several sessions of several accounts from one address (a stolen-cookie collection, say)."""
    assert _amount(Guard.PASSWORD_ADDRESS) == 10
    devices = []
    for n in range(3):
        accounts.create(f"person{n}@example.org")
        device = app.test_client()
        device.post("/login", data={"email": f"person{n}@example.org", "password": PASSWORD})
        devices.append(device)
    statuses = [
        devices[n % 3].post("/account/password", data={"current_password": WRONG, "new_password": "x" * 12}).status_code
        for n in range(11)
    ]
    assert statuses == [422] * 10 + [429]


def test_share_lookups_are_limited_per_address(app: Flask, client: FlaskClient) -> None:
    assert _amount(Guard.SHARE_ADDRESS) == 30
    for n in range(15):
        assert client.get(f"/s/unknown-token-{n}").status_code == 404
        assert client.get(f"/s/unknown-token-{n}.pdf").status_code == 404
    for url in ("/s/unknown-token-x", "/s/unknown-token-x.pdf"):
        limited = client.get(url, headers={"Accept-Language": "en"})
        assert limited.status_code == 429
        assert "There were too many attempts" in limited.get_data(as_text=True)
        assert _retry_after(limited) >= 1
    assert client.get("/s/unknown-token-y", environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code == 404


def test_the_wait_is_rounded_up_to_whole_minutes(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        words = [rate_limits._wait_words(s) for s in (1, 59, 61, 600, 899, 3540, 3600)]
    assert words == ["in 1 second", "in 59 seconds", "in 2 minutes", "in 10 minutes", "in 15 minutes", "in 59 minutes", "in 1 hour"]


def test_every_limit_is_in_the_readme() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for limit in LIMITS.values():
        for part in limit.split(";"):
            assert re.search(rf"\b{re.escape(part.strip())}\b", readme), part


# --- Account recovery (issue 19) ---------------------------------------------------------------


def test_asking_for_a_new_password_is_limited_per_address(app: Flask, client: FlaskClient) -> None:
    assert _amount(Guard.FORGOT_ADDRESS) == 5
    for n in range(5):
        assert client.post("/password/forgot", data={"email": f"n{n}@example.org"}).status_code == 303
    limited = client.post("/password/forgot", data={"email": "other@example.org"})
    assert limited.status_code == 429
    assert client.get("/password/forgot").status_code == 200  # the form itself is not held back


def test_mails_to_one_address_are_limited(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    """From however many client addresses: nobody can fill someone's inbox with our mails."""
    assert _amount(Guard.ACCOUNT_MAIL) == 3
    accounts.create()
    for n in range(3):
        answer = client.post(
            "/password/forgot", data={"email": "Sanne@example.org"}, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}
        )
        assert answer.status_code == 303
    limited = client.post("/password/forgot", data={"email": "sanne@example.org"}, environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert limited.status_code == 429
    # Sending the confirmation again, signed in, counts against the same address.
    assert accounts.login().status_code == 302
    assert client.post("/email/resend", environ_base={"REMOTE_ADDR": "198.51.100.10"}).status_code == 429
    assert client.post("/password/forgot", data={"email": "anouk@example.org"}).status_code == 303


def test_opening_account_links_is_limited_per_address(app: Flask, client: FlaskClient) -> None:
    assert _amount(Guard.ACCOUNT_LINK_ADDRESS) == 20
    for n in range(10):
        assert client.get(f"/password/reset/unknown-{n}").status_code == 404
        assert client.get(f"/email/verify/unknown-{n}").status_code == 404
    for url in ("/password/reset/unknown-x", "/email/verify/unknown-x"):
        assert client.get(url).status_code == 429
    assert client.post("/password/reset/unknown-y", data={"password": "x" * 12}).status_code == 429
