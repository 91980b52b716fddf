"""JournalFlask: Flask's own answer to 'is this function async?', asked once per function."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from flask import Flask

from journal.web.flask_app import JournalFlask


def test_the_app_runs_on_journal_flask(app: Flask) -> None:
    assert isinstance(app, JournalFlask)


def test_flask_is_asked_once_per_function(monkeypatch: pytest.MonkeyPatch) -> None:
    app = JournalFlask(__name__)
    asked: list[Any] = []
    original = Flask.ensure_sync

    def counting(self: Flask, func: Any) -> Any:
        asked.append(func)
        return original(self, func)

    monkeypatch.setattr(Flask, "ensure_sync", counting)

    def view() -> str:
        return "x"

    assert app.ensure_sync(view) is view
    assert app.ensure_sync(view) is view
    assert asked == [view]

    asked.clear()
    del view
    gc.collect()
    assert len(app._sync) == 0  # the cache does not keep a function alive


def test_a_callable_without_weak_references_is_asked_each_time() -> None:
    app = JournalFlask(__name__)
    bound = [].append  # a builtin method: no weak reference
    assert app.ensure_sync(bound) is bound
    assert app.ensure_sync(bound) is bound


def test_requests_still_run_their_hooks() -> None:
    app = JournalFlask(__name__)
    calls: list[str] = []
    app.before_request(lambda: calls.append("before"))

    @app.after_request
    def after(response: Any) -> Any:
        calls.append("after")
        return response

    app.add_url_rule("/", "index", lambda: "ok")
    for _ in range(2):
        assert app.test_client().get("/").get_data(as_text=True) == "ok"
    assert calls == ["before", "after", "before", "after"]
