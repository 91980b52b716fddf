"""'Mijn week': the routes, the weeks in the address, whose data is shown, the reflection note.

FROZEN_NOW is Tuesday 10 March 2026 (08:30 in Amsterdam): this week is 2026-W11 (9–15 March)
and the scenario builder's day 1 (Monday 2 March) starts 2026-W10.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from journal.demo import demo_diary
from journal.domain.checkin import CheckIn
from journal.extensions import db
from journal.models import CheckinRow, User, WeeklyReflection
from journal.web.week import iso_week, load_records, parse_week
from tests.conftest import Accounts, set_english, store_diary
from tests.domain.scenario_builder import build
from tests.domain.test_scenarios import SCENARIOS

NO_USUAL_YET = "Too few check-ins to compare yet"


def shifted(records: list[CheckIn], days: int) -> list[CheckIn]:
    return [replace(r, date=r.date + timedelta(days=days)) for r in records]


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    # The marks around the figures (tests/web/test_summary_agreement.py) are not words.
    return re.sub(r'<span data-figure="[^"]*">([^<]*)</span>', r"\1", response.get_data(as_text=True))


def content(html: str) -> str:
    """The page's own part: without the menu and the footer that every page has."""
    return html[html.index('<main id="main">'):html.index("</main>")]


# --- Weeks in the address ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2026-W11", date(2026, 3, 9)),
        ("2026-W01", date(2025, 12, 29)),  # ISO week 1 of 2026 starts in 2025
        ("2026-W53", date(2026, 12, 28)),  # 2026 has 53 ISO weeks
        ("2020-W53", date(2020, 12, 28)),
    ],
)
def test_parse_week(text: str, monday: date) -> None:
    assert parse_week(text) == monday
    assert iso_week(monday) == text


@pytest.mark.parametrize(
    "text", ["2026-W00", "2025-W53", "2026-W54", "2026-11", "2026-w11", "26-W11", "2026-W1", "x"]
)
def test_parse_week_refuses(text: str) -> None:
    assert parse_week(text) is None


# --- Routes ---------------------------------------------------------------------------------


def test_login_required(client: FlaskClient) -> None:
    for path in ("/week", "/week/2026-W10"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    assert client.post("/week/2026-W10/reflection", data={"text": "x"}).status_code == 302


def test_this_week(app: Flask, client: FlaskClient, logged_in: int) -> None:
    set_english(app, logged_in)
    store_diary(app, logged_in, build(9))  # 2–10 March: a full W10 and Mon–Tue of W11
    html = page(client, "/week")
    assert "<h1>My week</h1>" in html
    assert "Week 11 · 9 – 15 March 2026" in html
    assert "2 of the 2 days so far with a check-in" in html
    assert 'href="/week/2026-W10" rel="prev"' in html
    assert 'rel="next"' not in html  # nothing after this week
    # The week page is reachable from home.
    assert 'href="/week"' in page(client, "/")
    # By the home page's own link, not only the one in the menu on every page.
    assert '<a href="/week">My week</a>' in content(page(client, "/"))


def test_an_iso_week_with_previous_and_next(app: Flask, client: FlaskClient, logged_in: int) -> None:
    set_english(app, logged_in)
    store_diary(app, logged_in, shifted(build(16), -7))  # 23 Feb – 10 Mar: from W09 on
    html = page(client, "/week/2026-W10")
    assert "Week 10 · 2 – 8 March 2026" in html
    assert "7 of the 7 days with a check-in" in html
    assert 'href="/week/2026-W09" rel="prev"' in html
    assert 'href="/week/2026-W11" rel="next"' in html
    # No way back past the week of the first check-in.
    first = page(client, "/week/2026-W09")
    assert 'rel="prev"' not in first and 'href="/week/2026-W10" rel="next"' in first
    # A week across a month and a year boundary reads well too.
    assert "29 December – 4 January 2026" in page(client, "/week/2026-W01")


@pytest.mark.parametrize(
    "path",
    [
        *("/week/2026-W00", "/week/2025-W53", "/week/2026-11", "/week/soon", "/week/2026-W11x"),
        # Issue 17: year 1 answered 500 (its window of earlier weeks leaves the calendar).
        *("/week/0001-W01", "/week/0001-W02", "/week/1999-W52", "/week/٢٠٢٦-W10"),
    ],
)
def test_a_bad_week_is_not_found(client: FlaskClient, logged_in: int, path: str) -> None:
    assert client.get(path).status_code == 404
    assert client.post(f"{path}/reflection", data={"text": "x"}).status_code == 404


def test_a_week_still_to_come_is_not_found_kindly(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    set_english(app, logged_in)
    response = client.get("/week/2026-W12")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "This week has not started yet." in html
    assert 'href="/week"' in html
    assert '<a class="button" href="/week">Go to this week</a>' in content(html)
    assert client.post("/week/2026-W12/reflection", data={"text": "x"}).status_code == 404


def test_the_summary_numbers_reach_the_page(app: Flask, client: FlaskClient, logged_in: int) -> None:
    set_english(app, logged_in)
    # Four default weeks, then W11 with energy 4 on Monday and 5 on Tuesday (Wednesday on is
    # still to come): mean 4.5 against a usual 7 (S 1) → ↓.
    diary = shifted(build(28), -21) + [
        replace(r, morning_energy=e) for r, e in zip(shifted(build(2), 7), (4, 5), strict=True)
    ]
    store_diary(app, logged_in, diary)
    html = page(client, "/week")
    energy = html[html.index("<span class=\"name\">Energy</span>"):]
    energy = energy[: energy.index("</svg>")]
    assert "4.5 <small>of 10</small>" in energy
    assert "lower than your usual" in energy and "(usual: 7.0)" in energy
    assert energy.count('class="dot"') == 2  # one point per record
    assert energy.count('class="gap"') == 0  # the rest of the week is to come, not missing
    assert NO_USUAL_YET not in html


def test_missing_days_are_gaps_on_the_page(app: Flask, client: FlaskClient, logged_in: int) -> None:
    set_english(app, logged_in)
    store_diary(app, logged_in, build(7, skip=[3, 6]))  # W10 without Wednesday and Saturday
    html = page(client, "/week/2026-W10")
    assert "5 of the 7 days with a check-in" in html
    spark = re.findall(r'<svg class="chart spark".*?</svg>', html, re.S)[0]
    assert spark.count('class="dot"') == 5
    assert spark.count('class="gap"') == 2
    # The text equivalent says so in words.
    assert "<th scope=\"row\">Wednesday 4 March</th>\n      <td>no check-in</td>" in html
    # Two weeks in, without a complete first week, there is no usual level yet.
    assert NO_USUAL_YET in html


def test_an_empty_week(app: Flask, client: FlaskClient, logged_in: int) -> None:
    set_english(app, logged_in)
    html = page(client, "/week")
    # No check-in yet: the days before it are not missing (G.3), so not "0 of the 2 days".
    assert "No check-ins this week." in html
    assert "0 of the 2 days so far" not in html
    assert "Nothing in particular stood out this week." in html


def test_another_persons_data_is_never_shown(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    other = accounts.create("other@example.org")
    me = accounts.create()
    set_english(app, me)
    store_diary(app, other, [replace(r, morning_energy=1) for r in build(9)])
    store_diary(app, me, [replace(r, morning_energy=9) for r in build(9)])
    with app.app_context():
        db.session.add(WeeklyReflection(user_id=other, week="2026-W10", text="Alleen van mij",
                                        updated_at=datetime(2026, 3, 9, tzinfo=UTC)))
        db.session.commit()
    accounts.login()
    html = page(client, "/week/2026-W10")
    assert "9.0 <small>of 10</small>" in html
    assert "1.0 <small>of 10</small>" not in html
    assert "Alleen van mij" not in html
    with app.app_context():
        assert {r.morning_energy for r in load_records(me, date(2026, 3, 2))} == {9}


def test_only_a_window_of_records_is_loaded(app: Flask, logged_in: int) -> None:
    """Two years of diary: the week reads 7 weeks back plus the first 14 valid records (the
    anchor of G.3; the very first record among them), no more."""
    store_diary(app, logged_in, shifted(build(730), -729 + 8))  # the last record is 10 March
    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(CheckinRow))
        records = load_records(logged_in, date(2026, 3, 9))
    assert total == 730
    dates = sorted(r.date for r in records)
    first = date(2026, 3, 10) - timedelta(days=729)
    assert dates[:14] == [first + timedelta(days=i) for i in range(14)]  # the first records
    assert dates[14] == date(2026, 3, 9) - timedelta(days=49)  # then the window
    assert len(records) == 14 + 49 + 2  # window up to Tuesday (the week's end is to come)


# --- The reflection note -------------------------------------------------------------------


def test_reflection_round_trip(app: Flask, client: FlaskClient, logged_in: int) -> None:
    set_english(app, logged_in)
    question = "What would you like to keep next week, and what could be a bit less?"
    assert question in page(client, "/week/2026-W10")
    text = "Houden: wandelen met Sam.\nMinder: 's avonds mail lezen."
    response = client.post("/week/2026-W10/reflection", data={"text": f"  {text}  "})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/week/2026-W10#reflection")
    html = page(client, "/week/2026-W10")
    assert "Your note for this week is saved." in html
    assert ">Houden: wandelen met Sam.\nMinder: &#39;s avonds mail lezen.</textarea>" in html
    # Stored per week: the week after has its own (empty) note.
    assert "wandelen met Sam" not in page(client, "/week")
    # Changing it replaces the one note; an empty text removes it.
    client.post("/week/2026-W10/reflection", data={"text": "Rustiger aan."})
    with app.app_context():
        notes = db.session.scalars(select(WeeklyReflection)).all()
        assert [(n.user_id, n.week, n.text) for n in notes] == [(logged_in, "2026-W10", "Rustiger aan.")]
    client.post("/week/2026-W10/reflection", data={"text": "   "})
    assert "Your note for this week is removed." in page(client, "/week/2026-W10")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(WeeklyReflection)) == 0


def test_reflection_too_long_keeps_the_text(app: Flask, client: FlaskClient, logged_in: int) -> None:
    set_english(app, logged_in)
    text = "Veel te lang. " * 40  # 560 characters
    response = client.post("/week/2026-W10/reflection", data={"text": text})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please keep it to 500 characters." in html
    assert 'aria-invalid="true"' in html
    assert text.strip() in html  # what they typed is still there
    assert "<h1>My week</h1>" in html  # on the same page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(WeeklyReflection)) == 0
    # A NUL cannot be stored in PostgreSQL text; it is refused, not a server error.
    assert client.post("/week/2026-W10/reflection", data={"text": "a\x00b"}).status_code == 422


def test_reflection_needs_the_csrf_token(app: Flask, client: FlaskClient, logged_in: int) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/week/2026-W10/reflection", data={"text": "x"}).status_code == 400
    html = page(client, "/week/2026-W10")
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token is not None
    response = client.post(
        "/week/2026-W10/reflection", data={"text": "x", "csrf_token": token.group(1)}
    )
    assert response.status_code == 302


def test_a_get_on_the_reflection_address_goes_to_the_week(client: FlaskClient, logged_in: int) -> None:
    response = client.get("/week/2026-W10/reflection")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/week/2026-W10#reflection")


def test_deleting_the_account_removes_the_notes(app: Flask, logged_in: int) -> None:
    with app.app_context():
        db.session.add(WeeklyReflection(user_id=logged_in, week="2026-W10", text="x",
                                        updated_at=datetime(2026, 3, 9, tzinfo=UTC)))
        db.session.commit()
        db.session.delete(db.session.get(User, logged_in))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(WeeklyReflection)) == 0


def test_flags_of_the_week_are_shown_with_the_chain(app: Flask, client: FlaskClient, logged_in: int) -> None:
    set_english(app, logged_in)
    # S02's four weeks end on a Sunday; shifted to end on Sunday 8 March (W10).
    store_diary(app, logged_in, shifted(SCENARIOS["S02"], -21))
    html = page(client, "/week/2026-W10")
    # The signpost is pinned at the top, the chain drawn with all its links present.
    assert html.index('id="pin-SIGNPOST_LOOK_FURTHER"') < html.index('id="h-brief"')
    stood_out = section(html, "h-stood-out")
    assert 'href="/patterns#flag-REST_NO_RECOVERY"' in stood_out
    assert 'href="/patterns#flag-SLEEP_DISRUPTED"' in stood_out
    assert "#flag-EARLY_SIGNS" not in stood_out  # merged into the chain
    assert stood_out.count('class="node on') == 6


# --- Issue 18: one truth per page, a new person, the first screen ----------------------------


def section(html: str, heading_id: str) -> str:
    """One card of the page, from its heading to the end of its section."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_the_week_page_has_one_rest_figure(app: Flask, client: FlaskClient, logged_in: int) -> None:
    """Issue 18: the chain card said rest was taken on 6 days "this week" (the rule's last 7
    days) while the rest block of the same page said 3 (the calendar week)."""
    set_english(app, logged_in)
    # S03: the chain is active on days 7–17, with rest every day. Today is day 9, Tuesday 10
    # March: this calendar week holds two rest days, the rule's last 7 days hold seven.
    store_diary(app, logged_in, SCENARIOS["S03"][:9])
    html = page(client, "/week")
    assert re.search(r'data-figure="rest-days">2 days<', client.get("/week").get_data(as_text=True))
    assert "rest on 7 days" not in html
    # The chain is named on the week page, with a link to its full text on Patronen.
    stood_out = section(html, "h-stood-out")
    assert '<a href="/patterns#flag-REST_NO_RECOVERY">Rest that does not recharge</a>' in stood_out
    assert "Patterns look at the last 7 days up to Tuesday 10 March." in stood_out
    # Patronen says plainly which days its number counts.
    patterns = client.get("/patterns").get_data(as_text=True)
    assert "In the last 7 days you took time to rest on 7 days" in patterns


def test_the_heaviest_day_is_the_day_the_load_is_about(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    """Issue 18: "Zwaarste dag: maandag 30 november" while Monday showed no check-in and the
    chart peaked on another day. Monday's record tells about Sunday: the page says so right
    there, and the load chart stands under the days the answers are about."""
    set_english(app, logged_in)
    store_diary(app, logged_in, build(7, (1, 1, {"day_load": 9})))  # Monday 2 March's record
    html = page(client, "/week/2026-W10")
    load = section(html, "h-load")
    assert "Heaviest day: Sunday 1 March (filled in on Monday), 9 of 10" in load
    labels = re.findall(r'<text class="col[^"]*"[^>]*>([^<]*)</text>', load)
    assert labels == ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    # The chart's highest point is the first column: Sunday, the heaviest day.
    dots = [float(y) for y in re.findall(r'<circle class="dot" cx="[^"]*" cy="([^"]*)"', load)]
    assert dots.index(min(dots)) == 0
    # The morning charts keep the mornings; "Monday holds Sunday" is said once.
    morning = section(html, "h-morning")
    assert re.findall(r'<text class="col[^"]*"[^>]*>([^<]*)</text>', morning)[:2] == ["Mon", "Tue"]
    assert html.count("Monday's check-in tells about Sunday") == 1


def test_a_new_person_is_not_counted_against_days_before_they_began(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    """Issue 18: the week counted days before the first check-in as missing."""
    set_english(app, logged_in)
    store_diary(app, logged_in, build(7)[3:])  # from Thursday 5 March on
    html = page(client, "/week/2026-W10")
    assert "4 of the 4 days with a check-in" in html
    days = section(html, "h-days")
    assert days.count('class="before"') == 3 and 'class="out"' not in days
    assert "Monday 2 March: before your first check-in" in days
    # Too few check-ins for a usual level: the first screen says why it does not compare.
    brief = section(html, "h-brief")
    assert "We don't know your usual week well enough yet" in brief
    assert NO_USUAL_YET in brief
    assert "usual:" not in brief


def test_the_first_screen_tells_the_week(app: Flask, client: FlaskClient, logged_in: int) -> None:
    """Issue 18: the page opened with the signpost card and the check-in dots and never
    explained the Herstelscore. Now: one sentence, three figures against the person's own
    usual (the same numbers as the details), the Herstelscore explained a tap away."""
    set_english(app, logged_in)
    # Four steady weeks, then W10 (2–8 March) lighter and better recovered.
    diary = shifted(build(28), -28) + build(
        7, (1, 7, {"day_load": 2, "morning_energy": 10, "startup_effort": 0})
    )
    store_diary(app, logged_in, diary)
    raw = client.get("/week/2026-W10").get_data(as_text=True)
    html = page(client, "/week/2026-W10")
    brief = section(html, "h-brief")
    assert html.index('id="h-brief"') < html.index('id="h-morning"')
    assert '<p class="lead">A lighter week than you are used to: you felt more recovered in the mornings.</p>' in brief
    assert "7 of the 7 days with a check-in" in brief
    names = re.findall(r'<li class="key">\s*<p class="metric-head"><span class="name">([^<]*)<', brief)
    assert names == ["Recovery score", "Sleep", "Rest that recharged you"]
    assert "↑</span> higher than your usual" in brief
    assert "<summary>What does this mean?</summary>" in brief
    assert "whether your sleep recharged you, how much energy you had" in brief
    # The key figures are the details' figures.
    marks = dict(re.findall(r'data-figure="([^"]+)">([^<]*)<', raw))
    assert marks["key-ri"].split()[0] == marks["mean-ri"].split()[0]
    assert marks["key-tst"].split()[0] == marks["mean-tst"].split()[0]
    assert marks["key-rest"].split()[0] == marks["rest-recharged"]


def test_pinned_signposts_are_a_link_not_the_card_again(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    set_english(app, logged_in)
    store_diary(app, logged_in, shifted(SCENARIOS["S02"], -21))
    html = page(client, "/week/2026-W10")
    pins = html[html.index('class="pins"') : html.index('id="h-brief"')]
    assert '<a href="/patterns#flag-SIGNPOST_LOOK_FURTHER">Looking further could help</a>' in pins
    assert 'href="/safety"' in pins
    assert "That says nothing about you as a person" not in html


def test_a_pinned_signpost_says_the_improvement_with_it(
    app: Flask, client: FlaskClient, logged_in: int
) -> None:
    """The cards' precedence on the week page too: with "Looking further could help" pinned,
    "Something is shifting" is not a line of its own under it but said in one sentence."""
    set_english(app, logged_in)
    store_diary(app, logged_in, demo_diary(date(2026, 3, 10))[-42:])  # the demo account today
    html = page(client, "/week")
    assert "#flag-SIGNPOST_LOOK_FURTHER" in html and "#flag-REST_NO_RECOVERY" in html
    assert "#flag-IMPROVING" not in html
    stood_out = section(html, "h-stood-out")
    assert '<p class="also">At the same time, something is getting better:' in stood_out
