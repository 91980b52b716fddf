"""Database tables, typed, one module per part of the app; import them from here."""

from journal.models.accounts import AccountToken, SignedIn, TokenPurpose, User, login_id
from journal.models.checkins import CheckinRow, column_values, new_row_values
from journal.models.coaching import (
    CoachConnection,
    CoachProfile,
    ConnectionNote,
    ConnectionPeriod,
    ConnectionView,
    RecoveryCode,
    SecondFactor,
)
from journal.models.flag_states import FlagState, SignpostDismissal, WeekGlance
from journal.models.people import CheckinContact, SupportMap, SupportPerson
from journal.models.phases import PhaseChange, PhasePreference, ReflectAnswer
from journal.models.reflections import WeeklyReflection
from journal.models.reminders import (
    EvaluationRun,
    PushSubscription,
    ReminderDelivery,
    ReminderSettings,
)
from journal.models.sharing import ShareLink, ShareLinkNote, ShareView
from journal.models.types import UTCDateTime

__all__ = [
    "AccountToken",
    "CheckinContact",
    "CheckinRow",
    "CoachConnection",
    "CoachProfile",
    "ConnectionNote",
    "ConnectionPeriod",
    "ConnectionView",
    "EvaluationRun",
    "FlagState",
    "PhaseChange",
    "PhasePreference",
    "PushSubscription",
    "RecoveryCode",
    "ReflectAnswer",
    "ReminderDelivery",
    "ReminderSettings",
    "SecondFactor",
    "ShareLink",
    "ShareLinkNote",
    "ShareView",
    "SignedIn",
    "SignpostDismissal",
    "SupportMap",
    "SupportPerson",
    "TokenPurpose",
    "UTCDateTime",
    "User",
    "WeekGlance",
    "WeeklyReflection",
    "column_values",
    "login_id",
    "new_row_values",
]
