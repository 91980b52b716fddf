"""Every word of every flag, reason, level and chain link, rendered in both languages.

The card cases render the one card macro (templates/_cards.html) the way home, Patronen and the
week page do, for every flag at every level its rule can give, with representative reasons and
numbers: a text that lost a placeholder, printed "None" or was left untranslated fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from html import unescape
from typing import Any

import pytest
from flask import Flask, render_template_string
from flask_babel import force_locale

from journal import create_app
from journal.domain.checkin import Dozed
from journal.domain.lifecycle import SIGNPOSTS, Card, EventKind
from journal.domain.rules import Flag, Level, Link, Numbers, Reason
from journal.domain.summary.sentence import WeekSentence
from journal.web import words
from journal.web.words.reasons import DOZED_CLAUSES, NIGHT_DETAILS

LANGUAGES = ("nl", "en")

# The levels each rule can give (DOMAIN C.2–C.11).
LEVELS_OF: Mapping[Flag, tuple[Level, ...]] = {
    Flag.REST_NO_RECOVERY: (Level.NOTICE, Level.ATTENTION, Level.PERSISTENT),
    Flag.EARLY_SIGNS: (Level.NOTICE, Level.ATTENTION),
    Flag.SLEEP_DISRUPTED: (Level.NOTICE, Level.ATTENTION),
    Flag.NO_ROOM_TO_RECOVER: (Level.NOTICE,),
    Flag.CARRYING_ALONE: (Level.NOTICE,),
    Flag.LITTLE_OUTDOOR_MOVEMENT: (Level.INFO,),
    Flag.SIGNPOST_LOOK_FURTHER: (Level.PERSISTENT,),
    Flag.SIGNPOST_DOCTOR: (Level.DOCTOR,),
    Flag.IMPROVING: (Level.POSITIVE,),
    Flag.CHECKIN_GAP: (Level.INFO,),
}


@dataclass(frozen=True)
class Seen:
    """Representative reasons and numbers of one flag, with every reason it can give."""

    reasons: tuple[Reason, ...] = ()
    numbers: Numbers = field(default_factory=dict)
    links: Mapping[Link, bool | None] = field(default_factory=dict)
    early_signs: tuple[Reason, ...] = ()


SEEN: Mapping[Flag, Seen] = {
    Flag.REST_NO_RECOVERY: Seen(
        numbers={"rest_days": 5, "unrecovered_days": 4, "links_present": 4},
        links={Link.R0: True, Link.L1: True, Link.L2: False, Link.L3: True, Link.L4: True,
               Link.L5: None},
        early_signs=(Reason.E1, Reason.E3),
    ),
    Flag.EARLY_SIGNS: Seen(reasons=(Reason.E1, Reason.E2, Reason.E3, Reason.E4)),
    Flag.SLEEP_DISRUPTED: Seen(
        reasons=(Reason.DISTURBED_NIGHTS, Reason.LOW_EFFICIENCY, Reason.SHORT_SLEEP),
        numbers={"n": 4, "nights": 7},
    ),
    Flag.NO_ROOM_TO_RECOVER: Seen(numbers={"n_heavy": 5}),
    Flag.CARRYING_ALONE: Seen(numbers={"not_meaningful_days": 6, "supported_days": 1}),
    Flag.LITTLE_OUTDOOR_MOVEMENT: Seen(numbers={"walk_days": 1}),
    Flag.SIGNPOST_LOOK_FURTHER: Seen(reasons=(Reason.CHAIN_PERSISTENT, Reason.EARLY_SIGNS_3W)),
    Flag.SIGNPOST_DOCTOR: Seen(
        reasons=(Reason.SLEEPINESS, Reason.SLEEP_DISORDER_SIGNS, Reason.MEDICATION,
                 Reason.MEDICAL),
        numbers={"dozed": Dozed.WHILE_DRIVING.value, "while_driving": True, "n": 3,
                 "detail_breathing": True, "detail_legs": True,
                 "detail_disrupted_weeks": True, "detail_long_unrefreshing": True},
    ),
    Flag.IMPROVING: Seen(
        reasons=(Reason.RECOVERY_UP, Reason.TENSION_DOWN, Reason.REST_RECHARGING,
                 Reason.SLEEP_REFRESHING),
    ),
    Flag.CHECKIN_GAP: Seen(numbers={"n": 2}),
}

# Numbers of a reason's own sentence, for the reason table.
SENTENCE_NUMBERS: Numbers = {**SEEN[Flag.SIGNPOST_DOCTOR].numbers, "n": 4}

TITLE = re.compile(r'<h2 id="card-[A-Z_]+">(.*?)</h2>', re.S)
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


@pytest.fixture(scope="module")
def words_app() -> Iterator[Flask]:
    # Words need no database: an app that is never connected is enough.
    yield create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "test"})


def card_of(flag: Flag, level: Level) -> Card:
    seen = SEEN[flag]
    return Card(flag, level, seen.reasons, seen.numbers, seen.links,
                event=EventKind.ONSET, pinned=flag in SIGNPOSTS, early_signs=seen.early_signs)


def rendered(app: Flask, language: str, source: str, **context: Any) -> str:
    with app.test_request_context("/"), force_locale(language):
        return unescape(render_template_string(source, words=words, **context))


def render_card(
    app: Flask, language: str, card: Card, full: bool = True
) -> tuple[str, list[str]]:
    """A card as Patronen shows it (`full`, with "Lees meer" opened) or as home does."""
    html = rendered(
        app,
        language,
        '{% from "_cards.html" import flag_card %}'
        "{{ flag_card(card, words, full=full, pinned=card.pinned, dismiss=not full) }}",
        card=card,
        full=full,
    )
    title = TITLE.search(html.replace('id="h-', 'id="card-'))
    assert title is not None
    return title.group(1), PARAGRAPH.findall(html)


def in_words(app: Flask, language: str, value: object) -> str:
    with app.test_request_context("/"), force_locale(language):
        return str(value() if callable(value) else value)


def assert_said(text: str) -> None:
    assert text.strip()
    assert "%(" not in text
    assert "None" not in text


# --- The tables are complete: mypy catches a mistyped key, these a missing one ---------------


def test_every_id_has_its_words() -> None:
    assert list(words.FLAGS) == list(Flag)
    assert list(words.REASONS) == list(Reason)
    assert list(words.LINKS) == list(Link)
    assert list(words.LEVELS) == list(Level)
    assert list(words.EVENTS) == list(EventKind)
    assert list(LEVELS_OF) == list(Flag) == list(SEEN)
    # Every reason is on one of the representative cards.
    assert {r for s in SEEN.values() for r in (*s.reasons, *s.early_signs)} == set(Reason)


# --- The person's cards ------------------------------------------------------------------------

CARD_CASES = [(flag, level) for flag in Flag for level in LEVELS_OF[flag]]


@pytest.mark.parametrize(("flag", "level"), CARD_CASES, ids=[f"{f}-{lv.id}" for f, lv in CARD_CASES])
def test_every_card_renders_in_both_languages(words_app: Flask, flag: Flag, level: Level) -> None:
    card = card_of(flag, level)
    for full in (True, False):
        said = {language: render_card(words_app, language, card, full) for language in LANGUAGES}
        for title, paragraphs in said.values():
            assert_said(title)
            assert paragraphs
            for paragraph in paragraphs:
                assert_said(paragraph)
        (nl_title, nl_text), (en_title, en_text) = said["nl"], said["en"]
        assert nl_title != en_title
        assert len(nl_text) == len(en_text)
        assert all(nl != en for nl, en in zip(nl_text, en_text, strict=True))


@pytest.mark.parametrize("flag", list(Flag))
def test_home_and_patronen_do_not_say_the_same_paragraph(words_app: Flask, flag: Flag) -> None:
    """Issue 18: a card stood word for word on home, /week and Patronen. Home says it in one
    sentence; the full text is on Patronen."""
    card = card_of(flag, LEVELS_OF[flag][-1])
    for language in LANGUAGES:
        home = render_card(words_app, language, card, full=False)[1]
        patterns = render_card(words_app, language, card, full=True)[1]
        assert home[0] not in patterns
        assert len(home[0].split()) <= 35  # one sentence (IMPROVING's lists what improved)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_improving_card_does_not_repeat_its_heading(words_app: Flask, language: str) -> None:
    """Issue 18: "Er beweegt iets: Er beweegt iets…"."""
    for full in (True, False):
        title, text = render_card(words_app, language, card_of(Flag.IMPROVING, Level.POSITIVE), full)
        assert not any(p.startswith(title) for p in text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_signpost_card_holds_the_improvement_too(words_app: Flask, language: str) -> None:
    card = replace(
        card_of(Flag.SIGNPOST_LOOK_FURTHER, Level.PERSISTENT),
        also_improving=(Reason.RECOVERY_UP,),
    )
    html = rendered(
        words_app,
        language,
        '{% from "_cards.html" import flag_card %}'
        "{{ flag_card(card, words, pinned=true, also=card.also_improving) }}",
        card=card,
    )
    line = in_words(words_app, language, lambda: words.also_improving((Reason.RECOVERY_UP,)))
    assert f'<p class="also">{line}</p>' in html
    assert in_words(words_app, language, words.REASONS[Reason.RECOVERY_UP].phrase) in line


@pytest.mark.parametrize("language", LANGUAGES)
def test_cards_fill_in_what_was_seen(words_app: Flask, language: str) -> None:
    """The names of the links, the phrases of the reasons and night-time signs are in the
    cards' sentences (Patronen's full text, "Lees meer" included)."""

    def text(flag: Flag, level: Level) -> str:
        return " ".join(render_card(words_app, language, card_of(flag, level))[1])

    def phrases(*values: object) -> list[str]:
        return [in_words(words_app, language, v) for v in values]

    chain = text(Flag.REST_NO_RECOVERY, Level.PERSISTENT)
    noticed = re.search(r"(?:What we notice|Wat we zien): (.*?)\.", chain)
    assert noticed is not None
    present = [words.LINKS[link].label for link in (Link.L1, Link.L3, Link.L4)]
    absent = [words.LINKS[link].label for link in (Link.L2, Link.L5)]
    signs = [words.REASONS[r].phrase for r in (Reason.E1, Reason.E3)]
    assert all(p in noticed.group(1) for p in phrases(*present))
    assert not any(p in noticed.group(1) for p in phrases(*absent))
    assert all(p in chain for p in phrases(*signs))
    assert "5" in chain and "4" in chain
    # The first sentence and three short ones are shown; the rest is behind "Lees meer", where
    # the persistence line is only there once the pattern persists.
    def more(level: Level) -> list[str]:
        card = card_of(Flag.REST_NO_RECOVERY, level)
        with words_app.test_request_context("/"), force_locale(language):
            return words.more(card, card.early_signs)

    assert len(render_card(words_app, language, card_of(Flag.REST_NO_RECOVERY, Level.NOTICE))[1]) == 2 + len(more(Level.NOTICE))
    assert len(more(Level.PERSISTENT)) == len(more(Level.NOTICE)) + 1

    early = text(Flag.EARLY_SIGNS, Level.NOTICE)
    assert all(p in early for p in phrases(*(words.REASONS[r].phrase for r in SEEN[Flag.EARLY_SIGNS].reasons)))
    better = text(Flag.IMPROVING, Level.POSITIVE)
    assert all(p in better for p in phrases(*(words.REASONS[r].phrase for r in SEEN[Flag.IMPROVING].reasons)))

    # One sentence per reason, then the closing line.
    assert len(render_card(words_app, language, card_of(Flag.SLEEP_DISRUPTED, Level.NOTICE))[1]) == 4
    doctor = render_card(words_app, language, card_of(Flag.SIGNPOST_DOCTOR, Level.DOCTOR))[1]
    assert len(doctor) == 5
    assert phrases(DOZED_CLAUSES[Dozed.WHILE_DRIVING])[0] in doctor[0]
    assert all(p in doctor[1] for p in phrases(*(label for _key, label in NIGHT_DETAILS)))
    # The no-driving line is on home's card too, not only behind a tap.
    home = render_card(words_app, language, card_of(Flag.SIGNPOST_DOCTOR, Level.DOCTOR), full=False)[1]
    assert in_words(words_app, language, lambda: _no_driving()) in home[0]


def _no_driving() -> str:
    from flask_babel import gettext

    return str(gettext("Please avoid driving while you feel this sleepy."))


def test_a_signpost_card_can_be_closed_with_a_reason(words_app: Flask) -> None:
    html = rendered(
        words_app,
        "en",
        '{% from "_cards.html" import flag_card %}'
        "{{ flag_card(card, words, pinned=true, dismiss=true) }}",
        card=card_of(Flag.SIGNPOST_DOCTOR, Level.DOCTOR),
    )
    for key in words.DISMISS_REASONS:
        assert f'name="dismiss_reason" value="{key}"' in html
    assert 'href="/safety"' in html and 'href="/patterns#flag-SIGNPOST_DOCTOR"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chain_drawing_has_every_link(words_app: Flask, language: str) -> None:
    links = SEEN[Flag.REST_NO_RECOVERY].links
    html = rendered(
        words_app,
        language,
        '{% from "_cards.html" import chain_figure %}{{ chain_figure(links, words) }}',
        links=links,
    )
    nodes = re.findall(r'<g class="node (\w+)[^"]*" data-link="(\w+)">(.*?)</g>', html, re.S)
    # The loop in seed 004's order, then R0 beside it.
    assert [link for _state, link, _body in nodes] == ["L1", "L2", "L3", "L4", "L5", "R0"]
    assert [state for state, _link, _body in nodes] == ["on", "off", "on", "on", "unknown", "on"]
    for _state, link, body in nodes:
        lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", body)
        assert " ".join(lines) == in_words(words_app, language, words.LINKS[Link(link)].label)
    # The text equivalent names every link with its state, in the reader's language.
    caption = html[html.index("<figcaption"):html.index("</figcaption>")]
    assert caption.count("<li>") == 6
    assert in_words(words_app, language, words.PATTERN_NAME) in caption


def test_one_name_for_the_pattern() -> None:
    """Issue 18: "Rust die niet oplaadt", "Als rust geen herstel wordt" and "de keten" were
    three names for one idea. The card, Patronen, the drawing and the coach use one."""
    said = words.FLAGS[Flag.REST_NO_RECOVERY]
    assert said.title is words.PATTERN_NAME and said.coach is words.PATTERN_NAME


@pytest.mark.parametrize("sentence", list(WeekSentence))
def test_every_week_sentence_has_its_words(words_app: Flask, sentence: WeekSentence) -> None:
    assert_translated(both(words_app, words.WEEK_SENTENCES[sentence]))


# --- Reasons, links, levels and events -------------------------------------------------------


def both(app: Flask, value: object) -> dict[str, str]:
    return {language: in_words(app, language, value) for language in LANGUAGES}


def assert_translated(said: Mapping[str, str]) -> None:
    for text in said.values():
        assert_said(text)
    assert said["nl"] != said["en"]


@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_has_its_words(words_app: Flask, reason: Reason) -> None:
    said = words.REASONS[reason]
    assert_translated(both(words_app, said.coach))
    if said.phrase is not None:
        assert_translated(both(words_app, said.phrase))
    sentence = said.sentence
    if sentence is not None:
        assert_translated(both(words_app, lambda: sentence(SENTENCE_NUMBERS)))
    # The person's card words each reason one way or the other, except the look-further
    # signpost's two reasons: its card reads the same for both.
    if reason not in (Reason.CHAIN_PERSISTENT, Reason.EARLY_SIGNS_3W):
        assert said.phrase is not None or sentence is not None


@pytest.mark.parametrize("link", list(Link))
def test_every_link_has_its_words(words_app: Flask, link: Link) -> None:
    said = words.LINKS[link]
    assert_translated(both(words_app, said.label))
    assert_translated(both(words_app, said.meaning))


COACH_WORDS = {
    **{f"level-{level.id}": said for level, said in words.LEVELS.items()},
    **{f"event-{kind}": said for kind, said in words.EVENTS.items()},
    **{f"dismissed-{key}": said for key, said in words.DISMISS_REASONS.items()},
    **{f"flag-{flag}": said.coach for flag, said in words.FLAGS.items()},
}


@pytest.mark.parametrize("key", list(COACH_WORDS))
def test_every_level_event_and_flag_name_has_its_words(words_app: Flask, key: str) -> None:
    said = both(words_app, COACH_WORDS[key])
    if key == "level-info":
        assert said == {"nl": "info", "en": "info"}  # the same word in Dutch
    else:
        assert_translated(said)


def test_the_coach_reads_reasons_as_one_list(words_app: Flask) -> None:
    reasons = (Reason.SLEEPINESS, Reason.MEDICAL)
    said = both(words_app, lambda: words.reason_list(reasons))
    assert said["en"] == (
        "marked daytime sleepiness or nodding off unintentionally and wonders about a "
        "physical cause"
    )
    assert " en " in said["nl"]
