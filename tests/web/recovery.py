"""What the account-mail tests share: the mails the app wrote into its mail folder (no SMTP
configured, as under `make run`), and the link in one."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

NEW_PASSWORD = "een heel nieuw wachtwoord"


def mail_folder(app: Flask) -> Path:
    return Path(app.config["JOURNAL"]["MAIL_DIR"])


def mails(app: Flask) -> list[EmailMessage]:
    """Every mail written so far, oldest first."""
    folder = mail_folder(app)
    found = []
    for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        found.append(message)
    return found


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def link_path(message: EmailMessage, prefix: str) -> str:
    """The path of the one link in the mail's text that starts with `prefix`."""
    links = set(re.findall(r"https?://\S+", text_of(message)))
    paths = {urlsplit(link).path for link in links if urlsplit(link).path.startswith(prefix)}
    assert len(paths) == 1, links
    return paths.pop()
