"""Flags in the app: a card once at onset, the Patronen page every active day, dismissals."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from journal.domain.checkin import CheckIn, ContextTag, to_raw
from journal.extensions import db
from journal.models import CheckinRow, FlagState
from tests.conftest import store_diary
from tests.domain.scenario_builder import build, day_date
from tests.domain.test_scenarios import SCENARIOS


def morning(n: int) -> datetime:
    return datetime.combine(day_date(n), time(7, 0), tzinfo=UTC)


def form(record: CheckIn) -> dict[str, str | list[str]]:
    raw = to_raw(record)
    sets = ("rest_types", "context_tags", "night_signals")
    return {k: (v.split(";") if v else []) if k in sets else v for k, v in raw.items()}


def cards(client: FlaskClient) -> list[str]:
    return re.findall(r'<h2 id="card-([A-Z_]+)"', client.get("/").get_data(as_text=True))


def patterns(client: FlaskClient) -> list[str]:
    return re.findall(r'id="flag-([A-Z_]+)"', client.get("/patterns").get_data(as_text=True))


def check_in_on(app: Flask, client: FlaskClient, n: int, record: CheckIn) -> None:
    app.config["FIXED_NOW"] = morning(n)
    assert client.post("/checkin", data=form(record)).status_code == 302


def test_chain_card_at_onset_only_and_on_patterns_every_day(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    mark = SCENARIOS["S02"]  # DOMAIN E S02: the chain from day 18, persistent from day 25
    store_diary(app, logged_in, mark[:16])
    seen = {}
    for n in range(17, 29):
        check_in_on(app, client, n, mark[n - 1])
        seen[n] = (cards(client), patterns(client))
    chain = "REST_NO_RECOVERY"
    assert [n for n, (shown, _) in seen.items() if chain in shown] == [18, 25]  # onset, escalation
    assert [n for n, (_, listed) in seen.items() if chain in listed] == list(range(18, 29))
    # With the early signs active too, the chain card is one merged card.
    home = client.get("/").get_data(as_text=True)
    assert "card-EARLY_SIGNS" not in home
    page = client.get("/patterns").get_data(as_text=True)
    assert page.count('class="link on"') == 6  # R0 and L1-L5 all present on day 28
    assert "Dit patroon houdt al een paar weken aan." in page


def test_level_one_chain_card_on_its_first_day_with_the_links_present(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    fatima = SCENARIOS["S03"]  # the chain at level 1 on days 7-17: L3, L4, L5 true, L2 false
    store_diary(app, logged_in, fatima[:6])
    shown = []
    for n in range(7, 12):
        check_in_on(app, client, n, fatima[n - 1])
        shown.append("REST_NO_RECOVERY" in cards(client))
    assert shown == [True, False, False, False, False]
    text = client.get("/patterns").get_data(as_text=True)
    assert (
        "Wat we zien: loslaten lukt lastiger, slaap en rust laden minder op en op gang komen "
        "kost meer moeite."
    ) in text
    assert "veel spanning bij het slapengaan" not in text  # L2 is absent in S03


def flag_states_on(app: Flask, user_id: int, day: date) -> dict[str, tuple[str, int | None, str]]:
    """The stored state, level and reasons of every flag on one date."""
    with app.app_context():
        rows = db.session.scalars(
            select(FlagState).where(FlagState.user_id == user_id, FlagState.date == day)
        )
        return {row.flag: (row.state, row.level, row.reasons) for row in rows}


def test_edit_reevaluates_later_days(app: Flask, client: FlaskClient, logged_in: int) -> None:
    """Editing yesterday changes yesterday's stored flags and today's patterns at once."""
    mark = SCENARIOS["S02"]
    store_diary(app, logged_in, mark[:18])
    app.config["FIXED_NOW"] = morning(18)
    assert "REST_NO_RECOVERY" in patterns(client)  # day 18 evaluated and stored: the onset
    app.config["FIXED_NOW"] = morning(19)
    assert client.post("/checkin", data=form(mark[18])).status_code == 302
    assert "REST_NO_RECOVERY" in patterns(client)
    yesterday = flag_states_on(app, logged_in, day_date(18))
    assert yesterday["REST_NO_RECOVERY"][0] == "active"
    with app.app_context():
        db.session.query(CheckinRow).filter(CheckinRow.date < day_date(18)).delete()
        db.session.commit()
    # Re-saving day 18 (within its edit window) re-evaluates from day 18 on.
    app.config["FIXED_NOW"] = morning(19)
    edited = client.post(f"/checkin/{day_date(18)}", data=form(mark[17]))
    assert edited.status_code == 302
    assert "REST_NO_RECOVERY" not in patterns(client)
    after = flag_states_on(app, logged_in, day_date(18))
    assert after != yesterday
    assert after.keys() == yesterday.keys()  # every flag evaluated again, none left out
    assert after["REST_NO_RECOVERY"][0] != "active"  # without its history the chain is gone


def medication_diary(days: int) -> list[CheckIn]:
    records = build(days)
    return [
        replace(r, context_tags=frozenset({ContextTag.SLEEP_MEDICATION})) if i >= 7 else r
        for i, r in enumerate(records)
    ]


@pytest.mark.parametrize(
    ("reason", "hidden_days"),
    [("discussed_with_gp", 28), ("", 14)],
)
def test_dismissed_signpost_stays_away_then_returns(
    app: Flask, client: FlaskClient, logged_in: int, reason: str, hidden_days: int
) -> None:
    diary = medication_diary(50)  # the doctor signpost (medication) is active from day 11 on
    store_diary(app, logged_in, diary)
    app.config["FIXED_NOW"] = morning(11)
    assert "SIGNPOST_DOCTOR" in cards(client)
    app.config["FIXED_NOW"] = morning(12)
    assert "SIGNPOST_DOCTOR" in cards(client)  # pinned: shown every day until dismissed
    response = client.post("/patterns/dismiss", data={"flag": "SIGNPOST_DOCTOR", "dismiss_reason": reason})
    assert response.status_code == 302
    for n in range(12, 12 + hidden_days):
        app.config["FIXED_NOW"] = morning(n)
        assert "SIGNPOST_DOCTOR" not in cards(client), n
        assert "SIGNPOST_DOCTOR" in patterns(client)  # still listed on Patronen
    app.config["FIXED_NOW"] = morning(12 + hidden_days)
    assert "SIGNPOST_DOCTOR" in cards(client)


def test_dismiss_refuses_what_is_not_a_signpost(client: FlaskClient, logged_in: int) -> None:
    assert client.post("/patterns/dismiss", data={"flag": "REST_NO_RECOVERY"}).status_code == 400
    assert client.post("/patterns/dismiss", data={"flag": "NOPE"}).status_code == 400
    bad_reason = {"flag": "SIGNPOST_DOCTOR", "dismiss_reason": "because"}
    assert client.post("/patterns/dismiss", data=bad_reason).status_code == 400


def test_patterns_page_without_any_checkin(client: FlaskClient, logged_in: int) -> None:
    page = client.get("/patterns").get_data(as_text=True)
    assert page.count('class="link unknown"') == 6
    assert "/safety" in page
    # The page's own safety line, not only the one in every page's footer.
    content = page[page.index('<main id="main">'):page.index("</main>")]
    assert '<p><a href="/safety">Hulp nodig? 113 · 112</a></p>' in content


def test_english_card_texts(app: Flask, client: FlaskClient, logged_in: int) -> None:
    store_diary(app, logged_in, medication_diary(14))
    app.config["FIXED_NOW"] = morning(14)
    client.post("/language", data={"language": "en"})
    home = client.get("/").get_data(as_text=True)
    assert "You took sleep medication 7 times this week" in home
    assert "This isn&#39;t a judgement" in home or "This isn't a judgement" in home


def test_saving_marks_flags_stale_and_the_next_read_evaluates(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    from sqlalchemy import func, select

    from journal.models import FlagState, User

    mark = SCENARIOS["S02"]
    store_diary(app, logged_in, mark[:17])
    check_in_on(app, client, 18, mark[17])
    with app.app_context():
        assert db.session.get(User, logged_in).flags_stale_from == day_date(18)  # type: ignore[union-attr]
    # A backfill of an earlier day moves the mark back; a later day leaves it.
    with app.app_context():
        from journal.store.flag_states import mark_stale

        mark_stale(logged_in, day_date(20))
        mark_stale(logged_in, day_date(17))
        db.session.commit()
        assert db.session.get(User, logged_in).flags_stale_from == day_date(17)  # type: ignore[union-attr]
    assert "REST_NO_RECOVERY" in cards(client)
    with app.app_context():
        assert db.session.get(User, logged_in).flags_stale_from is None  # type: ignore[union-attr]
        stored = db.session.scalar(
            select(func.count()).select_from(FlagState).where(FlagState.date == day_date(18))
        )
        assert stored == 10
