"""The words of each flag (DOMAIN C.13), keyed by `Flag`, and of its levels and events.

Tone of the person's cards: describe what was noticed, say what it may mean, take blame out,
end with an open invitation. Every sentence lives in the catalogs with named placeholders and
is filled in from the rule's ids and numbers. The coach's summary names each flag more plainly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from journal.domain.lifecycle import EventKind
from journal.domain.rules import Flag, Level, Link, Links, Numbers, Reason
from journal.web.words.links import LINKS
from journal.web.words.lists import joined
from journal.web.words.reasons import phrase_list, sentences


class Shown(Protocol):
    """What a card is written from: a lifecycle Card, a FlagResult or a week's StoodOut."""

    @property
    def flag(self) -> Flag: ...
    @property
    def level(self) -> Level | None: ...
    @property
    def reasons(self) -> tuple[Reason, ...]: ...
    @property
    def numbers(self) -> Numbers: ...
    @property
    def links(self) -> Links: ...


# A card's paragraphs from what was seen and, on a merged chain card, the early signs.
Paragraphs = Callable[[Shown, Sequence[Reason]], list[str]]


@dataclass(frozen=True)
class FlagWords:
    title: LazyString  # the person's card
    coach: LazyString  # the flag's name on the coach's summary
    paragraphs: Paragraphs  # the person's card text


def _rest_no_recovery(item: Shown, early_signs: Sequence[Reason]) -> list[str]:
    n = item.numbers.get
    text = [
        _(
            "You took time to rest on %(rest_days)s days this week, yet on %(unrecovered_days)s "
            "mornings you didn't feel recharged. Rest and recovery aren't always the same: "
            "sometimes your mind or body stays 'on' even while you sit still. What we notice: "
            "%(link_list)s. This says nothing about how hard you try – it tells us something "
            "about what your system needs right now. Shall we look at which kinds of rest do "
            "help you?",
            rest_days=n("rest_days", 0),
            unrecovered_days=n("unrecovered_days", 0),
            link_list=joined(
                LINKS[link].phrase
                for link in Link
                if item.links.get(link) and LINKS[link].phrase is not None
            ),
        )
    ]
    if early_signs:
        text.append(
            _(
                "Compared with your own usual weeks, we also notice: %(sign_list)s.",
                sign_list=phrase_list(early_signs),
            )
        )
    if item.level is Level.PERSISTENT:
        text.append(_("This pattern has lasted a few weeks now."))
    return text


def _early_signs(item: Shown, early_signs: Sequence[Reason]) -> list[str]:
    return [
        _(
            "Compared with your own usual weeks, we notice a few small shifts: %(sign_list)s. "
            "Changes like these often creep in gradually, so they soon start to feel 'normal'. "
            "It's good that you're noticing them now. What could give you a little extra room "
            "this week?",
            sign_list=phrase_list(item.reasons),
        )
    ]


def _no_room_to_recover(item: Shown, early_signs: Sequence[Reason]) -> list[str]:
    return [
        _(
            "Your days were often demanding this week (%(n_heavy)s of 7), with little time left "
            "for deliberate rest. Carrying on often works for a while, but it doesn't grow your "
            "margin. Is there one moment this week you could keep free for yourself?",
            n_heavy=item.numbers.get("n_heavy", 0),
        )
    ]


def _always(*paragraphs: LazyString) -> Paragraphs:
    return lambda item, early_signs: [str(p) for p in paragraphs]


def _reason_by_reason(closing: LazyString) -> Paragraphs:
    """A sentence for each reason seen, then a closing line that takes the weight off."""
    return lambda item, early_signs: [*sentences(item.reasons, item.numbers), str(closing)]


def _improving(item: Shown, early_signs: Sequence[Reason]) -> list[str]:
    return [
        _(
            "Something is shifting: %(improvement_list)s, compared with the week before. Do you "
            "notice what helps? That's worth holding on to.",
            improvement_list=phrase_list(item.reasons),
        )
    ]


FLAGS: Final[Mapping[Flag, FlagWords]] = {
    Flag.REST_NO_RECOVERY: FlagWords(
        _l("Rest that does not recharge"),
        _l("Rest without recovery (the chain)"),
        _rest_no_recovery,
    ),
    Flag.EARLY_SIGNS: FlagWords(_l("A few small shifts"), _l("Early signs"), _early_signs),
    Flag.SLEEP_DISRUPTED: FlagWords(
        _l("Restless nights"),
        _l("Disrupted sleep"),
        _reason_by_reason(
            _l("Sleep doesn't have to be perfect – we'll keep an eye on it together.")
        ),
    ),
    Flag.NO_ROOM_TO_RECOVER: FlagWords(
        _l("Little room to recover"), _l("No room to recover"), _no_room_to_recover
    ),
    Flag.CARRYING_ALONE: FlagWords(
        _l("Carrying a lot on your own"),
        _l("Carrying it alone"),
        _always(
            _l(
                "It was a heavy week, with little contact that really helped. You don't have to "
                "recover on your own. Is there someone you could talk to for a moment, or who "
                "could take something small off your plate?"
            )
        ),
    ),
    Flag.LITTLE_OUTDOOR_MOVEMENT: FlagWords(
        _l("A little time outdoors?"),
        _l("Little outdoor movement"),
        _always(
            _l(
                "You didn't get outside for many walks this week. A short, calm walk outdoors "
                "sometimes helps your body switch from 'on' to 'rest'. Fancy trying ten "
                "minutes? Only if it fits."
            )
        ),
    ),
    Flag.SIGNPOST_LOOK_FURTHER: FlagWords(
        _l("Looking further could help"),
        _l("Signpost: look further"),
        _always(
            _l(
                "For a while now, rest and sleep have refreshed you less than you'd like, while "
                "you keep going. That says nothing about you as a person; it's a signal that "
                "looking further could be worthwhile. Your coach or another professional you "
                "trust can help with that."
            )
        ),
    ),
    Flag.SIGNPOST_DOCTOR: FlagWords(
        _l("Worth discussing with your GP"),
        _l("Signpost: see the GP"),
        _reason_by_reason(
            _l("This isn't a judgement, just a small step in taking good care of yourself.")
        ),
    ),
    Flag.IMPROVING: FlagWords(_l("Something is shifting"), _l("Improving"), _improving),
    Flag.CHECKIN_GAP: FlagWords(
        _l("Good to see you back"),
        _l("Fewer check-ins"),
        _always(_l("Good to see you back. No need to catch up – today is enough.")),
    ),
}


def paragraphs(item: Shown, early_signs: Sequence[Reason] = ()) -> list[str]:
    """The person's card text of one active flag, as paragraphs."""
    return FLAGS[item.flag].paragraphs(item, early_signs)


# --- The coach's words for the lifecycle (DOMAIN C.12) --------------------------------------

LEVELS: Final[Mapping[Level, LazyString]] = {
    Level.POSITIVE: _l("positive"),
    Level.INFO: _l("info"),
    Level.NOTICE: _l("notice"),
    Level.ATTENTION: _l("attention"),
    Level.PERSISTENT: _l("persistent"),
    Level.DOCTOR: _l("doctor"),
}
EVENTS: Final[Mapping[EventKind, LazyString]] = {
    EventKind.ONSET: _l("started"),
    EventKind.ESCALATION: _l("level went up"),
    EventKind.RESOLVED: _l("resolved"),
}
# Why the person closed a signpost card: stored as the key, shown to the coach as the words.
DISMISS_REASONS: Final[Mapping[str, LazyString]] = {
    "discussed_with_gp": _l("Already discussed with my GP"),
    "discussed_with_coach": _l("Already discussed with my coach or therapist"),
}
