"""Hypothesis strategies for valid check-ins (DOMAIN A.2, A.5) and diaries of them.

Everything generated here passes `parse_checkin(to_raw(c), strict=True)` unchanged, so tests
can compare records after any round trip through strings.
"""

from __future__ import annotations

from datetime import date, time

from hypothesis import strategies as st

from journal.domain.checkin import (
    DOZED_ASKED_FROM,
    INT_RANGES,
    NOTE_MAX_CHARS,
    REST_MINUTES_CHOICES,
    TIB_MAX,
    TIB_MIN,
    WALK_MINUTES_CHOICES,
    CheckIn,
    ContextTag,
    Dozed,
    Intensity,
    NightSignal,
    RestType,
    Social,
)

# Characters a CSV or a form is most likely to mangle, mixed in so they turn up often.
_AWKWARD = st.sampled_from([",", '"', ";", "\n", "\r", "\r\n", "\t", " ", "é", "€", "😀", "\u2028"])
# No NUL (a database text column refuses it) and no lone surrogates (not encodable as UTF-8).
_ANY_CHAR = st.characters(codec="utf-8", exclude_characters="\x00")

# What makes a spreadsheet read a cell as a formula when it comes first (OWASP), written out
# here rather than imported, so the strategy does not share a mistake with the code under test.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _stripped_note(text: str) -> str:
    # parse_checkin strips the note like every answer, so a note kept by the app never starts
    # or ends with whitespace; generating such notes would test the strip, not the round trip.
    return text.strip()[:NOTE_MAX_CHARS].strip()


_plain_notes: st.SearchStrategy[str] = (
    st.lists(st.one_of(_AWKWARD, _ANY_CHAR), min_size=1, max_size=NOTE_MAX_CHARS)
    .map("".join)
    .map(_stripped_note)
    .filter(bool)
)
# Notes a spreadsheet would run as a formula, and notes whose own apostrophes look like the
# CSV's neutralising one ("'=x", "''-2", "'plain"): drawn half of the time, not left to luck.
_formula_notes: st.SearchStrategy[str] = (
    st.tuples(
        st.text(alphabet="'", max_size=3),
        st.sampled_from(("", *FORMULA_STARTS)),
        st.just("") | _plain_notes,
    )
    .map("".join)
    .map(_stripped_note)
    .filter(bool)
)
notes: st.SearchStrategy[str] = _plain_notes | _formula_notes


def _clock(minutes: int) -> time:
    minutes %= 1440
    return time(minutes // 60, minutes % 60)


def _scale(name: str) -> st.SearchStrategy[int]:
    low, high, _ = INT_RANGES[name]
    return st.integers(low, high)


def _optional_scale(name: str) -> st.SearchStrategy[int | None]:
    return st.none() | _scale(name)


@st.composite
def checkins(
    draw: st.DrawFn,
    dates: st.SearchStrategy[date] | None = None,
) -> CheckIn:
    """A check-in that A.5 accepts, including the edges (TIB 60 and 960, midnight wrap)."""
    day = draw(dates if dates is not None else st.dates(date(2000, 1, 1), date(2099, 12, 31)))

    lights_out = draw(st.integers(0, 1439))
    tib = draw(st.integers(TIB_MIN, TIB_MAX))
    # Minutes from lights-out to the final awakening; without one, it counts as getting up.
    asleep_span = draw(st.none() | st.integers(0, tib))
    awake_until = tib if asleep_span is None else asleep_span
    sol = draw(st.integers(0, min(INT_RANGES["sol_min"][1], awake_until)))
    waso = draw(st.integers(0, min(INT_RANGES["waso_min"][1], awake_until - sol)))

    rest_minutes = draw(st.sampled_from(REST_MINUTES_CHOICES))
    rested = rest_minutes > 0
    sleepiness = draw(_scale("sleepiness_peak"))

    return CheckIn(
        date=day,
        lights_out_time=_clock(lights_out),
        sol_min=sol,
        waso_min=waso,
        final_wake_time=None if asleep_span is None else _clock(lights_out + asleep_span),
        out_of_bed_time=_clock(lights_out + tib),
        awakenings_n=draw(_optional_scale("awakenings_n")),
        refreshed=draw(_scale("refreshed")),
        sleep_quality=draw(_optional_scale("sleep_quality")),
        morning_energy=draw(_scale("morning_energy")),
        startup_effort=draw(_scale("startup_effort")),
        tension_now=draw(_optional_scale("tension_now")),
        day_load=draw(_scale("day_load")),
        rest_minutes=rest_minutes,
        rest_types=draw(st.frozensets(st.sampled_from(RestType), min_size=1))
        if rested
        else frozenset(),
        rest_recharged=draw(_scale("rest_recharged")) if rested else None,
        letting_go=draw(_scale("letting_go")),
        bedtime_tension=draw(_scale("bedtime_tension")),
        sleepiness_peak=sleepiness,
        dozed_unintended=draw(st.sampled_from(Dozed)) if sleepiness >= DOZED_ASKED_FROM else None,
        social_contact=draw(st.sampled_from(Social)),
        support_felt=draw(_optional_scale("support_felt")),
        walk_outside_min=draw(st.sampled_from(WALK_MINUTES_CHOICES)),
        movement_intensity=draw(st.none() | st.sampled_from(Intensity)),
        context_tags=draw(st.frozensets(st.sampled_from(ContextTag))),
        night_signals=draw(st.frozensets(st.sampled_from(NightSignal))),
        note=draw(st.none() | notes),
        backfilled=draw(st.booleans()),
    )


def diaries(
    min_size: int = 0,
    max_size: int = 30,
    dates: st.SearchStrategy[date] | None = None,
) -> st.SearchStrategy[list[CheckIn]]:
    """Check-ins with distinct dates (one per day, A.1), in no particular order."""
    return st.lists(
        checkins(dates=dates),
        min_size=min_size,
        max_size=max_size,
        unique_by=lambda checkin: checkin.date,
    )
