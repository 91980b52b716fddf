"""Issue 18: the person's week page, the coach page and `flask summary` show the same week.

Hypothesis writes a diary, stores it for a new person, and reads this week's figures three
ways: `flask summary --json` run on the diary's CSV (DOMAIN G.3), the figures behind /week and
behind the coach page /s/<token>, and the numbers those two pages print. The pages' numbers
are found by their `data-figure` marks and formatted here with the pages' own formatters
(journal.web.numbers), so a redesign that keeps the marks keeps this test.

Today is Saturday 14 March 2026 (08:30 in Amsterdam): the week is Monday 9 – Saturday 14.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from journal.domain.checkin import CheckIn
from journal.domain.coach import coach_summary
from journal.domain.diary_csv import write_diary
from journal.domain.summary import report, week_summary
from journal.store import share_links
from journal.store.checkins import store_days
from journal.web import share_words, week
from journal.web.coach_charts import pattern_mix
from journal.web.numbers import clock, number
from tests.conftest import Accounts
from tests.domain.scenario_builder import make_day
from tests.strategies import diaries
from tests.web.sharing import make_link

NOW = datetime(2026, 3, 14, 7, 30, tzinfo=UTC)
TODAY = date(2026, 3, 14)
MONDAY = date(2026, 3, 9)
_people = itertools.count()


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"FIXED_NOW": NOW}


class Figures(HTMLParser):
    """The text of every element marked data-figure, by its name (marks may nest)."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "source", "wbr"})

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: dict[str, str] = {}
        self.attrs_of: dict[str, dict[str, str | None]] = {}
        self._open: list[str | None] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        name = dict(attrs).get("data-figure")
        if name is not None:
            assert name not in self.found, f"two marks named {name}"
            self.found[name] = ""
            self.attrs_of[name] = dict(attrs)
        self._open.append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for name in self._open:
            if name is not None:
                self.found[name] += data

    def text(self, name: str) -> str:
        return " ".join(self.found[name].split())


def exact(value: float | None) -> Fraction | None:
    """The JSON's float back as a fraction for the pages' formatters (a float of a mean
    lands on a rounding boundary only when the mean itself does, so no rounding changes)."""
    return None if value is None else Fraction(value)


# Diaries of up to ten weeks up to today, with gaps; dates after today are not allowed.
week_diaries = diaries(max_size=45, dates=st.dates(TODAY - timedelta(days=69), TODAY))


# Ten weeks with the first two (energy 3) unlike the rest (energy 8): the anchor of the first
# 14 valid records (3) lies before the week page's window; Wednesday of this week is missing.
LONG_DIARY = [
    make_day(n, {"morning_energy": 3 if n < -45 else 8, "day_load": 4 + n % 5})
    for n in range(-56, 14)  # day 13 is today; day 1 is Monday 2 March
    if n != 10
]


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(diary=week_diaries)
@example(diary=LONG_DIARY)
def test_week_page_coach_page_and_command_agree(
    app: Flask, accounts: Accounts, tmp_path: Path, diary: list[CheckIn]
) -> None:
    email = f"person{next(_people)}@example.org"
    person = accounts.create(email, language="en")
    with app.app_context():
        store_days(person, diary, made_at=NOW)

    # The command, on the diary's CSV.
    path = tmp_path / f"{email}.csv"
    path.write_text(write_diary(sorted(diary, key=lambda r: r.date)), encoding="utf-8")
    args = ["summary", str(path), "--week", "2026-W11", "--today", TODAY.isoformat(), "--json"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    command = json.loads(result.output)

    # The figures behind both pages, from what each page loads.
    with app.app_context():
        page_figures = week_summary(week.load_records(person, MONDAY), MONDAY, TODAY).figures
        coach_records = share_links.load_records(person, TODAY, 2)
    coach = coach_summary(coach_records, [], TODAY, 2)
    assert json.loads(report.to_json(page_figures)) == command
    assert json.loads(report.to_json(coach.week)) == command

    # What the pages print.
    client = app.test_client()
    assert Accounts(app, client).login(email).status_code == 302
    week_page = Figures(client.get("/week").get_data(as_text=True))
    _url, token = make_link(client, weeks="2")
    coach_page = Figures(app.test_client().get(f"/s/{token}?lang=en").get_data(as_text=True))
    with app.test_request_context("/"), force_locale("en"):
        check_week_page(week_page, command)
        check_coach_page(coach_page, command)


def check_week_page(page: Figures, command: dict[str, Any]) -> None:
    metrics = command["metrics"]
    if not command["checkins"] and not command["missing_dates"]:
        assert "checkins" not in page.found  # "No check-ins this week."
    else:
        assert page.text("checkins") == str(command["checkins"])
    info = week.metric_info()
    for metric in info:
        if metric.value in ("ai", "tst"):
            continue  # not a mean of the page: AI is in the 8 weeks, TST is below
        key = next(k for k in metrics if k.lower() == metric.value)
        shown = number(exact(metrics[key]["mean"]), info[metric].places)
        assert page.text(f"mean-{metric.value}").split(" ")[0] == shown, metric
    assert page.text("mean-tst").startswith(clock(exact(metrics["TST"]["mean"])))
    rest = command["rest"]
    assert page.text("rest-days").split(" ")[0] == str(rest["days"])
    assert page.text("rest-minutes") == week.duration(rest["minutes"])
    heaviest = command["heaviest_load"]["day_load"]
    assert page.found.get("heaviest-load") == (None if heaviest is None else str(heaviest))
    assert page.text("contact-days").split(" ")[0] == str(command["contact"]["days"])
    assert page.text("walk-days").split(" ")[0] == str(command["movement"]["walk_days"])
    assert page.text("walk-minutes") == week.duration(command["movement"]["walk_minutes"])
    if command["checkins"]:
        assert page.text("disturbed-nights") == str(command["disturbed_nights"])


def check_coach_page(page: Figures, command: dict[str, Any]) -> None:
    assert page.text("checkins") == str(command["checkins"])
    assert page.text("checkin-days") == str(command["checkins"] + len(command["missing_dates"]))
    assert page.attrs_of["pattern"]["data-pattern"] == (command["pattern"] or "")
    for row, info in share_words.ROWS.items():
        values = command["metrics"][row.value]
        for part, key in (("mean", "mean"), ("baseline", "baseline"), ("anchor", "anchor")):
            value = exact(values[key])
            shown = clock(value) if info.kind == "clock" else number(value, info.places)
            assert page.text(f"{row.value}-{part}") == shown, (row, part)
    rest = command["rest"]
    assert page.text("rest-days") == str(rest["days"])
    assert page.text("rest-minutes") == str(rest["minutes"])
    assert page.text("contact-days") == str(command["contact"]["days"])
    assert page.text("walk-days") == str(command["movement"]["walk_days"])
    assert page.text("walk-minutes") == str(command["movement"]["walk_minutes"])


def test_the_pattern_mix_plots_only_weeks_with_a_pattern() -> None:
    """Issue 18: with 2 check-ins this week the chart still placed the week in a quadrant."""
    diary = [make_day(n, {}) for n in (1, 2, 3, 4, 8, 9)]  # 4 in W10, 2 in W11 so far
    blocks = coach_summary(diary, [], date(2026, 3, 10), 2).blocks
    assert [b.checkins for b in blocks] == [4, 2]
    assert [b.quadrant is not None for b in blocks] == [True, False]
    assert [p.index for p in pattern_mix(blocks).points] == [0]


def test_home_does_not_count_the_day_before_the_first_check_in(app: Flask) -> None:
    """Issue 18: on day 1 home said "No check-in for yesterday" to a person who had not begun
    yet. Missing days start at the first check-in (G.3)."""
    client = app.test_client()
    people = Accounts(app, client)
    person = people.create("new@example.org", language="en")
    assert people.login("new@example.org").status_code == 302
    assert "No check-in for yesterday" not in client.get("/").get_data(as_text=True)
    with app.app_context():  # today's check-in: yesterday still lies before the first one
        store_days(person, [make_day(13, {})], made_at=NOW)
    assert "No check-in for yesterday" not in client.get("/").get_data(as_text=True)
    with app.app_context():  # a check-in two days ago: now yesterday is missing
        store_days(person, [make_day(11, {})], made_at=NOW)
    assert "No check-in for yesterday" in client.get("/").get_data(as_text=True)
