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
    assert page.count('class="node on') == 6  # R0 and L1-L5 all present on day 28
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
    noticed = re.search(r"<p>Wat we zien: (.*?)</p>", text)
    assert noticed is not None
    # L2 is absent in S03; the links are named as the drawing names them.
    assert noticed.group(1) == (
        "loslaten wordt lastiger, slaap herstelt je minder en op gang komen kost meer moeite."
    )


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
    assert page.count('class="node unknown') == 6
    assert "/safety" in page
    # The page's own safety line, not only the one in every page's footer.
    content = page[page.index('<main id="main">'):page.index("</main>")]
    assert '<p><a href="/safety">Hulp nodig? 113 · 112</a></p>' in content


def test_english_card_texts(app: Flask, client: FlaskClient, logged_in: int) -> None:
    store_diary(app, logged_in, medication_diary(14))
    app.config["FIXED_NOW"] = morning(14)
    client.post("/language", data={"language": "en"})
    home = client.get("/").get_data(as_text=True)
    assert "Something you noted is worth discussing with your GP." in home
    # The full text is on Patronen, and says which days its number counts.
    patterns = client.get("/patterns").get_data(as_text=True)
    assert "You took sleep medication 7 times in the last 7 days" in patterns
    assert "This isn&#39;t a judgement" in patterns or "This isn't a judgement" in patterns


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


# --- Issue 18: the chain, drawn as the loop it is, with one name per idea -------------------


def drawn_labels(html: str) -> dict[str, str]:
    """Each node of the loop drawing: its link id → its label, its lines joined."""
    found = {}
    for link, body in re.findall(r'<g class="node [^"]*" data-link="(\w+)">(.*?)</g>', html, re.S):
        found[link] = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", body))
    return found


def test_the_chain_is_a_loop_with_one_name_per_link(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    """Issue 18: the chain was six identical boxes in a list, the pattern had three names and
    the links were named differently in the text and in the drawing."""
    store_diary(app, logged_in, SCENARIOS["S03"][:8])  # the chain at level 1: L3, L4, L5
    app.config["FIXED_NOW"] = morning(8)
    page = client.get("/patterns").get_data(as_text=True)
    chain = page[page.index('id="flag-REST_NO_RECOVERY"'):]
    chain = chain[: chain.index("</article>")]
    # One name for the pattern: the card's title is the drawing's.
    assert '<h2 id="h-REST_NO_RECOVERY">Rust die niet oplaadt</h2>' in chain
    assert "Rust die niet oplaadt:" in chain  # the drawing's text equivalent
    assert "Als rust geen herstel wordt" not in page and "de keten" not in page
    # The loop: five links on it, R0 beside it, arrows from each link to the next.
    labels = drawn_labels(chain)
    assert list(labels) == ["L1", "L2", "L3", "L4", "L5", "R0"]
    assert chain.count('<path class="arrow') == 5
    assert chain.count('<path class="arrow on"') == 2  # L3 → L4 → L5: the part that runs
    states = dict(
        (link, state)
        for state, link in re.findall(r'<g class="node (\w+)[^"]*" data-link="(\w+)"', chain)
    )
    # L1 needs 10 check-ins in 14 days: on day 8 it cannot be told yet (dashed, "?").
    assert states == {"L1": "unknown", "L2": "off", "L3": "on", "L4": "on", "L5": "on", "R0": "on"}
    # The text names the present links exactly as the drawing does.
    noticed = re.search(r"<p>Wat we zien: (.*?)\.</p>", chain)
    assert noticed is not None
    for name in (labels["L3"], labels["L4"], labels["L5"]):
        assert name in noticed.group(1)
    assert labels["L1"] not in noticed.group(1)


def test_under_the_first_sentence_at_most_three_short_sentences(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    """Issue 18: after the first sentence came a paragraph of about 110 words. Now at most
    three short sentences, the rest behind "Lees meer"."""
    store_diary(app, logged_in, SCENARIOS["S02"][:28])
    app.config["FIXED_NOW"] = morning(28)
    page = client.get("/patterns").get_data(as_text=True)
    chain = page[page.index('id="flag-REST_NO_RECOVERY"'):]
    chain = chain[: chain.index("</article>")]
    shown = chain[: chain.index("<details")]
    first, *rest = re.findall(r"<p>(.*?)</p>", shown, re.S)
    assert first.startswith("In de afgelopen 7 dagen nam je op 7 dagen bewust rust")
    sentences = [x for x in re.split(r"(?<=[.?!])\s+", " ".join(rest)) if x]
    assert 1 <= len(sentences) <= 3
    assert all(len(x.split()) <= 25 for x in sentences)
    more = chain[chain.index("<details"):]
    assert "<summary>Lees meer</summary>" in more
    assert "Wat we zien:" in more and "Dit patroon houdt al een paar weken aan." in more


def test_the_loop_is_explained_while_the_pattern_is_not_active(
    client: FlaskClient, logged_in: int
) -> None:
    page = client.get("/patterns").get_data(as_text=True)
    about = page[page.index('id="about-chain"'):]
    assert '<h2 id="chain-title">Rust die niet oplaadt</h2>' in about
    assert "<summary>Lees meer</summary>" in about
