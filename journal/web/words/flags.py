"""The words of each flag (DOMAIN C.13), keyed by `Flag`, and of its levels and events.

Tone of the person's cards: describe what was noticed, say what it may mean, take blame out,
end with an open invitation. Every sentence lives in the catalogs with named placeholders and
is filled in from the rule's ids and numbers. The coach's summary names each flag more plainly.

Where each text lives (issue 18: a card is not repeated word for word on three pages):

- ``paragraphs``, the full text of C.13, lives on the Patronen page, the one place that always
  lists every active flag. Its numbers come from the rule's windows (the last 7 or 14 days up
  to today), so it says "the last 7 days", never "this week": the week page shows the
  calendar week and must not seem to contradict it.
- ``gist``, one kind sentence without numbers, is the card on home (shown at onset, escalation
  and pinned signposts), with a link to the full text.
- The week page names the flag by its ``title`` in one line that links to Patronen.
- ``more`` is what Patronen keeps behind "Lees meer" (only the chain has it), so the text
  under a card's first sentence stays at most three short sentences.
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
from journal.web.words.links import LINKS, PATTERN_NAME
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
# The card's one sentence on home.
Gist = Callable[[Shown], str]


@dataclass(frozen=True)
class FlagWords:
    title: LazyString  # the flag's name for the person: card, Patronen, the week page
    coach: LazyString  # the flag's name on the coach's summary
    paragraphs: Paragraphs  # the full text, on Patronen
    gist: Gist  # home's card: one kind sentence, no numbers
    more: Paragraphs | None = None  # behind "Lees meer" on Patronen


def _rest_no_recovery(item: Shown, early_signs: Sequence[Reason]) -> list[str]:
    n = item.numbers.get
    return [
        _(
            "In the last 7 days you took time to rest on %(rest_days)s days, yet on "
            "%(unrecovered_days)s mornings you didn't feel recharged.",
            rest_days=n("rest_days", 0),
            unrecovered_days=n("unrecovered_days", 0),
        ),
        _(
            "Rest and recovery aren't always the same: sometimes your mind or body stays 'on' "
            "even while you sit still. This says nothing about how hard you try. Shall we look "
            "at which kinds of rest do help you?"
        ),
    ]


def link_list(item: Shown) -> str:
    """The present links of the loop by their one name; R0 is the card's first sentence."""
    return joined(
        LINKS[link].label for link in Link if link is not Link.R0 and item.links.get(link)
    )


# Behind "Lees meer" under the loop, on the chain's card and on Patronen's explanation.
LOOP_EXPLAINED: Final = _l(
    "Each link makes the next one heavier: with load without recovery your system stays on, "
    "then letting go gets harder, sleep restores you less, and getting going takes more "
    "effort – which adds to the load again. Rest alone does not break the loop when it does "
    "not recharge you; rest that does recharge you can."
)


def _rest_no_recovery_more(item: Shown, early_signs: Sequence[Reason]) -> list[str]:
    text = []
    present = link_list(item)
    if present:
        text.append(_("What we notice: %(link_list)s.", link_list=present))
    if early_signs:
        text.append(
            _(
                "Compared with your own usual weeks, we also notice: %(sign_list)s.",
                sign_list=phrase_list(early_signs),
            )
        )
    if item.level is Level.PERSISTENT:
        text.append(_("This pattern has lasted a few weeks now."))
    text.append(str(LOOP_EXPLAINED))
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
            "In the last 7 days your days were often demanding (%(n_heavy)s of 7), with little "
            "time left for deliberate rest. Carrying on often works for a while, but it doesn't "
            "grow your margin. Is there one moment this week you could keep free for yourself?",
            n_heavy=item.numbers.get("n_heavy", 0),
        )
    ]


def _always(*paragraphs: LazyString) -> Paragraphs:
    return lambda item, early_signs: [str(p) for p in paragraphs]


def _said(sentence: LazyString) -> Gist:
    return lambda item: str(sentence)


def _reason_by_reason(closing: LazyString) -> Paragraphs:
    """A sentence for each reason seen, then a closing line that takes the weight off."""
    return lambda item, early_signs: [*sentences(item.reasons, item.numbers), str(closing)]


def _improving(item: Shown, early_signs: Sequence[Reason]) -> list[str]:
    # Not "Something is shifting: …" under the title "Something is shifting" (issue 18).
    return [
        _(
            "Compared with the week before: %(improvement_list)s. Do you notice what helps? "
            "That's worth holding on to.",
            improvement_list=phrase_list(item.reasons),
        )
    ]


def _improving_gist(item: Shown) -> str:
    return str(
        _(
            "Compared with the week before: %(improvement_list)s.",
            improvement_list=phrase_list(item.reasons),
        )
    )


def _doctor_gist(item: Shown) -> str:
    said = str(_("Something you noted is worth discussing with your GP."))
    if Reason.SLEEPINESS in item.reasons and item.numbers.get("while_driving"):
        # Not only behind a tap: this one line is about safety on the road (C.13).
        said += " " + _("Please avoid driving while you feel this sleepy.")
    return said


def also_improving(reasons: Sequence[Reason]) -> str:
    """The line a signpost card gains while IMPROVING is active too (journal.domain.lifecycle's
    precedence): both truths in one card, kindly."""
    return str(
        _(
            "At the same time, something is getting better: %(improvement_list)s. "
            "Both can be true.",
            improvement_list=phrase_list(reasons),
        )
    )


FLAGS: Final[Mapping[Flag, FlagWords]] = {
    Flag.REST_NO_RECOVERY: FlagWords(
        PATTERN_NAME,
        PATTERN_NAME,  # one name for the pattern, for the person and the coach alike
        _rest_no_recovery,
        _said(_l("You do take rest, yet it doesn't seem to recharge you.")),
        more=_rest_no_recovery_more,
    ),
    Flag.EARLY_SIGNS: FlagWords(
        _l("A few small shifts"),
        _l("Early signs"),
        _early_signs,
        _said(_l("Compared with your own usual weeks, a few small things are shifting.")),
    ),
    Flag.SLEEP_DISRUPTED: FlagWords(
        _l("Restless nights"),
        _l("Disrupted sleep"),
        _reason_by_reason(
            _l("Sleep doesn't have to be perfect – we'll keep an eye on it together.")
        ),
        _said(_l("Your nights have been less restful lately.")),
    ),
    Flag.NO_ROOM_TO_RECOVER: FlagWords(
        _l("Little room to recover"),
        _l("No room to recover"),
        _no_room_to_recover,
        _said(_l("Your days were often demanding, with little time left to rest.")),
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
        _said(_l("A heavy stretch, with little contact that really helped.")),
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
        _said(_l("A short, calm walk outdoors sometimes helps you switch off – only if it fits.")),
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
        _said(
            _l(
                "Rest and sleep have refreshed you less for a while. Your coach or someone you "
                "trust can help you look further."
            )
        ),
    ),
    Flag.SIGNPOST_DOCTOR: FlagWords(
        _l("Worth discussing with your GP"),
        _l("Signpost: see the GP"),
        _reason_by_reason(
            _l("This isn't a judgement, just a small step in taking good care of yourself.")
        ),
        _doctor_gist,
    ),
    Flag.IMPROVING: FlagWords(
        _l("Something is shifting"), _l("Improving"), _improving, _improving_gist
    ),
    Flag.CHECKIN_GAP: FlagWords(
        # Named for what it is, not as a shortfall: the card itself welcomes them back.
        _l("Fewer check-ins, and that's fine"),
        _l("Fewer check-ins"),
        _always(
            _l(
                "In the last 7 days you checked in less often, and that's fine: busier or "
                "heavier times often go with fewer check-ins. Whenever you check in, that's "
                "enough."
            )
        ),
        # C.13's words for the person, on home: the card is seen when they are back.
        _said(_l("Good to see you back. No need to catch up – today is enough.")),
    ),
}


def paragraphs(item: Shown, early_signs: Sequence[Reason] = ()) -> list[str]:
    """The full text of one active flag (Patronen), as paragraphs."""
    return FLAGS[item.flag].paragraphs(item, early_signs)


def more(item: Shown, early_signs: Sequence[Reason] = ()) -> list[str]:
    """What Patronen keeps behind "Lees meer" for this flag; [] for most flags."""
    said = FLAGS[item.flag].more
    return [] if said is None else said(item, early_signs)


def gist(item: Shown) -> str:
    """Home's card: the flag's one sentence."""
    return FLAGS[item.flag].gist(item)


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
