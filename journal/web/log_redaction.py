"""Tokens in paths never reach a log: `/s/<token>` (a share link), `/unsubscribe/<token>`
(the link in a reminder e-mail), `/password/reset/<token>` and `/email/verify/<token>` (the
links in account e-mails) are rewritten in every line that holds them.

The filter sits on the request loggers of werkzeug and gunicorn and on the app's own logger, so
the token is gone before any handler (also the root logger's, where records propagate to)
formats the line. The share and recovery blueprints install it when they are registered.
"""

from __future__ import annotations

import logging
import re
from typing import Final

from flask import Flask
from flask.sansio.app import App

# Anything after the prefix up to a character a token cannot hold: also a mistyped or guessed
# token, which may be one character away from a real one. A share token stops at a dot (its
# PDF is /s/<token>.pdf); an unsubscribe token holds dots (itsdangerous joins its parts with
# them) and is followed only by /undo.
_TOKENS_IN_PATHS: Final = (
    ("/s/", re.compile(r"/s/[^\s\"'?#/.]+")),
    ("/unsubscribe/", re.compile(r"/unsubscribe/[^\s\"'?#/]+")),
    ("/password/reset/", re.compile(r"/password/reset/[^\s\"'?#/]+")),
    ("/email/verify/", re.compile(r"/email/verify/[^\s\"'?#/]+")),
)
LOGGERS: Final = ("werkzeug", "gunicorn.access", "gunicorn.error")


class RedactTokens(logging.Filter):
    """Rewrites a token in a path in a log record's message; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's business, not ours
            return True
        redacted = message
        for prefix, pattern in _TOKENS_IN_PATHS:
            if prefix in redacted:
                redacted = pattern.sub(f"{prefix}[redacted]", redacted)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install_log_redaction(app: Flask | App) -> None:
    """Add the filter to the request loggers and the app's logger, once each.

    A filter on a logger sees the records logged on that logger itself, before any handler
    (also the ones on the root logger that the record propagates to) formats it.
    """
    for name in (*LOGGERS, app.logger.name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
