"""The words of each link of seed 004's chain (DOMAIN C.2), keyed by the domain's `Link`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from journal.domain.rules import Link


@dataclass(frozen=True)
class LinkWords:
    label: LazyString  # the link's name, on the diagram and the coach's matrix
    meaning: LazyString  # what it means in the person's own answers, under the label
    # How the chain card names it among the links present; None for R0, the precondition,
    # which the card's first sentence already states with its number of days.
    phrase: LazyString | None = None


LINKS: Final[Mapping[Link, LinkWords]] = {
    Link.R0: LinkWords(
        _l("rest is taken"),
        _l("You rested deliberately on at least 4 of the last 7 days."),
    ),
    Link.L1: LinkWords(
        _l("load without enough recovery for a while"),
        _l(
            "On at least 7 of the last 14 days, a demanding day went with a morning that felt "
            "little recovered."
        ),
        _l("demanding days with little recovery for a while"),
    ),
    Link.L2: LinkWords(
        _l("ongoing activation"),
        _l(
            "On at least 4 of the last 7 evenings you went to bed tense, more than is usual for "
            "you."
        ),
        _l("a lot of tension at bedtime"),
    ),
    Link.L3: LinkWords(
        _l("less able to let go"),
        _l(
            "On at least 4 evenings letting go was hard, or on 3 days your rest did not "
            "recharge you."
        ),
        _l("letting go is harder"),
    ),
    Link.L4: LinkWords(
        _l("poorer recovery, also in sleep"),
        _l("On at least 4 mornings your sleep did not recharge you or your energy stayed low."),
        _l("sleep and rest recharge you less"),
    ),
    Link.L5: LinkWords(
        _l("more effort to function"),
        _l("On at least 4 mornings getting going took a lot of effort."),
        _l("getting going takes more effort"),
    ),
}
