"""The check-in's questions: the sections, the widget each question gets on a phone, and the
words of its answers (DOMAIN A.2, A.3) in the user's language.

The domain knows the fields and their ranges; checkin_form.py reads these to render, parse and
describe the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import time
from typing import Any, Final

from flask_babel import lazy_gettext as _l

from journal.domain.checkin import REST_MINUTES_CHOICES, WALK_MINUTES_CHOICES
from journal.domain.times import format_time, minutes_of, parse_time

Label = Any  # a lazy string


@dataclass(frozen=True)
class Choice:
    value: str
    label: Label
    hint: Label | None = None


@dataclass(frozen=True)
class Field:
    name: str
    question: Label
    widget: str  # time | minutes | scale | choice | multi | number | text
    choices: tuple[Choice, ...] = ()
    low_label: Label | None = None
    high_label: Label | None = None
    required: bool = True
    # Shown only when another answer makes it apply (A.2 "C" fields); see style.css.
    condition: str | None = None
    hint: Label | None = None
    # A longer explanation behind a tap (<details>), so the question stays one short screen.
    legend: Label | None = None
    # A time question's usual answer (minutes after midnight): the quick-pick chips centre here.
    usual_time: int | None = None

    def quick_times(self, value: str = "") -> tuple[str, ...]:
        """The chips under a time box: five half hours around the answer already there (a
        prefill or an edit), else around the usual time; an hour past 23:30 wraps to 00:00."""
        if self.usual_time is None:
            return ()
        centre = self.usual_time
        there = parse_time(value)
        if there is not None:
            at = minutes_of(there)
            centre = (at + QUICK_PICK_STEP // 2) // QUICK_PICK_STEP * QUICK_PICK_STEP
        span = range(-QUICK_PICK_EACH_SIDE, QUICK_PICK_EACH_SIDE + 1)
        minutes = ((centre + k * QUICK_PICK_STEP) % MINUTES_A_DAY for k in span)
        return tuple(format_time(time(m // 60, m % 60)) for m in minutes)


@dataclass(frozen=True)
class Section:
    key: str
    title: Label
    fields: tuple[Field, ...] = field(default_factory=tuple)


QUICK_PICK_STEP: Final = 30  # minutes between two quick-pick chips
QUICK_PICK_EACH_SIDE: Final = 2  # five chips: fit one row at 390 px
MINUTES_A_DAY: Final = 24 * 60


def _numbers(low: int, high: int) -> tuple[Choice, ...]:
    return tuple(Choice(str(n), str(n)) for n in range(low, high + 1))


ZERO_TO_FOUR = (
    Choice("0", _l("not at all")),
    Choice("1", _l("a little")),
    Choice("2", _l("partly")),
    Choice("3", _l("mostly")),
    Choice("4", _l("fully")),
)
MINUTE_CHIPS = (0, 5, 10, 15, 20, 30, 45, 60, 90, 120)


def _minutes(values: Sequence[int]) -> tuple[Choice, ...]:
    return tuple(Choice(str(v), _l("%(n)s min", n=v)) for v in values)


def _rest_label(minutes: int) -> Label:
    labels = {
        0: _l("none"),
        15: _l("15 min"),
        30: _l("30 min"),
        60: _l("1 hour"),
        90: _l("1.5 hours"),
        120: _l("2 hours"),
        180: _l("3 hours or more"),
    }
    return labels[minutes]


def _scale(name: str, question: Label, low: Label, high: Label, required: bool = True) -> Field:
    return Field(name, question, "scale", _numbers(0, 10), low, high, required=required)


NIGHT = Section(
    "night",
    _l("Last night"),
    (
        Field(
            "lights_out_time",
            _l("What time did you switch off the light to go to sleep last night?"),
            "time",
            usual_time=23 * 60,
        ),
        Field(
            "sol_min",
            _l("Roughly how long did it take you to fall asleep?"),
            "minutes",
            _minutes(MINUTE_CHIPS),
        ),
        Field(
            "waso_min",
            _l(
                "In total, how long were you awake between falling asleep and waking up for the last time?"
            ),
            "minutes",
            _minutes(MINUTE_CHIPS),
        ),
        Field(
            "out_of_bed_time",
            _l("What time did you get out of bed?"),
            "time",
            usual_time=7 * 60,
        ),
        Field("refreshed", _l("Did your sleep recharge you?"), "choice", ZERO_TO_FOUR),
    ),
)

MORNING = Section(
    "morning",
    _l("This morning"),
    (
        _scale(
            "morning_energy",
            _l("How much energy do you have right now?"),
            _l("completely drained"),
            _l("full of energy"),
        ),
        _scale(
            "startup_effort",
            _l("How much effort did it take to get going this morning?"),
            _l("no effort"),
            _l("a huge effort"),
        ),
    ),
)

YESTERDAY = Section(
    "yesterday",
    _l("Yesterday"),
    (
        _scale(
            "day_load",
            _l(
                "Taking everything together (work, home, worries, stimuli), how demanding was yesterday?"
            ),
            _l("very light"),
            _l("extremely demanding"),
        ),
        Field(
            "rest_minutes",
            _l("How much time did you deliberately rest yesterday?"),
            "choice",
            tuple(Choice(str(m), _rest_label(m)) for m in REST_MINUTES_CHOICES),
        ),
        Field(
            "rest_types",
            _l("How did you rest?"),
            "multi",
            (
                Choice("passive", _l("lying or sitting, doing nothing")),
                Choice("nap", _l("nap")),
                Choice("screen", _l("TV or phone")),
                Choice("relaxation", _l("relaxation exercise")),
                Choice("quiet_activity", _l("quiet activity (reading, music, hobby)")),
                Choice("outdoors", _l("calm time outdoors")),
                Choice("other", _l("other")),
            ),
            condition="rest",
            hint=_l("Only when you rested."),
        ),
        Field(
            "rest_recharged",
            _l("Did that rest actually recharge you?"),
            "choice",
            ZERO_TO_FOUR,
            condition="rest",
            hint=_l("Only when you rested."),
        ),
        _scale(
            "letting_go",
            _l("Last evening, how well could you let go and quieten your mind?"),
            _l("not at all"),
            _l("very well"),
        ),
        _scale(
            "bedtime_tension",
            _l("How tense were you when you went to bed?"),
            _l("completely relaxed"),
            _l("very tense"),
        ),
        Field(
            "sleepiness_peak",
            _l("Yesterday, at your sleepiest moment, how sleepy were you?"),
            "scale",
            _numbers(1, 9),
            _l("wide awake"),
            _l("fighting to stay awake"),
            legend=_l(
                "1 wide awake · 3 awake · 5 neither awake nor sleepy · 7 sleepy, but staying awake took no effort · 8 sleepy, staying awake took effort · 9 fighting to stay awake"
            ),
        ),
        Field(
            "dozed_unintended",
            _l("Did you fall asleep or nod off yesterday without meaning to?"),
            "choice",
            (
                Choice("none", _l("no")),
                Choice("at_rest", _l("yes, while resting (sofa, TV)")),
                Choice("during_activity", _l("yes, during an activity (conversation, work, meal)")),
                Choice("while_driving", _l("yes, in traffic or at the wheel")),
            ),
            condition="sleepy",
            hint=_l("Only when you were very sleepy (7 or more)."),
        ),
        Field(
            "social_contact",
            _l("Yesterday, did you have real contact with someone (in person, phone or video)?"),
            "choice",
            (
                Choice("none", _l("no")),
                Choice("brief", _l("brief or superficial")),
                Choice("meaningful", _l("yes, real contact")),
            ),
        ),
        Field(
            "walk_outside_min",
            _l("How many minutes did you walk or move calmly outdoors yesterday?"),
            "choice",
            _minutes(WALK_MINUTES_CHOICES),
        ),
    ),
)

MORE = Section(
    "more",
    _l("More"),
    (
        Field(
            "final_wake_time",
            _l("What time did you wake up for the last time?"),
            "time",
            required=False,
            usual_time=7 * 60,
        ),
        Field(
            "awakenings_n",
            _l("How many times did you wake up during the night?"),
            "number",
            required=False,
        ),
        Field(
            "sleep_quality",
            _l("All in all, how was your night?"),
            "choice",
            (
                Choice("1", _l("very poor")),
                Choice("2", _l("poor")),
                Choice("3", _l("fair")),
                Choice("4", _l("good")),
                Choice("5", _l("very good")),
            ),
            required=False,
        ),
        _scale(
            "tension_now",
            _l("How tense do you feel right now?"),
            _l("completely relaxed"),
            _l("very tense"),
            required=False,
        ),
        Field(
            "support_felt",
            _l("Did you feel there was someone there for you?"),
            "choice",
            ZERO_TO_FOUR,
            required=False,
        ),
        Field(
            "movement_intensity",
            _l("How intense was your movement yesterday?"),
            "choice",
            (
                Choice("calm", _l("calm")),
                Choice("moderate", _l("moderate")),
                Choice("intense", _l("intense")),
            ),
            required=False,
        ),
        Field(
            "context_tags",
            _l("Was anything special going on yesterday or last night?"),
            "multi",
            (
                Choice("illness", _l("ill")),
                Choice("alcohol", _l("alcohol last night")),
                Choice("late_caffeine", _l("caffeine after 14:00")),
                Choice("sleep_medication", _l("sleep medication taken")),
                Choice("medication_change", _l("medication changed")),
                Choice("travel_shift", _l("travel or shift work")),
                Choice("physical_complaints", _l("physical complaints")),
                Choice("health_concern", _l("I wonder about a medical cause")),
                Choice("special_event", _l("special event")),
            ),
            required=False,
        ),
        Field(
            "night_signals",
            _l("Did you (or someone next to you) notice anything last night?"),
            "multi",
            (
                Choice("breathing", _l("loud snoring, pauses in breathing or gasping")),
                Choice("legs", _l("restless legs, urge to move")),
                Choice("dream_movement", _l("strong movement or talking in sleep")),
                Choice("nothing", _l("nothing")),
            ),
            required=False,
        ),
        Field(
            "note",
            _l("Anything you'd like to add? (only for you, unless you choose to share)"),
            "text",
            required=False,
        ),
    ),
)

SECTIONS: tuple[Section, ...] = (NIGHT, MORNING, YESTERDAY, MORE)
