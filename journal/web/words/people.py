"""The words of "Mijn mensen" (issue 21), keyed by the domain's enums (nl via the catalogs).

Tone: warm and plain, no score, no label, no judgement of how many people someone has. The
map is the person's own; the words describe, and invite.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString

from journal.domain.people import (
    NAME_MAX_CHARS,
    NOTE_MAX_CHARS,
    Ask,
    ContactByRing,
    HelpKind,
    Problem,
    Reach,
    Ring,
    Step,
)

TITLE: Final = _l("My people")
CALL_TITLE: Final = _l("Who can I call?")

RINGS: Final[Mapping[Ring, LazyString]] = {
    Ring.CLOSEST: _l("Closest to you"),
    Ring.CLOSE: _l("Close"),
    Ring.FURTHER: _l("A little further away"),
}
HELPS: Final[Mapping[HelpKind, LazyString]] = {
    HelpKind.PRACTICAL: _l("practical help"),
    HelpKind.LISTENING: _l("listening"),
    HelpKind.ADVICE: _l("advice"),
    HelpKind.COMPANY: _l("company"),
}
# The small marks on the map, one shape per kind of help (not colour alone): the legend under
# the map and journal/web/people_map.py use the same ids.
MARKS: Final[Mapping[HelpKind, str]] = {
    HelpKind.PRACTICAL: "square",
    HelpKind.LISTENING: "circle",
    HelpKind.ADVICE: "triangle",
    HelpKind.COMPANY: "diamond",
}
REACHES: Final[Mapping[Reach, LazyString]] = {
    Reach.OFTEN: _l("often"),
    Reach.SOMETIMES: _l("sometimes"),
    Reach.NOT_NOW: _l("not right now"),
}
ASKS: Final[Mapping[Ask, LazyString]] = {
    Ask.LISTEN: _l(
        "You could ask if they have ten minutes to hear how you are doing. No advice needed, "
        "just someone who listens."
    ),
    Ask.TASK: _l(
        "You could ask them to take one small thing off your plate this week, such as a "
        "grocery run or a phone call you keep putting off."
    ),
    Ask.TOGETHER: _l(
        "You could ask if they would like to go for a short walk or have a coffee together."
    ),
}


@dataclass(frozen=True)
class StepWords:
    title: LazyString
    intro: LazyString


STEPS: Final[Mapping[Step, StepWords]] = {
    Step.WHO: StepWords(
        _l("Who is there for you?"),
        _l(
            "Think of family, friends, neighbours, colleagues, people from a club or your "
            "street. A first name or nickname is enough; a phone number only if you like."
        ),
    ),
    Step.RING: StepWords(
        _l("How close is each of them?"),
        _l("Put everyone in one of three circles. There is no right answer, only yours."),
    ),
    Step.HELP: StepWords(
        _l("What do they help you with?"),
        _l("Choose as many as fit, or none."),
    ),
    Step.REACH: StepWords(
        _l("Who can you reach when it counts?"),
        _l("Not who should be there, but who you can actually reach these days."),
    ),
    Step.REFLECT: StepWords(
        _l("What stands out?"),
        _l("Look at your map for a moment. These notes are for you; nobody else reads them."),
    ),
}
NOTE_AVAILABLE: Final = _l("Who is really there for you when things get tense?")
NOTE_GAPS: Final = _l("Where are the gaps?")

PROBLEMS: Final[Mapping[Problem, LazyString]] = {
    Problem.NAME_EMPTY: _l("Please write a name or nickname."),
    Problem.NAME_TOO_LONG: _l(
        "Please keep the name to %(n)s characters; a nickname is fine too.", n=NAME_MAX_CHARS
    ),
    Problem.PHONE_INVALID: _l(
        "This does not look like a phone number. Use digits, spaces, dashes and a + at the "
        "start if you like, or leave it empty."
    ),
    Problem.NOTE_TOO_LONG: _l("Please keep it to %(n)s characters.", n=NOTE_MAX_CHARS),
    Problem.TOO_MANY: _l("Your map is full. Remove someone first to add someone new."),
}


def contact_sentence(figures: ContactByRing) -> str | None:
    """The week page's line about who the real contact was with; None when no day says."""
    if not figures.tagged:
        return None
    if figures.close:
        text = ngettext(
            "%(num)s day of real contact: %(closest)s with your closest circle and "
            "%(close)s with the circle around it.",
            "%(num)s days of real contact: %(closest)s with your closest circle and "
            "%(close)s with the circle around it.",
            figures.days,
            closest=figures.closest,
            close=figures.close,
        )
    else:
        text = ngettext(
            "%(num)s day of real contact, %(closest)s of them with your closest circle.",
            "%(num)s days of real contact, %(closest)s of them with your closest circle.",
            figures.days,
            closest=figures.closest,
        )
    return str(text)
