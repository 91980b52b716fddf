"""Helpers of the coach tests (issue 20): coaches made straight in the database
(User + CoachProfile + a confirmed second factor), or registered and given their factor
through the real forms; signed in through the real password and code steps (pyotp plays the
authenticator app); and clients who invite them through the real /share forms.

FROZEN_NOW is Tuesday 10 March 2026, 08:30 in Amsterdam; TODAY is that date.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from journal.clock import now_utc
from journal.domain.checkin import CheckIn
from journal.extensions import db
from journal.models import CoachConnection, CoachProfile, SecondFactor, User
from journal.web import auth
from tests.conftest import FROZEN_NOW, PASSWORD, store_diary
from tests.domain.scenario_builder import default_day
from tests.web.sharing import TODAY

__all__ = ["TODAY"]

COACH_EMAIL = "coach@example.org"
STEP = timedelta(seconds=30)


@dataclass
class Coach:
    id: int
    email: str
    code: str
    secret: str


def make_coach(
    app: Flask,
    email: str,
    name: str = "Coach Anna",
    practice: str = "Praktijk Rust",
    code: str = "K7M-4QX",
    language: str = "en",
) -> Coach:
    secret = pyotp.random_base32()
    with app.app_context():
        user = User(
            email=email,
            password_hash=auth.hasher.hash(PASSWORD),  # read per call: tests make it cheap
            created_at=now_utc(),
            email_verified_at=now_utc(),
            welcomed_at=now_utc(),
            language=language,
        )
        db.session.add(user)
        db.session.flush()
        db.session.add(
            CoachProfile(
                user_id=user.id,
                display_name=name,
                practice=practice,
                code=code,
                created_at=now_utc(),
            )
        )
        db.session.add(SecondFactor(user_id=user.id, secret=secret, confirmed_at=now_utc()))
        db.session.commit()
        return Coach(int(user.id), email, code, secret)


def coach_login(client: FlaskClient, coach: Coach, step: int = 0) -> None:
    """Password, then the code of the frozen moment (+ `step` periods of 30 s, for a second
    sign-in of the same coach: a code is never accepted twice)."""
    response = log_in(client, coach.email)
    assert response.status_code == 302, response.status_code
    response = client.post("/login/code", data={"code": code_at(coach.secret, step)})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def code_at(secret: str, steps: int = 0, now: datetime = FROZEN_NOW) -> str:
    """What the authenticator app shows `steps` periods from the app's (frozen) now."""
    return str(pyotp.TOTP(secret).at(now + steps * STEP))


def log_in(client: FlaskClient, email: str = COACH_EMAIL, **extra: str) -> Any:
    """The password step alone."""
    return client.post("/login", data={"email": email, "password": PASSWORD, **extra})


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
    """Through the real /coach/register form, in English."""
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


def invite(client: FlaskClient, coach: str, **form: Any) -> Any:
    """The person's two steps on /share: review, then confirm."""
    data = {"coach": coach, "client_name": "Sanne", "period": "everything", **form}
    review = client.post("/share/coach", data=data)
    assert review.status_code == 200, review.status_code
    return client.post("/share/coach", data={**data, "confirm": "1"})


def connections_of(app: Flask, person_id: int) -> list[CoachConnection]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(CoachConnection)
                .where(CoachConnection.person_id == person_id)
                .order_by(CoachConnection.id)
            )
        )
        db.session.expunge_all()
        return rows


def accept_all(client: FlaskClient, app: Flask, coach: Coach) -> None:
    with app.app_context():
        ids = list(
            db.session.scalars(
                select(CoachConnection.id).where(
                    CoachConnection.coach_id == coach.id, CoachConnection.accepted_at.is_(None)
                )
            )
        )
    for connection_id in ids:
        response = client.post(f"/coach/invitations/{connection_id}", data={"answer": "accept"})
        assert response.status_code == 302


def calm_diary(days: int, last: date) -> list[CheckIn]:
    """Part E's default day (calm and steady) for `days` days up to `last`."""
    return [replace(default_day(1), date=last - timedelta(days=back)) for back in range(days)]


def connect(
    app: Flask,
    person_id: int,
    coach: Coach,
    name: str,
    period: str = "everything",
    starts_on: date = TODAY,
    accepted: bool = True,
) -> int:
    """A connection written straight to the database (the forms are tested elsewhere)."""
    with app.app_context():
        connection = CoachConnection(
            person_id=person_id,
            coach_id=coach.id,
            client_name=name,
            period=period,
            starts_on=starts_on,
            created_at=now_utc(),
            accepted_at=now_utc() if accepted else None,
        )
        db.session.add(connection)
        db.session.commit()
        return int(connection.id)


def client_person(app: Flask, email: str, records: list[CheckIn]) -> int:
    """A client with a diary, not logged in anywhere."""
    with app.app_context():
        user = User(
            email=email,
            password_hash="x",
            created_at=now_utc(),
            email_verified_at=now_utc(),
            welcomed_at=now_utc(),
        )
        db.session.add(user)
        db.session.commit()
        user_id = int(user.id)
    store_diary(app, user_id, records)
    return user_id
