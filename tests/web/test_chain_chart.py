"""The chain drawn as a loop (issue 18): geometry that stays legible on a phone, in both
languages, whatever the links' states."""

from __future__ import annotations

import itertools
import re

import pytest
from flask import Flask
from flask_babel import force_locale

from journal import create_app
from journal.domain.rules import Link
from journal.web import words
from journal.web.chain_chart import (
    LINE_CHARS,
    LOOP,
    REST_LINE_CHARS,
    ChainDrawing,
    Node,
    State,
    chain_drawing,
    wrap,
)

ALL = {link: True for link in Link}


@pytest.fixture(scope="module")
def words_app() -> Flask:
    return create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "test"})


def drawn(app: Flask, language: str, links: dict[Link, bool | None]) -> ChainDrawing:
    with app.test_request_context("/"), force_locale(language):
        return words.drawing(links)


def overlap(a: Node, b: Node) -> bool:
    return abs(a.x - b.x) < (a.width + b.width) / 2 and abs(a.y - b.y) < (a.height + b.height) / 2


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_loop_is_legible_in_both_languages(words_app: Flask, language: str) -> None:
    c = drawn(words_app, language, ALL)
    assert [n.link for n in c.nodes] == list(LOOP)
    boxes = [*c.nodes, c.rest]
    # No box overlaps another, and all of them lie inside the drawing.
    for a, b in itertools.combinations(boxes, 2):
        assert not overlap(a, b), (a.link, b.link)
    for n in boxes:
        assert n.left >= 0 and n.left + n.width <= c.width, n.link
        assert n.top - 9 >= 0 and n.top + n.height <= c.height, n.link  # the badge included
        limit = REST_LINE_CHARS if n is c.rest else LINE_CHARS
        assert all(len(line) <= limit or " " not in line for line in n.lines), n.lines
    # R0 stands beside the loop (below it), not on it.
    assert c.rest.top > max(n.top + n.height for n in c.nodes)
    assert c.rest.x == c.centre_x


def test_the_first_link_is_on_top_and_the_loop_runs_clockwise() -> None:
    labels = {link: link.value for link in Link}
    c = chain_drawing(ALL, labels, "note")
    l1, l2, l3, l4, l5 = c.nodes
    assert l1.y < l2.y < l3.y and l1.x == c.centre_x  # top, then down the right side
    assert l3.x > l4.x and l4.y == l3.y  # along the bottom, right to left
    assert l5.x < c.centre_x and l5.y == l2.y  # up the left side
    # Every arrow is a clockwise arc ("0 0,1") that ends outside the next box, so its head shows.
    for arrow, following in zip(c.arrows, (*c.nodes[1:], c.nodes[0]), strict=True):
        assert " 0 0,1 " in arrow.path
        end = re.findall(r"(-?[\d.]+),(-?[\d.]+)$", arrow.path)[0]
        assert not following.contains(float(end[0]), float(end[1]))


@pytest.mark.parametrize(
    ("states", "lit"),
    [
        ((True, True, True, True, True), [True, True, True, True, True]),
        ((False, False, True, True, True), [False, False, True, True, False]),
        ((None, False, True, True, True), [False, False, True, True, False]),
        ((None, None, None, None, None), [False] * 5),
    ],
)
def test_arrows_are_lit_between_present_links(
    states: tuple[bool | None, ...], lit: list[bool]
) -> None:
    links = dict(zip(LOOP, states, strict=True)) | {Link.R0: True}
    c = chain_drawing(links, {link: link.value for link in Link}, "note")
    assert [a.lit for a in c.arrows] == lit
    expected = [State.UNKNOWN if s is None else State.ON if s else State.OFF for s in states]
    assert [n.state for n in c.nodes] == expected
    assert [n.mark for n in c.nodes] == [
        {"on": "✓", "off": "", "unknown": "?"}[s] for s in expected
    ]


def test_labels_wrap_between_words() -> None:
    assert wrap("op gang komen kost meer moeite") == ("op gang komen", "kost meer", "moeite")
    assert wrap("slaapstoornisonderzoek") == ("slaapstoornisonderzoek",)  # never mid-word
