"""The one save path: what it does with each day, and saves of one person racing each other."""

from __future__ import annotations

import random
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError

from journal.domain.checkin import CheckIn, parse_checkin
from journal.domain.diary_csv import write_diary
from journal.extensions import db
from journal.models import CheckinRow, User
from journal.store.checkins import Outcome, store_days
from tests.conftest import PASSWORD, Accounts, checkin_rows, set_english
from tests.payloads import day as answers
from tests.strategies import checkins as checkins_strategy

TODAY = date(2026, 3, 10)  # FROZEN_NOW in Amsterdam
MADE = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
LATER = MADE + timedelta(hours=1)


def a_day(on: date = TODAY, backfilled: bool = False, **changes: str) -> CheckIn:
    parsed = parse_checkin(answers(**changes), on=on, backfilled=backfilled, strict=False)
    assert parsed.checkin is not None
    return parsed.checkin


def new_user(email: str = "a@example.org") -> int:
    user = User(email=email, password_hash="x", created_at=MADE)
    db.session.add(user)
    db.session.commit()
    return int(user.id)


def stale_from(user_id: int) -> date | None:
    return db.session.scalar(select(User.flags_stale_from).where(User.id == user_id))


def test_a_new_day_is_stored_and_marks_the_flags_stale(app: Flask) -> None:
    with app.app_context():
        user_id = new_user()
        assert store_days(user_id, [a_day()], made_at=MADE, client_id="k-1") == [Outcome.STORED]
        db.session.rollback()  # committed: nothing left to roll back
        [row] = db.session.scalars(select(CheckinRow)).all()
        assert (row.user_id, row.date, row.client_id) == (user_id, TODAY, "k-1")
        assert (row.created_at, row.updated_at) == (MADE, MADE)
        assert row.to_domain() == a_day()
        assert stale_from(user_id) == TODAY


def test_a_day_already_there_stays_and_nothing_is_marked(app: Flask) -> None:
    with app.app_context():
        user_id = new_user()
        store_days(user_id, [a_day()], made_at=MADE)
        db.session.execute(User.__table__.update().values(flags_stale_from=None))
        db.session.commit()
        again = store_days(user_id, [a_day(morning_energy="2")], made_at=LATER)
        assert again == [Outcome.ALREADY_THERE]
        [row] = db.session.scalars(select(CheckinRow)).all()
        assert (row.morning_energy, row.updated_at) == (7, MADE)
        assert stale_from(user_id) is None  # rolled back with the rest


def test_an_edit_within_the_window_keeps_when_and_how_the_day_was_first_saved(app: Flask) -> None:
    with app.app_context():
        user_id = new_user()
        store_days(user_id, [a_day(backfilled=True)], made_at=MADE)
        edit = a_day(morning_energy="2")  # parsed on another day: not a late entry any more
        outcome = store_days(user_id, [edit], made_at=LATER, edit_after=MADE - timedelta(1))
        assert outcome == [Outcome.EDITED]
        [row] = db.session.scalars(select(CheckinRow)).all()
        assert (row.morning_energy, row.backfilled) == (2, True)
        assert (row.created_at, row.updated_at) == (MADE, LATER)


def test_an_edit_after_the_window_leaves_the_day(app: Flask) -> None:
    with app.app_context():
        user_id = new_user()
        store_days(user_id, [a_day()], made_at=MADE)
        late = store_days(user_id, [a_day(morning_energy="2")], made_at=LATER, edit_after=MADE)
        assert late == [Outcome.ALREADY_THERE]
        assert db.session.scalars(select(CheckinRow.morning_energy)).all() == [7]


def test_a_client_id_held_by_any_row_is_reused_and_nothing_is_written(app: Flask) -> None:
    with app.app_context():
        owner, other = new_user(), new_user("b@example.org")
        store_days(owner, [a_day()], made_at=MADE, client_id="k-1")
        yesterday = a_day(TODAY - timedelta(days=1))
        for user_id in (owner, other):
            reused = store_days(user_id, [yesterday], made_at=LATER, client_id="k-1")
            assert reused == [Outcome.KEY_REUSED]
        # The key is checked before the day, so a retried send is recognised as one.
        assert store_days(owner, [a_day()], made_at=LATER, client_id="k-1") == [Outcome.KEY_REUSED]
        assert db.session.scalar(select(func.count(CheckinRow.id))) == 1


def test_a_new_client_id_for_a_day_already_there(app: Flask) -> None:
    with app.app_context():
        user_id = new_user()
        store_days(user_id, [a_day()], made_at=MADE)
        taken = store_days(user_id, [a_day()], made_at=LATER, client_id="k-2")
        assert taken == [Outcome.ALREADY_THERE]


def test_several_days_at_once_get_an_outcome_each_in_order(app: Flask) -> None:
    with app.app_context():
        user_id = new_user()
        store_days(user_id, [a_day(TODAY - timedelta(days=1))], made_at=MADE)
        days = [a_day(TODAY - timedelta(days=n)) for n in (3, 2, 1, 0)]
        outcomes = store_days(user_id, days, made_at=LATER)
        assert outcomes == [Outcome.STORED] * 2 + [Outcome.ALREADY_THERE, Outcome.STORED]
        assert db.session.scalar(select(func.count(CheckinRow.id))) == 4
        assert stale_from(user_id) == TODAY - timedelta(days=3)
        assert store_days(user_id, [], made_at=LATER) == []


def test_a_client_id_names_one_day(app: Flask) -> None:
    with app.app_context(), pytest.raises(ValueError):
        store_days(new_user(), [a_day(), a_day(TODAY - timedelta(1))], made_at=MADE, client_id="k")


def test_a_save_for_no_such_person_writes_nothing(app: Flask) -> None:
    # The foreign key refuses the row, as it would for any insert.
    with app.app_context():
        new_user()
        with pytest.raises(IntegrityError):
            store_days(10_000, [a_day()], made_at=MADE)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(CheckinRow)) == 0


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(checkin=checkins_strategy(dates=st.just(date(2026, 3, 9))))
def test_the_store_keeps_what_the_orm_keeps(app: Flask, checkin: CheckIn) -> None:
    """The Core insert of the store against the ORM's row for the same answers, compared as
    the database holds them."""
    with app.app_context():
        db.session.execute(delete(CheckinRow))
        db.session.execute(delete(User))
        db.session.commit()
        by_store, by_orm = new_user("store@example.org"), new_user("orm@example.org")
        assert store_days(by_store, [checkin], made_at=MADE) == [Outcome.STORED]
        db.session.add(CheckinRow.new(by_orm, checkin, MADE))
        db.session.commit()
        stored = {
            row["user_id"]: {k: v for k, v in row.items() if k not in ("id", "user_id")}
            for row in db.session.execute(text("SELECT * FROM checkins")).mappings()
        }
        assert stored[by_store] == stored[by_orm]
        by_store_row = db.session.scalars(
            select(CheckinRow).where(CheckinRow.user_id == by_store)
        ).one()
        assert by_store_row.to_domain() == checkin


def test_sqlite_connections_are_set_up_for_safe_saves(tmp_path: Any) -> None:
    from journal import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'j.sqlite3'}", "SECRET_KEY": "x"})
    with app.app_context():
        connection = db.session.connection()
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA busy_timeout").scalar() == 5000
        assert pragma("PRAGMA synchronous").scalar() == 2  # FULL


# --- Saves of one person racing each other ---------------------------------------------------

ROUNDS = 15
IMPORTED_DAYS = 8  # today and the seven days before


def _signed_in(app: Flask) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": "sanne@example.org", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_import_form_and_api_racing_for_the_same_days(app: Flask, accounts: Accounts) -> None:
    """Each round, an import of eight days, a form save of today and API saves of today and
    yesterday start together. No request may fail, and every day a request acknowledged is
    stored exactly once: the rows are the import's count plus each new day the others made."""
    user_id = accounts.create()
    set_english(app, user_id)
    importer, form, api_today, api_yesterday = (_signed_in(app) for _ in range(4))
    diary = write_diary(a_day(TODAY - timedelta(days=n)) for n in range(IMPORTED_DAYS))
    rng = random.Random(16)

    def do_import() -> tuple[int, int]:
        response = importer.post(
            "/account/import", data={"confirm": "1", "csv_text": diary}, follow_redirects=True
        )
        found = re.search(r"(\d+) days imported\.", response.get_data(as_text=True))
        return response.status_code, int(found.group(1)) if found else -1

    def do_form() -> tuple[int, int]:
        response = form.post("/checkin", data=answers(morning_energy="4"))
        new = response.headers.get("Location", "").endswith("#saved")
        return response.status_code, int(response.status_code == 302 and new)

    def do_api(client: FlaskClient, on: date) -> Callable[[], tuple[int, int]]:
        def send() -> tuple[int, int]:
            body = {"client_id": str(uuid.uuid4()), "date": on.isoformat(), "answers": answers()}
            response = client.post("/api/checkins", json=body)
            return response.status_code, int(response.status_code == 201)

        return send

    saves = [
        do_import,
        do_form,
        do_api(api_today, TODAY),
        do_api(api_yesterday, TODAY - timedelta(1)),
    ]
    start = threading.Barrier(len(saves))  # reused: it resets once all have passed

    def run(save: Callable[[], tuple[int, int]], delay: float) -> tuple[int, int]:
        start.wait()
        time.sleep(delay)  # spread the small saves over the import's work
        return save()

    with ThreadPoolExecutor(max_workers=len(saves)) as pool:
        for round_ in range(ROUNDS):
            with app.app_context():
                db.session.execute(delete(CheckinRow))
                db.session.commit()
            delays = [rng.uniform(0, 0.004) for _ in saves]
            answers_ = list(pool.map(run, saves, delays))
            statuses = [status for status, _ in answers_]
            assert all(status < 500 for status in statuses), (round_, answers_)
            imported, form_new, api_today_new, api_yesterday_new = (n for _, n in answers_)
            assert imported >= 0, (round_, answers_)
            stored = checkin_rows(app)
            assert len(stored) == imported + form_new + api_today_new + api_yesterday_new, (
                round_,
                answers_,
            )
            dates = [row.date for row in stored]
            assert sorted(set(dates)) == sorted(TODAY - timedelta(n) for n in range(IMPORTED_DAYS))
            assert len(dates) == len(set(dates))
