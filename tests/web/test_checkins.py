"""The check-in form: save, validation round trip, edit window, backfill, access control."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete
from sqlalchemy import update as sa_update
from werkzeug.datastructures import MultiDict

from journal.domain.checkin import SET_FIELDS
from journal.extensions import db
from journal.models import CheckinRow
from journal.store import checkins as store_checkins
from journal.web import checkins
from journal.web.checkin_form import FIELDS, raw_from_form
from tests.conftest import FROZEN_NOW, Accounts, checkin_count, checkin_rows
from tests.payloads import day

TODAY = date(2026, 3, 10)  # FROZEN_NOW in Amsterdam


def test_save_today(client: FlaskClient, app: Flask, logged_in: int) -> None:
    response = client.post("/checkin", data=day(note="Fijne wandeling, ook wat moe"))
    assert response.status_code == 302
    [row] = checkin_rows(app)
    assert row.date == TODAY
    assert row.user_id == logged_in
    assert row.backfilled is False
    assert row.morning_energy == 7
    assert row.rest_types == "quiet_activity"
    assert row.note == "Fijne wandeling, ook wat moe"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sol_min": "301"}, "sol_min"),
        ({"morning_energy": ""}, "morning_energy"),
        ({"lights_out_time": "23:00", "out_of_bed_time": "23:20"}, "out_of_bed_time"),
        ({"sol_min": "300", "waso_min": "200"}, "waso_min"),
        ({"final_wake_time": "09:00"}, "final_wake_time"),
        ({"rest_types": []}, "rest_types"),
        ({"rest_recharged": ""}, "rest_recharged"),
        ({"sleepiness_peak": "8"}, "dozed_unintended"),
        ({"social_contact": ""}, "social_contact"),
        ({"walk_outside_min": "25"}, "walk_outside_min"),
        ({"note": "é" * 501}, "note"),
    ],
)
def test_error_round_trip(client: FlaskClient, app: Flask, logged_in: int, changes: dict[str, Any], field: str) -> None:
    """Each error is shown at its field, everything typed stays, and nothing is stored."""
    answers = day(**{"note": "mijn notitie, met komma", "context_tags": ["alcohol"], **changes})
    response = client.post("/checkin", data=answers)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="err-{field}"' in page
    assert f'href="#q-{field}"' in page  # the summary links to the question
    if field != "note":
        assert "mijn notitie, met komma" in html.unescape(page)
    assert re.search(r'name="context_tags" value="alcohol" checked', page)
    assert re.search(r'name="bedtime_tension" value="3" checked', page)
    if field not in ("lights_out_time", "out_of_bed_time"):
        assert 'value="23:00"' in page
    assert checkin_count(app) == 0


def test_error_shown_in_dutch_and_english(client: FlaskClient, logged_in: int) -> None:
    dutch = "Wil je deze vraag nog beantwoorden?"  # the nl catalog's msgstr for the msgid below
    english = "Please answer this question."
    # Dutch is the default language of a new account.
    response = client.post("/checkin", data=day(morning_energy=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert re.search(rf'id="err-morning_energy"[^>]*>\s*{re.escape(dutch)}', page), page
    assert english not in page
    client.post("/language", data={"language": "en"})
    response = client.post("/checkin", data=day(morning_energy=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please answer this question." in page
    assert '<html lang="en">' in page
    assert re.search(rf'id="err-morning_energy"[^>]*>\s*{re.escape(english)}', page), page
    assert dutch not in page


def test_typed_minutes_win_over_a_chip(client: FlaskClient, app: Flask, logged_in: int) -> None:
    form = day()
    form["sol_min"] = ["15", "25"]  # a chip, then the "other" box
    assert client.post("/checkin", data=form).status_code == 302
    assert checkin_rows(app)[0].sol_min == 25


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ([], {"sol_min": "", "rest_types": [], "note": ""}),
        ([("sol_min", "15")], {"sol_min": "15"}),
        ([("sol_min", "15"), ("sol_min", "25")], {"sol_min": "25"}),  # the typed box wins
        ([("sol_min", "15"), ("sol_min", " ")], {"sol_min": "15"}),  # an empty box does not
        ([("sol_min", " "), ("sol_min", "")], {"sol_min": ""}),
        ([("rest_types", "nap"), ("rest_types", ""), ("rest_types", "screen")], {"rest_types": ["nap", "screen"]}),
        ([("csrf_token", "t"), ("unknown", "x")], {"sol_min": ""}),
    ],
)
def test_raw_from_form(sent: list[tuple[str, str]], expected: dict[str, Any]) -> None:
    raw = raw_from_form(MultiDict(sent))
    assert set(raw) == set(FIELDS)
    assert {name: raw[name] for name in expected} == expected
    assert all(raw[name] == [] for name in SET_FIELDS if name not in expected)


def test_hidden_conditional_answers_are_dropped(client: FlaskClient, app: Flask, logged_in: int) -> None:
    form = day(rest_minutes="0", rest_types=["nap"], rest_recharged="2", sleepiness_peak="5", dozed_unintended="at_rest")
    assert client.post("/checkin", data=form).status_code == 302
    [row] = checkin_rows(app)
    assert (row.rest_types, row.rest_recharged, row.dozed_unintended) == ("", None, None)


def test_prefill_times_from_recent_entries(client: FlaskClient, logged_in: int, app: Flask) -> None:
    app.config["FIXED_NOW"] = FROZEN_NOW - timedelta(days=1)
    client.post("/checkin", data=day(lights_out_time="23:40", out_of_bed_time="06:50"))
    app.config["FIXED_NOW"] = FROZEN_NOW
    page = client.get("/checkin").get_data(as_text=True)
    assert 'name="lights_out_time" value="23:40"' in page
    assert 'name="out_of_bed_time" value="06:50"' in page
    # Scales are never preset: an untouched scale is not an answer.
    assert not re.search(r'name="morning_energy" value="\d+" checked', page)


YESTERDAY = TODAY - timedelta(days=1)


@pytest.mark.parametrize(
    ("before", "save", "confirmation"),
    [
        pytest.param([], "/checkin", "/#saved", id="new day"),
        pytest.param([], f"/checkin/{TODAY}", "/#saved", id="new day by date"),
        pytest.param([], f"/checkin/{YESTERDAY}", "/#saved", id="yesterday, late"),
        pytest.param(["/checkin"], "/checkin", "/#changed", id="edit"),
        pytest.param([f"/checkin/{YESTERDAY}"], f"/checkin/{YESTERDAY}", "/#changed", id="edit late"),
    ],
)
def test_a_save_is_confirmed_on_home_without_a_session_write(
    client: FlaskClient, logged_in: int, before: list[str], save: str, confirmation: str
) -> None:
    for path in before:
        client.post(path, data=day())
    response = client.post(save, data=day(morning_energy="4"))
    assert (response.status_code, response.headers["Location"]) == (302, confirmation)
    # The confirmation travels in the address, so the session cookie is left as it was.
    assert "Set-Cookie" not in response.headers
    home = client.get("/").get_data(as_text=True)
    # Both are on home, in the person's language; style.css shows only the one the address names.
    assert (
        '<p class="flash confirm" id="saved" role="status">'
        "Opgeslagen. Fijn dat je hebt ingecheckt.</p>" in home
    )
    assert (
        '<p class="flash confirm" id="changed" role="status">Je wijzigingen zijn opgeslagen.</p>'
        in home
    )


def test_edit_within_48_hours_then_locked(client: FlaskClient, app: Flask, logged_in: int) -> None:
    client.post("/checkin", data=day())
    assert client.post("/checkin", data=day(morning_energy="4")).status_code == 302
    assert checkin_rows(app)[0].morning_energy == 4
    app.config["FIXED_NOW"] = FROZEN_NOW + timedelta(hours=47)
    assert client.post(f"/checkin/{TODAY}", data=day(morning_energy="5")).status_code == 302
    assert checkin_rows(app)[0].morning_energy == 5
    app.config["FIXED_NOW"] = FROZEN_NOW + timedelta(hours=49)
    response = client.post(f"/checkin/{TODAY}", data=day(morning_energy="1"))
    assert response.status_code == 409  # what was typed, beside the stored day
    assert checkin_rows(app)[0].morning_energy == 5
    assert 'type="radio"' not in client.get(f"/checkin/{TODAY}").get_data(as_text=True)


def test_backfill_yesterday_only(client: FlaskClient, app: Flask, logged_in: int) -> None:
    yesterday, older = TODAY - timedelta(days=1), TODAY - timedelta(days=2)
    assert client.post(f"/checkin/{yesterday}", data=day()).status_code == 302
    assert client.post(f"/checkin/{older}", data=day()).status_code == 409  # answers shown back
    stored = checkin_rows(app)
    assert [(r.date, r.backfilled) for r in stored] == [(yesterday, True)]


def test_no_future_dates(client: FlaskClient, app: Flask, logged_in: int) -> None:
    tomorrow = TODAY + timedelta(days=1)
    assert client.get(f"/checkin/{tomorrow}").status_code == 404
    assert client.post(f"/checkin/{tomorrow}", data=day()).status_code == 404
    assert client.get("/checkin/not-a-date").status_code == 404
    assert checkin_count(app) == 0


def test_today_is_the_persons_local_date(client: FlaskClient, app: Flask, accounts: Accounts) -> None:
    # 07:30 UTC on 10 March is still 9 March in Honolulu.
    accounts.create("la@example.org", timezone="Pacific/Honolulu")
    accounts.login("la@example.org")
    client.post("/checkin", data=day())
    assert checkin_rows(app)[0].date == date(2026, 3, 9)


def test_delete_within_window(client: FlaskClient, app: Flask, logged_in: int) -> None:
    client.post("/checkin", data=day())
    assert client.post(f"/checkin/{TODAY}/delete").status_code == 302
    assert checkin_count(app) == 0


def test_saving_again_edits_the_same_row(client: FlaskClient, app: Flask, logged_in: int) -> None:
    client.post("/checkin", data=day())
    client.post("/checkin", data=day(day_load="8"))
    [row] = checkin_rows(app)
    assert row.day_load == 8


def test_a_new_day_is_stored_without_looking_it_up_first(
    client: FlaskClient, app: Flask, logged_in: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The common save is one insert: the look-up is only for days that are already there."""

    def no_look_up(day_: date, user_id: int | None = None) -> CheckinRow | None:
        raise AssertionError(f"looked up {day_}")

    monkeypatch.setattr(checkins, "find_row", no_look_up)
    assert client.post("/checkin", data=day()).status_code == 302
    assert client.post(f"/checkin/{TODAY - timedelta(days=1)}", data=day()).status_code == 302
    assert checkin_count(app) == 2


def test_a_day_deleted_while_saving_is_stored_again(
    client: FlaskClient, app: Flask, logged_in: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another tab deletes the day just before this save takes its lock: a new day again."""
    client.post("/checkin", data=day())
    real_mark_stale = store_checkins.mark_stale

    def deleted_meanwhile(user_id: int, day_: date) -> None:
        db.session.execute(
            delete(CheckinRow).where(CheckinRow.user_id == user_id, CheckinRow.date == day_)
        )
        real_mark_stale(user_id, day_)

    monkeypatch.setattr(store_checkins, "mark_stale", deleted_meanwhile)
    response = client.post("/checkin", data=day(day_load="9"))
    assert response.headers["Location"] == "/#saved"
    assert "Fijn dat je hebt ingecheckt" in client.get("/").get_data(as_text=True)
    [row] = checkin_rows(app)
    assert row.day_load == 9


@pytest.mark.parametrize("on", [TODAY, TODAY - timedelta(days=2)], ids=["today", "older"])
def test_an_edit_reads_the_answers_once(
    client: FlaskClient, app: Flask, logged_in: int, monkeypatch: pytest.MonkeyPatch, on: date
) -> None:
    """Today's edit goes through the store at once; an older day's after the look-up that
    finds it still editable. Either way the answers are parsed once."""
    client.post("/checkin", data=day())
    with app.app_context():
        db.session.execute(sa_update(CheckinRow).values(date=on))
        db.session.commit()
    parsed: list[date] = []
    real_parse = checkins.parse_checkin

    def counting(*args: Any, **kwargs: Any) -> Any:
        parsed.append(kwargs["on"])
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(checkins, "parse_checkin", counting)
    response = client.post(f"/checkin/{on}", data=day(day_load="8"))
    assert response.headers["Location"] == "/#changed"
    assert parsed == [on]
    [row] = checkin_rows(app)
    assert (row.date, row.day_load) == (on, 8)


def test_other_people_cannot_reach_a_checkin(app: Flask, accounts: Accounts) -> None:
    accounts.create("a@example.org")
    accounts.create("b@example.org")
    b = app.test_client()
    b.post("/login", data={"email": "b@example.org", "password": "correct horse battery"})
    b.post("/checkin", data=day(note="B's own words"))
    [original] = checkin_rows(app)

    a = accounts.client
    accounts.login("a@example.org")
    # A sees no trace of B's day, cannot delete it, and saving that date makes A's own row.
    view = a.get(f"/checkin/{TODAY}").get_data(as_text=True)
    assert "B&#39;s own words" not in view and "B's own words" not in view
    assert a.post(f"/checkin/{TODAY}/delete").status_code == 404
    assert a.post(f"/checkin/{TODAY}", data=day(morning_energy="1")).status_code == 302
    b_row = next(r for r in checkin_rows(app) if r.user_id == original.user_id)
    assert (b_row.id, b_row.morning_energy, b_row.note) == (original.id, 7, "B's own words")
    assert "B&#39;s own words" not in a.get("/history").get_data(as_text=True)


def test_history_shows_days_and_gaps(client: FlaskClient, app: Flask, logged_in: int) -> None:
    app.config["FIXED_NOW"] = FROZEN_NOW - timedelta(days=2)
    client.post("/checkin", data=day(morning_energy="4"))
    app.config["FIXED_NOW"] = FROZEN_NOW
    client.post("/checkin", data=day(morning_energy="6"))
    page = client.get("/history").get_data(as_text=True)
    # Issue 18: the 25 days before the first check-in are not listed as "no check-in" rows.
    assert page.count('class="day gap"') == 1
    assert page.count('<li class="day') == 3
    assert page.index("6/10") < page.index("4/10")  # newest first
    assert f"/checkin/{TODAY - timedelta(days=1)}" in page  # yesterday can still be filled in


def test_history_of_a_new_person_lists_no_days_before_they_began(
    client: FlaskClient, app: Flask, logged_in: int
) -> None:
    """Issue 18: a new account's history listed 26 "no check-in" rows from before it existed.
    Before the first check-in only today and yesterday are listed, the days that can still be
    filled in."""
    page = client.get("/history").get_data(as_text=True)
    assert page.count('<li class="day') == 2
    assert "geen check-in" not in page
    assert f"/checkin/{TODAY}" in page and f"/checkin/{TODAY - timedelta(days=1)}" in page
    # Browsing to a month before the first check-in shows no rows, and says why.
    client.post("/checkin", data=day())
    earlier = client.get("/history", query_string={"until": "2026-02-01"}).get_data(as_text=True)
    assert '<li class="day' not in earlier
    assert "Nog niets: je eerste check-in was op dinsdag 10 maart." in earlier


# --- Hostile addresses (issue 17: these answered 500 or read dates no one can have kept) -------


@pytest.mark.parametrize(
    "until", ["0001-01-01", "0001-01-28", "1999-12-31", "9999-12-31", "²", "2026-3-1", "20260301", ""]
)
def test_history_from_a_date_out_of_range_shows_the_last_four_weeks(
    client: FlaskClient, logged_in: int, until: str
) -> None:
    response = client.get("/history", query_string={"until": until})
    assert response.status_code == 200
    assert f"/checkin/{TODAY - timedelta(days=1)}" in response.get_data(as_text=True)


@pytest.mark.parametrize("text", ["0001-01-01", "1999-12-31", "9999-12-31", "20260310", "2026-W11-2", "٢٠٢٦-03-10"])
def test_a_day_out_of_range_or_not_written_yyyy_mm_dd_is_not_found(
    client: FlaskClient, app: Flask, logged_in: int, text: str
) -> None:
    assert client.get(f"/checkin/{text}").status_code == 404
    assert client.post(f"/checkin/{text}", data=day()).status_code == 404
    assert client.post(f"/checkin/{text}/delete").status_code == 404
    assert checkin_count(app) == 0
