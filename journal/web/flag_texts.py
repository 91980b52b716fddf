"""The words of each flag (DOMAIN C.13), filled from the rule module's ids and numbers.

Tone: describe what was noticed, say what it may mean, take blame out, end with an open
invitation. Every sentence lives in the catalogs with named placeholders.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from journal.domain.rules import Flag, Level

Numbers = Mapping[str, int | bool | str]

TITLES = {
    Flag.REST_NO_RECOVERY: _l("Rest that does not recharge"),
    Flag.EARLY_SIGNS: _l("A few small shifts"),
    Flag.SLEEP_DISRUPTED: _l("Restless nights"),
    Flag.NO_ROOM_TO_RECOVER: _l("Little room to recover"),
    Flag.CARRYING_ALONE: _l("Carrying a lot on your own"),
    Flag.LITTLE_OUTDOOR_MOVEMENT: _l("A little time outdoors?"),
    Flag.SIGNPOST_LOOK_FURTHER: _l("Looking further could help"),
    Flag.SIGNPOST_DOCTOR: _l("Worth discussing with your GP"),
    Flag.IMPROVING: _l("Something is shifting"),
    Flag.CHECKIN_GAP: _l("Good to see you back"),
}

CHAIN_LINKS = ("L1", "L2", "L3", "L4", "L5")
LINK_LABELS = {
    "R0": _l("rest is taken"),
    "L1": _l("load without enough recovery for a while"),
    "L2": _l("ongoing activation"),
    "L3": _l("less able to let go"),
    "L4": _l("poorer recovery, also in sleep"),
    "L5": _l("more effort to function"),
}
LINK_MEANINGS = {
    "R0": _l("You rested deliberately on at least 4 of the last 7 days."),
    "L1": _l(
        "On at least 7 of the last 14 days, a demanding day went with a morning that felt little recovered."
    ),
    "L2": _l(
        "On at least 4 of the last 7 evenings you went to bed tense, more than is usual for you."
    ),
    "L3": _l(
        "On at least 4 evenings letting go was hard, or on 3 days your rest did not recharge you."
    ),
    "L4": _l("On at least 4 mornings your sleep did not recharge you or your energy stayed low."),
    "L5": _l("On at least 4 mornings getting going took a lot of effort."),
}
LINK_PHRASES = {
    "L1": _l("demanding days with little recovery for a while"),
    "L2": _l("a lot of tension at bedtime"),
    "L3": _l("letting go is harder"),
    "L4": _l("sleep and rest recharge you less"),
    "L5": _l("getting going takes more effort"),
}
SIGN_PHRASES = {
    "E1": _l("starting up takes more effort"),
    "E2": _l("relaxing takes more effort"),
    "E3": _l("your sleep refreshes you less"),
    "E4": _l("you keep going but recharge less"),
}
IMPROVEMENT_PHRASES = {
    "recovery_up": _l("you feel more recovered in the mornings"),
    "tension_down": _l("you go to bed with less tension"),
    "rest_recharging": _l("your rest recharges you more often"),
    "sleep_refreshing": _l("your sleep refreshes you more"),
}
DISMISS_REASONS = {
    "discussed_with_gp": _l("Already discussed with my GP"),
    "discussed_with_coach": _l("Already discussed with my coach or therapist"),
}


def joined(phrases: Iterable[object]) -> str:
    """'a, b and c' in the person's language."""
    items = [str(p) for p in phrases]
    return format_list(items, locale=get_locale()) if items else ""


def paragraphs(
    flag: Flag,
    level: Level | None,
    reasons: Sequence[str],
    numbers: Numbers,
    links: Mapping[str, bool | None],
    early_signs: Sequence[str] = (),
) -> list[str]:
    """The card text of one active flag, as paragraphs."""
    n = numbers.get
    if flag is Flag.REST_NO_RECOVERY:
        present = [LINK_PHRASES[k] for k in CHAIN_LINKS if links.get(k)]
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
                link_list=joined(present),
            )
        ]
        if early_signs:
            text.append(
                _(
                    "Compared with your own usual weeks, we also notice: %(sign_list)s.",
                    sign_list=joined(SIGN_PHRASES[s] for s in early_signs),
                )
            )
        if level is Level.PERSISTENT:
            text.append(_("This pattern has lasted a few weeks now."))
        return text
    if flag is Flag.EARLY_SIGNS:
        return [
            _(
                "Compared with your own usual weeks, we notice a few small shifts: %(sign_list)s. "
                "Changes like these often creep in gradually, so they soon start to feel 'normal'. "
                "It's good that you're noticing them now. What could give you a little extra room "
                "this week?",
                sign_list=joined(SIGN_PHRASES[s] for s in reasons),
            )
        ]
    if flag is Flag.SLEEP_DISRUPTED:
        return _sleep_paragraphs(reasons, numbers)
    if flag is Flag.NO_ROOM_TO_RECOVER:
        return [
            _(
                "Your days were often demanding this week (%(n_heavy)s of 7), with little time left "
                "for deliberate rest. Carrying on often works for a while, but it doesn't grow your "
                "margin. Is there one moment this week you could keep free for yourself?",
                n_heavy=n("n_heavy", 0),
            )
        ]
    if flag is Flag.CARRYING_ALONE:
        return [
            _(
                "It was a heavy week, with little contact that really helped. You don't have to "
                "recover on your own. Is there someone you could talk to for a moment, or who could "
                "take something small off your plate?"
            )
        ]
    if flag is Flag.LITTLE_OUTDOOR_MOVEMENT:
        return [
            _(
                "You didn't get outside for many walks this week. A short, calm walk outdoors "
                "sometimes helps your body switch from 'on' to 'rest'. Fancy trying ten minutes? "
                "Only if it fits."
            )
        ]
    if flag is Flag.SIGNPOST_LOOK_FURTHER:
        return [
            _(
                "For a while now, rest and sleep have refreshed you less than you'd like, while you "
                "keep going. That says nothing about you as a person; it's a signal that looking "
                "further could be worthwhile. Your coach or another professional you trust can "
                "help with that."
            )
        ]
    if flag is Flag.SIGNPOST_DOCTOR:
        return _doctor_paragraphs(reasons, numbers)
    if flag is Flag.IMPROVING:
        return [
            _(
                "Something is shifting: %(improvement_list)s, compared with the week before. Do you "
                "notice what helps? That's worth holding on to.",
                improvement_list=joined(IMPROVEMENT_PHRASES[r] for r in reasons),
            )
        ]
    return [_("Good to see you back. No need to catch up – today is enough.")]


def _sleep_paragraphs(reasons: Sequence[str], numbers: Numbers) -> list[str]:
    text = []
    if "disturbed_nights" in reasons:
        text.append(
            _(
                "On %(n)s of the last 7 nights, falling or staying asleep took more than half an "
                "hour. Sometimes that's a sign your system isn't fully settling at night yet.",
                n=numbers.get("n", 0),
            )
        )
    # DOMAIN C.13 words only the disturbed nights; the other two reasons get a sentence in the
    # same tone so the card always says what was seen.
    if "low_efficiency" in reasons:
        text.append(_("This week you lay awake in bed for quite a share of the night."))
    if "short_sleep" in reasons:
        text.append(_("This week you slept less than 6 hours a night on average."))
    text.append(_("Sleep doesn't have to be perfect – we'll keep an eye on it together."))
    return text


def _doctor_paragraphs(reasons: Sequence[str], numbers: Numbers) -> list[str]:
    text = []
    if "sleepiness" in reasons:
        dozed = numbers.get("dozed")
        clause = {
            "while_driving": _(", and you nodded off in traffic or at the wheel"),
            "during_activity": _(", and you nodded off during an activity"),
        }.get(str(dozed), "")
        sleepy = _(
            "You noted being very sleepy during the day%(dozed_clause)s. It's worth discussing "
            "this kind of sleepiness with your GP, so a physical cause can be ruled out.",
            dozed_clause=clause,
        )
        if numbers.get("while_driving"):
            sleepy += " " + _("Please avoid driving while you feel this sleepy.")
        text.append(sleepy)
    if "sleep_disorder_signs" in reasons:
        details = [
            label
            for key, label in (
                ("detail_breathing", _l("loud snoring or pauses in breathing")),
                ("detail_legs", _l("restless legs")),
                ("detail_disrupted_weeks", _l("restless nights for four weeks")),
                ("detail_long_unrefreshing", _l("long nights that still leave you exhausted")),
            )
            if numbers.get(key)
        ]
        text.append(
            _(
                "What you note about your nights (%(detail)s) can sometimes relate to something a "
                "doctor can look into.",
                detail=joined(details),
            )
        )
    if "medication" in reasons:
        text.append(
            _(
                "You took sleep medication %(n)s times this week, or your medication changed. If you "
                "have questions about medication and your sleep or energy, your GP or pharmacist is "
                "happy to help.",
                n=numbers.get("n", 0),
            )
        )
    if "medical" in reasons:
        text.append(
            _(
                "You mentioned wondering whether something physical plays a part. That's a good "
                "reason to consult your GP."
            )
        )
    text.append(_("This isn't a judgement, just a small step in taking good care of yourself."))
    return text
