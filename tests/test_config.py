"""Configuration: the secret key made once into the instance folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from flask import Flask

from journal import config


def _loaded(instance: Path) -> Flask:
    app = Flask(__name__, instance_path=str(instance))
    config.load(app, {"DATABASE_URL": "sqlite://"})
    return app


def test_the_secret_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    first = _loaded(instance).config["SECRET_KEY"]
    assert len(first) == 64
    assert _loaded(instance).config["SECRET_KEY"] == first
    assert stat.S_IMODE(os.stat(instance / "secret_key").st_mode) == 0o600
    assert sorted(p.name for p in instance.iterdir()) == ["secret_key"]
