"""The name of seed 004's pattern and of each link of its chain (DOMAIN C.2), keyed by `Link`.

One name per idea, used everywhere (issue 18): the pattern's name is the chain card's title,
the Patronen page's heading, the drawing's title and the coach's name for the flag; a link's
`label` is what the card's sentence lists, what the drawing writes in its node and what the
coach's matrix calls the row. A label therefore reads both on its own (a node) and in a list
("Wat we zien: belasting zonder herstel, je systeem blijft aan en …").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from journal.domain.rules import Link, Links
from journal.web.chain_chart import ChainDrawing, chain_drawing

PATTERN_NAME: Final = _l("Rest that does not recharge")
# Under R0, beside the loop: why rest that is taken does not break it.
REST_NOTE: Final = _l("Rest alone does not break the loop when it does not recharge you.")


@dataclass(frozen=True)
class LinkWords:
    label: LazyString  # the link's one name: card text, drawing, coach's matrix
    meaning: LazyString  # what it means in the person's own answers


LINKS: Final[Mapping[Link, LinkWords]] = {
    Link.R0: LinkWords(
        _l("you do take rest"),
        _l("You rested deliberately on at least 4 of the last 7 days."),
    ),
    Link.L1: LinkWords(
        _l("load without recovery"),
        _l(
            "On at least 7 of the last 14 days, a demanding day went with a morning that felt "
            "little recovered."
        ),
    ),
    Link.L2: LinkWords(
        _l("your system stays on"),
        _l(
            "On at least 4 of the last 7 evenings you went to bed tense, more than is usual for "
            "you."
        ),
    ),
    Link.L3: LinkWords(
        _l("letting go gets harder"),
        _l(
            "On at least 4 evenings letting go was hard, or on 3 days your rest did not "
            "recharge you."
        ),
    ),
    Link.L4: LinkWords(
        _l("sleep restores you less"),
        _l("On at least 4 mornings your sleep did not recharge you or your energy stayed low."),
    ),
    Link.L5: LinkWords(
        _l("getting going takes more effort"),
        _l("On at least 4 mornings getting going took a lot of effort."),
    ),
}


def drawing(links: Links) -> ChainDrawing:
    """The loop for these link states, in the reader's language (templates/_cards.html)."""
    labels = {link: str(said.label) for link, said in LINKS.items()}
    return chain_drawing(links, labels, str(REST_NOTE))
