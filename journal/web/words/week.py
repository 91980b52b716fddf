"""The words of the week page's first screen: the week in one sentence, and the Herstelscore.

The sentence is chosen in the domain (journal.domain.summary.sentence) from the week's G.3
figures; here it is only worded. No sentence judges the week or the person: it says what
the answers show against the person's own usual weeks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from journal.domain.summary.sentence import WeekSentence

WEEK_SENTENCES: Final[Mapping[WeekSentence, LazyString]] = {
    WeekSentence.NO_CHECKINS: _l("No check-ins this week."),
    WeekSentence.FEW_CHECKINS: _l(
        "This week has too few check-ins to say much about it – and that's fine."
    ),
    WeekSentence.NO_USUAL: _l(
        "We don't know your usual week well enough yet to compare this one with it."
    ),
    WeekSentence.USUAL: _l("A week much like your usual ones."),
    WeekSentence.LIGHTER: _l(
        "A lighter week than you are used to, and your recovery stayed at its usual level."
    ),
    WeekSentence.HEAVIER: _l(
        "A more demanding week than you are used to, and still your recovery stayed at its "
        "usual level."
    ),
    WeekSentence.RECOVERED_MORE: _l(
        "A week in which you felt more recovered in the mornings than you are used to."
    ),
    WeekSentence.LIGHTER_RECOVERED_MORE: _l(
        "A lighter week than you are used to: you felt more recovered in the mornings."
    ),
    WeekSentence.HEAVIER_RECOVERED_MORE: _l(
        "A more demanding week than you are used to, and still you felt more recovered in the "
        "mornings."
    ),
    WeekSentence.RECOVERED_LESS: _l(
        "A week in which you felt less recovered in the mornings than you are used to."
    ),
    WeekSentence.LIGHTER_RECOVERED_LESS: _l(
        "A lighter week than you are used to, and yet you felt less recovered in the mornings."
    ),
    WeekSentence.HEAVIER_RECOVERED_LESS: _l(
        "A more demanding week than you are used to: you felt less recovered in the mornings."
    ),
}

# "Wat betekent dit?" under the Herstelscore: the recovery index of DOMAIN B.2 in plain words.
RECOVERY_SCORE_EXPLAINED: Final = (
    _l(
        "Your recovery score turns three answers of each morning into one number from 0 to "
        "100: whether your sleep recharged you, how much energy you had, and how easy it was "
        "to get going. Higher means you felt more recovered."
    ),
    _l(
        "The arrow compares this week with your own usual level: the four weeks before this "
        "week. It only points up or down when the difference is clear."
    ),
)
# Why the first screen does not compare yet (G.3: a usual level needs 7 check-ins).
NO_USUAL_YET: Final = _l(
    "Too few check-ins to compare yet: once the four weeks before a week hold 7 check-ins, you "
    "will see your own usual week here."
)
