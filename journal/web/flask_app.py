"""The Flask class this app runs on: Flask, with one lookup it repeats made once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from flask import Flask


class JournalFlask(Flask):
    """Flask asks `inspect.iscoroutinefunction` about the view and every before-, after- and
    teardown function on every request, to wrap async ones. The answer for a function never
    changes, so it is remembered (weakly: a function that goes away takes its entry along)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # None stands for "the function itself": a value that referred to its key would keep
        # the entry alive for good.
        self._sync: WeakKeyDictionary[Callable[..., Any], Callable[..., Any] | None] = (
            WeakKeyDictionary()
        )

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            wrapped = self._sync[func]
        except KeyError:
            wrapped = super().ensure_sync(func)
            self._sync[func] = None if wrapped is func else wrapped
            return wrapped
        except TypeError:  # no weak reference possible (a builtin method, say): ask each time
            return super().ensure_sync(func)
        return func if wrapped is None else wrapped
