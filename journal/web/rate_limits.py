"""Rate limits on every route that checks a secret: passwords and share tokens (issue 17).

Without them one address made 406–652 password guesses a minute, and since every guess costs
Argon2 time, everyone else's pages slowed down with it. Flask-Limiter checks the limits in a
before-request hook, so a refused guess never reaches the password hash.

What counts. A password check counts only when the password was wrong (`password_refused`),
so a person who types it right is never held back, however often they log in. Registering,
opening a share link, asking for a reset link or a confirmation mail and opening a mailed link
count every request: all are rare for a person and a coach.

Where the counters live: in memory per process by default, so `make run` needs nothing; in
Redis when JOURNAL_RATELIMIT_STORAGE_URI says so, which several gunicorn workers or hosts need
to share one count. When Redis stops answering, each process counts in memory until it is back,
rather than failing every login.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import time
from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum

from flask import Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_limiter import RouteLimit
from werkzeug.exceptions import TooManyRequests

from journal.extensions import limiter
from journal.web.json_routes import reply, wants_json


class Guard(StrEnum):
    """One counter each; the value names it in the storage, shared by the routes that use it."""

    LOGIN_ADDRESS = "login-address"
    LOGIN_ACCOUNT = "login-account"
    REGISTER_ADDRESS = "register-address"
    PASSWORD_ADDRESS = "password-address"  # changing the password, deleting the account
    PASSWORD_ACCOUNT = "password-account"
    SHARE_ADDRESS = "share-address"  # the coach's page and its PDF
    # Account recovery (issue 19): asking for a reset link; the mails to one address (asking
    # for a reset link, sending the confirmation again, changing to it); opening a mailed link.
    FORGOT_ADDRESS = "forgot-address"
    ACCOUNT_MAIL = "account-mail"
    ACCOUNT_LINK_ADDRESS = "account-link-address"


# Chosen so that a person never meets them and a guesser does: ten wrong passwords in a minute
# is no typing error. The README lists them; read at every request, so a test can shorten one.
LIMITS: dict[Guard, str] = {
    Guard.LOGIN_ADDRESS: "10 per minute;50 per hour",
    Guard.LOGIN_ACCOUNT: "10 per 15 minutes",
    Guard.REGISTER_ADDRESS: "5 per minute;20 per hour",
    Guard.PASSWORD_ADDRESS: "10 per minute;50 per hour",
    Guard.PASSWORD_ACCOUNT: "5 per 15 minutes",
    Guard.SHARE_ADDRESS: "30 per minute;300 per hour",
    Guard.FORGOT_ADDRESS: "5 per minute;20 per hour",
    # Nobody can fill someone's inbox with our mails, from however many addresses.
    Guard.ACCOUNT_MAIL: "3 per hour;10 per day",
    Guard.ACCOUNT_LINK_ADDRESS: "20 per minute;100 per hour",
}


def client_address() -> str:
    """The address the request came from; an IPv6 address counts as its /64.

    One IPv6 customer usually holds a whole /64, so counting single addresses would let one
    guesser count as billions. Behind a proxy this is the proxy's address unless the app is
    told to trust X-Forwarded-For (README, Deploying): trusting it by default would let anyone
    pick a fresh address per guess.
    """
    text = request.remote_addr or ""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return text or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def account_key(name: str) -> str:
    """A counter name for an account that keeps its e-mail address out of the storage."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    # surrogatepass: whatever was typed, even a lone surrogate, is a key and never a 500.
    digest = hmac.new(secret, name.encode("utf-8", "surrogatepass"), hashlib.sha256)
    return digest.hexdigest()[:32]


def guarded(
    guard: Guard,
    key: Callable[[], str] = client_address,
    *,
    only_when: Callable[[Response], bool] | None = None,
    methods: tuple[str, ...] | None = ("POST",),
) -> RouteLimit:
    """The decorator that puts a route under the guard's limit.

    `only_when` decides from the answer whether the request counts (None: every one does);
    `methods` None limits every method. Routes under one guard share its counter.
    """
    return limiter.shared_limit(
        lambda: LIMITS[guard],
        scope=guard.value,
        key_func=key,
        deduct_when=only_when,
        methods=list(methods) if methods else None,
    )


def _wait_seconds() -> int:
    limit = limiter.current_limit
    if limit is None:  # not from a limit of ours; an upstream 429, say
        return 60
    return max(1, limit.reset_at - math.floor(time.time()))


def _wait_words(seconds: int) -> str:
    # Rounded up to whole minutes, and a larger unit only once a whole one is due (threshold
    # 1): "in 1 minute" for 61 or for 50 seconds would send the person back too early.
    wait = timedelta(seconds=seconds if seconds < 60 else 60 * math.ceil(seconds / 60))
    return str(format_timedelta(wait, granularity="second", threshold=1, add_direction=True))


def too_many_requests(_error: TooManyRequests) -> ResponseReturnValue:
    """429 with Retry-After: a kind page in the person's language, or JSON for a script."""
    seconds = _wait_seconds()
    message = _(
        "There were too many attempts in a short time. You can try again %(wait)s.",
        wait=_wait_words(seconds),
    )
    if wants_json():
        response, status = reply(429, error="rate_limited", message=message)
    else:
        response = current_app.make_response(render_template("errors/429.html", message=message))
        status = 429
        response.headers["Cache-Control"] = "no-store"
    response.headers["Retry-After"] = str(seconds)
    return response, status
