"""Issue 18: the coach page in plain words, readable on a phone.

Rendered straight from the pure coach summary of the demo diary (no database): what the coach
reads first, the words instead of the abbreviations, the tables that become cards on a narrow
screen, and the chain matrix split by week. The figures themselves are checked against
`flask summary` in test_summary_agreement.py, the PDF in test_share_pdf.py, the phone in a real
browser in tests/e2e/test_share_browser.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import cssselect2
import pytest
import tinyhtml5
from flask import Flask
from flask_babel import force_locale

from journal import create_app
from journal.domain.coach import CoachSummary, Row
from journal.domain.rules import Flag, FlagResult, Level, Link, State
from journal.domain.summary import Quadrant, Trend
from journal.web import share_words, words
from journal.web.numbers import clock, number
from tests.web.sharing import TODAY, render_summary, summary_of

LANGUAGES = ("nl", "en")
FRIDAY = TODAY + timedelta(days=3)  # 4 check-ins this week: enough for a pattern
Element = cssselect2.ElementWrapper

# The plain name of each measure, written out here so the page cannot quietly drift back to an
# abbreviation; the coach page's own table must agree.
PLAIN = {
    "en": {
        Row.RI: "Recovery score",
        Row.AI: "Evening activation",
        Row.TST: "Total sleep",
        Row.SOL: "Time to fall asleep",
        Row.WASO: "Awake after falling asleep",
        Row.SE: "Sleep efficiency",
    },
    "nl": {
        Row.RI: "Herstelscore",
        Row.AI: "Activatie in de avond",
        Row.TST: "Totale slaap",
        Row.SOL: "Inslaaptijd",
        Row.WASO: "Wakker na inslapen",
        Row.SE: "Slaapefficiëntie",
    },
}
# What the coach reads instead of z: the direction (G.3's arrow) and, from |z| ≥ 1.5, "clearly".
CHANGE = {
    "en": {
        "up": "higher",
        "down": "lower",
        "up-time": "longer",
        "down-time": "shorter",
        "clearly": "clearly ",
        "than": "than usual",
    },
    "nl": {
        "up": "hoger",
        "down": "lager",
        "up-time": "langer",
        "down-time": "korter",
        "clearly": "duidelijk ",
        "than": "dan gewoonlijk",
    },
}
JARGON = re.compile(r"\b(z|B|RI|AI|TST|SOL|WASO|SE|R0|L[1-5])\b")


@pytest.fixture(scope="module")
def page_app() -> Iterator[Flask]:
    """The page is rendered from a summary; no database is touched."""
    yield create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "test"})


def render(app: Flask, summary: CoachSummary, language: str) -> Element:
    return Element.from_html_root(tinyhtml5.parse(render_summary(app, summary, language)))


def text(element: Element, skip: str = "") -> str:
    """The visible text of an element, whitespace collapsed; `skip` leaves out one tag."""

    def walk(node: Any) -> Iterator[str]:
        if node.text and node.tag.rsplit("}")[-1] != skip:
            yield node.text
        for child in node:
            if child.tag.rsplit("}")[-1] != skip:
                yield from walk(child)
            if child.tail:
                yield child.tail

    return " ".join("".join(walk(element.etree_element)).split())


def one(root: Element, selector: str) -> Element:
    found = list(root.query_all(selector))
    assert len(found) == 1, (selector, len(found))
    return found[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_abbreviation_is_left_unexplained(page_app: Flask, language: str) -> None:
    """Issue 18: the page used z, B, RI/AI, TST/SOL/WASO/SE and R0–L5 as if every coach knew
    them. Outside an <abbr> that explains itself, none of them is left."""
    page = render(page_app, summary_of(TODAY), language)
    main = one(page, "main")
    found = JARGON.findall(text(main, skip="abbr"))
    assert found == [], found
    for abbr in main.query_all("abbr"):
        assert (abbr.etree_element.get("title") or "").strip(), text(abbr)
    # RI and AI keep their letters, explained in place: the plain name, the abbreviation with
    # its meaning as a title, and that meaning as visible text under it.
    metrics = one(page, "table.metrics")
    for row in (Row.RI, Row.AI):
        cell = one(metrics, f'th[data-row="{row.value}"]')
        abbr = one(cell, "abbr")
        assert text(abbr) == row.value
        explanation = abbr.etree_element.get("title")
        assert explanation and explanation in text(cell)
        assert text(cell).startswith(PLAIN[language][row])
    for row in (Row.TST, Row.SOL, Row.WASO, Row.SE):
        assert text(one(metrics, f'th[data-row="{row.value}"]')).startswith(PLAIN[language][row])
    # Sleep efficiency says what it is a percentage of.
    time_in_bed = {"en": "percent of the time in bed", "nl": "% van de tijd in bed"}[language]
    assert time_in_bed in text(one(metrics, f'th[data-row="{Row.SE.value}"]'))


def moved_words(language: str, row: Row, z: Fraction, trend: Trend) -> str:
    words_of = CHANGE[language]
    key = trend.value + ("-time" if row in (Row.TST, Row.SOL, Row.WASO) else "")
    return ("" if abs(z) < Fraction(3, 2) else words_of["clearly"]) + words_of[key]


def shown(row: Row, value: Fraction | None) -> str:
    if row is Row.TST:
        return clock(value)
    if row is Row.SE:
        return number(value, 0) + "%"
    if row in (Row.SOL, Row.WASO):
        return number(value, 0) + " min"
    return number(value, 0 if row in (Row.RI, Row.AI) else 1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_glance_says_what_moved_most_in_words(page_app: Flask, language: str) -> None:
    """Issue 18: only "At a glance" read in two minutes, and it held no figure. Now it names
    the (up to) four figures furthest from the client's own usual level, furthest first, in
    words: "Recovery score 56, clearly higher than usual (26)"."""
    summary = summary_of(TODAY)
    page = render(page_app, summary, language)
    glance = one(page, "section.glance")
    assert next(iter(page.query_all("main section"))).etree_element is glance.etree_element
    moved = sorted(
        (m for m in summary.metrics if m.arrow in (Trend.UP, Trend.DOWN)),
        key=lambda m: -abs(m.z or 0),
    )[:4]
    assert len(moved) == 4
    items = [text(li) for li in glance.query_all("li.moved")]
    with page_app.test_request_context("/"), force_locale(language):
        expected = [
            f"{share_words.ROWS[m.metric].label} {shown(m.metric, m.mean)}, "
            f"{moved_words(language, m.metric, m.z or Fraction(0), m.arrow or Trend.FLAT)} "
            f"{CHANGE[language]['than']} "
            f"({shown(m.metric, m.baseline.median if m.baseline else None)})"
            for m in moved
        ]
    assert items == expected
    assert items[0].startswith(PLAIN[language][Row.AI] + " 30, ")  # z = −5: the furthest


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_glance_tells_the_pattern_in_plain_words_only_from_four_checkins(
    page_app: Flask, language: str
) -> None:
    """Issue 18: the pattern is told in plain words once the week has 4 check-ins (G.3), and
    otherwise the glance says why there is none."""
    plain = {
        "en": "Tense evenings and mornings with little recovery",
        "nl": "Gespannen avonden en ochtenden met weinig herstel",
    }[language]
    friday = summary_of(FRIDAY)
    assert friday.checkins.n == 4 and friday.pattern is Quadrant.ACTIVATED_LOW_RECOVERY
    said = text(one(render(page_app, friday, language), '[data-figure="pattern"]'))
    assert said.startswith(plain), said
    tuesday = summary_of(TODAY)
    assert tuesday.checkins.n == 2 and tuesday.pattern is None
    said = text(one(render(page_app, tuesday, language), '[data-figure="pattern"]'))
    assert plain not in said
    assert "4" in said and "2" in said  # how many are needed, and how many there are


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_table_becomes_cards_on_a_narrow_screen(page_app: Flask, language: str) -> None:
    """Issue 18: on a phone the tables scrolled sideways. Each row becomes a card whose values
    carry their column's name (data-label), and no table sits in a sideways-scrolling box."""
    page = render(page_app, summary_of(TODAY, weeks=8), language)
    tables = list(page.query_all("main table"))
    assert len(tables) >= 4
    for table in tables:
        if "matrix" in (table.etree_element.get("class") or ""):
            continue  # the chain's week tables fit a phone as they are
        assert "cards" in (table.etree_element.get("class") or "").split()
        headers = [text(th) for th in table.query_all("thead th")]
        for row in table.query_all("tbody tr"):
            cells = list(row.query_all("td"))
            assert cells
            for cell in cells:
                index = list(row.etree_element).index(cell.etree_element)
                assert cell.etree_element.get("data-label") == headers[index]
    assert list(page.query_all(".scroll")) == []
    screen = (Path(page_app.static_folder or "") / "share-screen.css").read_text(encoding="utf-8")
    narrow = re.search(r"@media \(max-width: 37\.5rem\) \{(.*)\n\}", screen, re.S)
    assert narrow is not None
    assert "table.cards tr" in narrow.group(1) and "attr(data-label)" in narrow.group(1)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("weeks", [2, 4])
def test_the_chain_is_shown_week_by_week_with_the_links_names(
    page_app: Flask, language: str, weeks: int
) -> None:
    """Issue 18: the chain was one 28-column matrix with rows R0–L5, cut off on paper and
    scrolled on a phone. Now one small table per calendar week, ending on the last day, each
    row named as the person's pages name the link (journal.web.words)."""
    summary = summary_of(TODAY, weeks)
    page = render(page_app, summary, language)
    tables = list(page.query_all("table.matrix"))
    days = summary.timeline.days
    mondays = sorted({d - timedelta(days=d.weekday()) for d in days})
    assert len(tables) == len(mondays)
    with page_app.test_request_context("/"), force_locale(language):
        names = [str(words.LINKS[link].label) for link in Link]
        last = share_words.day(days[-1])
        first = share_words.day(days[0])
    for table in tables:
        rows = [text(th) for th in table.query_all("tbody th")]
        assert rows == names
        assert len(list(table.query_all("tbody tr:first-child td"))) == 7
    headers = [th.etree_element.get("title") for th in tables[-1].query_all("thead th[title]")]
    assert headers[-1] == last
    headers = [th.etree_element.get("title") for th in tables[0].query_all("thead th[title]")]
    assert headers[0] == first
    shown_days = sum(len(list(t.query_all("thead th[title]"))) for t in tables)
    assert shown_days == len(days)


def test_the_glance_lists_signposts_first() -> None:
    """Whatever order the flags come in, a signpost heads the glance's list of what is active."""
    improving = FlagResult(Flag.IMPROVING, State.ACTIVE, Level.POSITIVE, (), {}, {})
    signpost = FlagResult(Flag.SIGNPOST_DOCTOR, State.ACTIVE, Level.DOCTOR, (), {}, {})
    chain = FlagResult(Flag.REST_NO_RECOVERY, State.ACTIVE, Level.NOTICE, (), {}, {})
    ordered = share_words.signposts_first([improving, chain, signpost])
    assert [r.flag for r in ordered] == [
        Flag.SIGNPOST_DOCTOR,
        Flag.IMPROVING,
        Flag.REST_NO_RECOVERY,
    ]
