"""The words of each flag, reason, level and chain link (nl, en), keyed by the domain's enums.

One place per word: the person's cards (home, Patronen, the week page, through the
`flag_card` macro of templates/_cards.html) and the coach's summary take a flag's, reason's or
link's words from here, so a flag never says one thing to the person and another to the coach
by accident. Every table is typed by its enum and tests/web/test_words.py renders all of them
in both languages. The tables hold lazy strings: they render in the locale active where they
are used (the person's, or the coach's on a shared page).

The views hand this package to their templates as `words`; the enums the tables are keyed by
are here too, so a template iterates `words.Link` instead of typing the ids out.
"""

from journal.domain.rules import Flag, Level, Link, Reason
from journal.web.words.flags import (
    DISMISS_REASONS,
    EVENTS,
    FLAGS,
    LEVELS,
    LOOP_EXPLAINED,
    FlagWords,
    Shown,
    also_improving,
    gist,
    link_list,
    more,
    paragraphs,
)
from journal.web.words.links import LINKS, PATTERN_NAME, REST_NOTE, LinkWords, drawing
from journal.web.words.lists import joined
from journal.web.words.reasons import REASONS, ReasonWords, reason_list
from journal.web.words.week import NO_USUAL_YET, RECOVERY_SCORE_EXPLAINED, WEEK_SENTENCES

__all__ = [
    "DISMISS_REASONS",
    "EVENTS",
    "FLAGS",
    "LEVELS",
    "LINKS",
    "LOOP_EXPLAINED",
    "NO_USUAL_YET",
    "PATTERN_NAME",
    "REASONS",
    "RECOVERY_SCORE_EXPLAINED",
    "REST_NOTE",
    "WEEK_SENTENCES",
    "Flag",
    "FlagWords",
    "Level",
    "Link",
    "LinkWords",
    "Reason",
    "ReasonWords",
    "Shown",
    "also_improving",
    "drawing",
    "gist",
    "joined",
    "link_list",
    "more",
    "paragraphs",
    "reason_list",
]
