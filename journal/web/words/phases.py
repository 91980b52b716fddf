"""The words of issue 22 (nl, en), keyed by the domain's enums: each phase's name and
description, each observation's sentence, and the four "wat speelt er?" questions.

The observations are ids and numbers from journal.domain.phase; the sentences here only
format them. Lazy strings, so they render in the language of the page that uses them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Final

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from journal.domain.phase import Dynamic, Observation, Phase, PhaseChange, Seen
from journal.domain.rules import Reason, State
from journal.web.numbers import number
from journal.web.words.lists import joined
from journal.web.words.reasons import REASONS

# The order the page offers them: the path's order, with "don't know yet" first as the default.
PHASE_ORDER: Final = (Phase.UNKNOWN, Phase.SETTLING, Phase.REBUILDING, Phase.HOLDING)

PHASE_NAMES: Final[Mapping[Phase, LazyString]] = {
    Phase.SETTLING: _l("Coming to rest"),
    Phase.REBUILDING: _l("Building up again"),
    Phase.HOLDING: _l("Holding steady"),
    Phase.UNKNOWN: _l("I don't know yet"),
}

PHASE_DESCRIPTIONS: Final[Mapping[Phase, LazyString]] = {
    Phase.SETTLING: _l(
        "Everything is still too much. What matters most now is taking load off and giving "
        "your body the chance to calm down: rest that really recharges, sleep, a quiet moment "
        "outdoors."
    ),
    Phase.REBUILDING: _l(
        "There is a little room again. Calm movement outdoors, such as walking, helps your "
        "energy come back step by step, without pushing."
    ),
    Phase.HOLDING: _l(
        "You are doing more again. Now it helps to know your own early signals, so you notice "
        "in time when the balance starts to tip."
    ),
    Phase.UNKNOWN: _l(
        "That's fine. You can choose later, or never; perhaps together with your coach."
    ),
}

# The four early signs, in C.3's order: "mijn signalen" in "Vasthouden".
SIGNS: Final = (Reason.E1, Reason.E2, Reason.E3, Reason.E4)

QUESTIONS: Final[Mapping[Dynamic, LazyString]] = {
    Dynamic.CONTEXT: _l("Is it mostly what happens around you?"),
    Dynamic.OLD_PATTERNS: _l("Is something old being touched again?"),
    Dynamic.EMPTY_BODY: _l("Is your body simply empty?"),
    Dynamic.IDENTITY: _l("Who are you without what you do?"),
}

QUESTION_HINTS: Final[Mapping[Dynamic, LazyString]] = {
    Dynamic.CONTEXT: _l("Work, home, money, people who ask a lot of you: what weighs on you?"),
    Dynamic.OLD_PATTERNS: _l(
        "A feeling or a way of reacting you recognise from earlier in your life."
    ),
    Dynamic.EMPTY_BODY: _l("Tired in a way that thinking or talking does not solve."),
    Dynamic.IDENTITY: _l(
        "What is left of you when you cannot perform, help or be there for others for a while?"
    ),
}


def _(text: str, **values: object) -> str:
    """gettext typed as str (flask_babel's is untyped); extraction still sees `_`."""
    return str(gettext(text, **values))


def _mean(value: int | Fraction) -> str:
    return number(value, 1)


def _no_recent(o: Observation) -> str:
    return _(
        "There are no check-ins in the last %(days)s days. Once there are, you will see here "
        "how often rest and sleep recharged you.",
        days=o.numbers["days"],
    )


def _rest(o: Observation) -> str:
    n, days, checkins = o.numbers["n"], o.numbers["days"], o.numbers["checkins"]
    if checkins < days:
        return _(
            "On %(n)s of the last %(days)s days (%(checkins)s with a check-in), your rest "
            "recharged you.",
            n=n,
            days=days,
            checkins=checkins,
        )
    return _("On %(n)s of the last %(days)s days, your rest recharged you.", n=n, days=days)


def _sleep(o: Observation) -> str:
    return _(
        "On %(n)s of the last %(days)s days, your sleep restored you, mostly or fully.",
        n=o.numbers["n"],
        days=o.numbers["days"],
    )


def _talk(o: Observation) -> str:
    return _(
        "Talking everything through can wait for now. While your system is on high alert, "
        "rest often does more than searching for causes; there will be room for that later."
    )


def _walk(o: Observation) -> str:
    return _(
        "After %(n_with)s days with a calm walk of 10 minutes or more, your energy the next "
        "morning was %(mean_with)s on average; after the other %(n_without)s days, "
        "%(mean_without)s (last %(days)s days).",
        n_with=o.numbers["n_with"],
        n_without=o.numbers["n_without"],
        mean_with=_mean(o.numbers["mean_with"]),
        mean_without=_mean(o.numbers["mean_without"]),
        days=o.numbers["days"],
    )


def _walk_too_few(o: Observation) -> str:
    return _(
        "Not enough days yet to compare your morning energy after a calm walk with other "
        "mornings: that needs at least %(min)s days with a walk of 10 minutes or more and "
        "%(min)s without, in the last %(days)s days. So far: %(n_with)s with, %(n_without)s "
        "without.",
        min=o.numbers["min"],
        days=o.numbers["days"],
        n_with=o.numbers["n_with"],
        n_without=o.numbers["n_without"],
    )


def _intense(o: Observation) -> str:
    return _(
        "On %(n)s of the last %(days)s days your movement was intense. While building up, "
        "calm movement often gives more than hard exercise, which can add strain. Just "
        "something to notice.",
        n=o.numbers["n"],
        days=o.numbers["days"],
    )


def _early_signs(o: Observation) -> str:
    if o.state is State.ACTIVE:
        phrases = [str(REASONS[sign].phrase) for sign in o.signs]
        return _(
            "Compared with your own usual weeks, your diary now shows: %(signs)s.",
            signs=joined(phrases),
        )
    if o.state is State.INACTIVE:
        return _("Right now your diary does not show these shifts.")
    return _(
        "Once your diary has a usual level (after a few weeks of check-ins), you will see "
        "here whether one of these shifts away from it."
    )


def _watch(o: Observation) -> str:
    if o.items:
        return _("What you said you would watch for:")
    return _("You have not written down yet what you will watch for.")


def _choose(o: Observation) -> str:
    return _(
        "You have not chosen a phase. On the phase page you can read what each one means, "
        "and choose one if and when it fits."
    )


OBSERVATIONS: Final[Mapping[Seen, Callable[[Observation], str]]] = {
    Seen.NO_RECENT_CHECKINS: _no_recent,
    Seen.REST_RECHARGED: _rest,
    Seen.SLEEP_RESTORED: _sleep,
    Seen.TALK_CAN_WAIT: _talk,
    Seen.WALK_ENERGY: _walk,
    Seen.WALK_ENERGY_TOO_FEW: _walk_too_few,
    Seen.INTENSE_OFTEN: _intense,
    Seen.EARLY_SIGNS: _early_signs,
    Seen.WATCH_LIST: _watch,
    Seen.CHOOSE_PHASE: _choose,
}


def observation(o: Observation) -> str:
    """The sentence of one observation, in the page's language."""
    return str(OBSERVATIONS[o.seen](o))


def change_list(changes: Sequence[PhaseChange]) -> str:
    """'2 March: Coming to rest, 16 March: Building up again', oldest first."""
    return joined(
        f"{format_date(c.on, 'd MMMM')}: {PHASE_NAMES[c.phase]}" for c in reversed(changes)
    )
