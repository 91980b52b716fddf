"""The words of each reason a flag gives (DOMAIN C.3, C.4, C.8–C.10), keyed by `Reason`.

The coach's summary lists a flag's reasons as short phrases. The person's card uses a reason
either as a phrase joined into the flag's sentence (the early signs, what improved) or as a
sentence of its own, filled in from the flag's numbers (restless nights, the GP signpost).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from journal.domain.checkin import Dozed
from journal.domain.rules import Numbers, Reason
from journal.web.words.lists import joined

Sentence = Callable[[Numbers], str]


@dataclass(frozen=True)
class ReasonWords:
    coach: LazyString  # the coach summary's phrase
    phrase: LazyString | None = None  # joined into the person's card sentence
    sentence: Sentence | None = None  # the person's card sentence of its own


def _same_for_both(phrase: LazyString) -> ReasonWords:
    # The early signs read the same to the coach as to the person: one string, once.
    return ReasonWords(coach=phrase, phrase=phrase)


def _fixed(text: LazyString) -> Sentence:
    return lambda numbers: str(text)


def _disturbed_nights(numbers: Numbers) -> str:
    return str(
        _(
            "On %(n)s of the last 7 nights, falling or staying asleep took more than half an "
            "hour. Sometimes that's a sign your system isn't fully settling at night yet.",
            n=numbers.get("n", 0),
        )
    )


DOZED_CLAUSES: Final[Mapping[Dozed, LazyString]] = {
    Dozed.WHILE_DRIVING: _l(", and you nodded off in traffic or at the wheel"),
    Dozed.DURING_ACTIVITY: _l(", and you nodded off during an activity"),
}


def _sleepiness(numbers: Numbers) -> str:
    dozed = Dozed(str(numbers.get("dozed", Dozed.NONE)))
    sleepy = str(
        _(
            "You noted being very sleepy during the day%(dozed_clause)s. It's worth discussing "
            "this kind of sleepiness with your GP, so a physical cause can be ruled out.",
            dozed_clause=DOZED_CLAUSES.get(dozed, ""),
        )
    )
    if numbers.get("while_driving"):
        sleepy += " " + _("Please avoid driving while you feel this sleepy.")
    return sleepy


# The signpost's numbers say which night-time signs were seen (journal.domain.rules.signposts).
NIGHT_DETAILS: Final[tuple[tuple[str, LazyString], ...]] = (
    ("detail_breathing", _l("loud snoring or pauses in breathing")),
    ("detail_legs", _l("restless legs")),
    ("detail_disrupted_weeks", _l("restless nights for four weeks")),
    ("detail_long_unrefreshing", _l("long nights that still leave you exhausted")),
)


def _sleep_disorder_signs(numbers: Numbers) -> str:
    return str(
        _(
            "What you note about your nights (%(detail)s) can sometimes relate to something a "
            "doctor can look into.",
            detail=joined(label for key, label in NIGHT_DETAILS if numbers.get(key)),
        )
    )


def _medication(numbers: Numbers) -> str:
    return str(
        _(
            "You took sleep medication %(n)s times in the last 7 days, or your medication "
            "changed. If you have questions about medication and your sleep or energy, your GP "
            "or pharmacist is happy to help.",
            n=numbers.get("n", 0),
        )
    )


REASONS: Final[Mapping[Reason, ReasonWords]] = {
    Reason.E1: _same_for_both(_l("starting up takes more effort")),
    Reason.E2: _same_for_both(_l("relaxing takes more effort")),
    Reason.E3: _same_for_both(_l("your sleep refreshes you less")),
    Reason.E4: _same_for_both(_l("you keep going but recharge less")),
    Reason.DISTURBED_NIGHTS: ReasonWords(
        _l("3 or more nights with 31+ min to fall asleep or awake"),
        sentence=_disturbed_nights,
    ),
    # DOMAIN C.13 words only the disturbed nights; the other two reasons get a sentence in the
    # same tone so the card always says what was seen.
    Reason.LOW_EFFICIENCY: ReasonWords(
        _l("mean sleep efficiency below 85%"),
        sentence=_fixed(
            _l("In the last 7 days you lay awake in bed for quite a share of the night.")
        ),
    ),
    Reason.SHORT_SLEEP: ReasonWords(
        _l("mean sleep under 6 hours"),
        sentence=_fixed(_l("In the last 7 days you slept less than 6 hours a night on average.")),
    ),
    # The look-further card says the same whichever of its two reasons holds.
    Reason.CHAIN_PERSISTENT: ReasonWords(_l("the full chain for over a week")),
    Reason.EARLY_SIGNS_3W: ReasonWords(_l("early signs three weeks in a row")),
    Reason.SLEEPINESS: ReasonWords(
        _l("marked daytime sleepiness or nodding off unintentionally"),
        sentence=_sleepiness,
    ),
    Reason.SLEEP_DISORDER_SIGNS: ReasonWords(
        _l(
            "night-time signs worth a doctor's look (breathing, restless legs, long nights that "
            "still leave them exhausted, or four weeks of restless nights)"
        ),
        sentence=_sleep_disorder_signs,
    ),
    Reason.MEDICATION: ReasonWords(
        _l("sleep medication or a change in medication"), sentence=_medication
    ),
    Reason.MEDICAL: ReasonWords(
        _l("wonders about a physical cause"),
        sentence=_fixed(
            _l(
                "You mentioned wondering whether something physical plays a part. That's a "
                "good reason to consult your GP."
            )
        ),
    ),
    Reason.RECOVERY_UP: ReasonWords(
        _l("mornings more recovered"), _l("you feel more recovered in the mornings")
    ),
    Reason.TENSION_DOWN: ReasonWords(
        _l("less tension at bedtime"), _l("you go to bed with less tension")
    ),
    Reason.REST_RECHARGING: ReasonWords(
        _l("rest recharges more often"), _l("your rest recharges you more often")
    ),
    Reason.SLEEP_REFRESHING: ReasonWords(
        _l("sleep refreshes more"), _l("your sleep refreshes you more")
    ),
}


def reason_list(reasons: Iterable[Reason]) -> str:
    """The coach's phrases of these reasons, as one list."""
    return joined(REASONS[reason].coach for reason in reasons)


def phrase_list(reasons: Iterable[Reason]) -> str:
    """The person's phrases of these reasons, as one list to fill into a card's sentence."""
    return joined(
        REASONS[reason].phrase for reason in reasons if REASONS[reason].phrase is not None
    )


def sentences(reasons: Collection[Reason], numbers: Numbers) -> list[str]:
    """The person's sentence of each of these reasons that has one, in spec order."""
    found = []
    for reason in Reason:
        said = REASONS[reason].sentence
        if reason in reasons and said is not None:
            found.append(said(numbers))
    return found
