"""Helpers of the coach workspace tests (issue 20): coaches made straight in the database
(User + CoachProfile + a confirmed second factor), signed in through the real password and
code steps, and clients who invite them through the real /share forms.

FROZEN_NOW is Tuesday 10 March 2026, 08:30 in Amsterdam; TODAY is that date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from journal.clock import now_utc
from journal.domain.checkin import CheckIn
from journal.extensions import db
from journal.models import CoachConnection, CoachProfile, SecondFactor, User
from journal.web.auth import hasher
from tests.conftest import FROZEN_NOW, PASSWORD, store_diary
from tests.domain.scenario_builder import default_day
from tests.web.sharing import TODAY

__all__ = ["TODAY"]


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
            password_hash=hasher.hash(PASSWORD),
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
    response = client.post("/login", data={"email": coach.email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    code = pyotp.TOTP(coach.secret).at(FROZEN_NOW + timedelta(seconds=30 * step))
    response = client.post("/login/code", data={"code": code})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


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
