"""Helpers of the coach-account and second-factor tests (issue 20): registering a coach and
setting up the factor through the real forms, and reading codes the way an app would."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any

import pyotp
from flask.testing import FlaskClient

from tests.conftest import FROZEN_NOW, PASSWORD

COACH_EMAIL = "coach@example.org"
STEP = timedelta(seconds=30)


def code_at(secret: str, steps: int = 0, now: datetime = FROZEN_NOW) -> str:
    """What the authenticator app shows `steps` periods from the app's (frozen) now."""
    return str(pyotp.TOTP(secret).at(now + steps * STEP))


def secret_on(page: str) -> str:
    """The set-up key as the page shows it (in groups of four), without the spaces."""
    found = re.search(r"<code class=\"factor-secret\" data-secret>([A-Z2-7 ]+)</code>", page)
    assert found, page
    return found.group(1).replace(" ", "")


def recovery_codes_on(page: str) -> list[str]:
    return re.findall(r"<li><code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</code></li>", page)


def text_of(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def register_coach(client: FlaskClient, email: str = COACH_EMAIL, **fields: str) -> Any:
    data = {
        "email": email,
        "password": PASSWORD,
        "display_name": "Marieke de Vries",
        "practice": "Praktijk Herstel",
        "timezone": "Europe/Amsterdam",
        **fields,
    }
    return client.post("/coach/register", data=data, headers={"Accept-Language": "en"})


def set_up_factor(client: FlaskClient, path: str = "/coach/security") -> tuple[str, list[str]]:
    """Open the security page, read the key, confirm with a first code: (secret, codes)."""
    secret = secret_on(client.get(path).get_data(as_text=True))
    done = client.post(f"{path}/confirm", data={"code": code_at(secret)})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = recovery_codes_on(done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def log_in(client: FlaskClient, email: str = COACH_EMAIL, **extra: str) -> Any:
    return client.post("/login", data={"email": email, "password": PASSWORD, **extra})
