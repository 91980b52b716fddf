"""One-time links mailed to a person (issue 19): set a new password, confirm the address.

A token is 32 random bytes, made and hashed as a share link's is (journal.store.share_links):
only its SHA-256 is stored, so a copy of the database resets no password. A link works while
it is unused and unexpired. Using one closes every other open link of its kind for the person:
the newest mail's link and the older ones are one request, answered once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import CursorResult, delete, select, update

from journal.clock import now_utc
from journal.extensions import db
from journal.models import AccountToken, TokenPurpose
from journal.store.tokens import TOKEN_RE, new_token, token_hash

LIFETIME: Final = {
    # Short: a reset link in a mailbox that someone else reads is an open door.
    TokenPurpose.PASSWORD_RESET: timedelta(hours=1),
    # Long enough for a mail read days later; a mistyped address's link confirms nothing.
    TokenPurpose.EMAIL_VERIFY: timedelta(days=7),
}
# Rows this long past their end are removed when the person is sent a new link: the table holds
# the links that may still be opened, not a history.
KEEP_AFTER_END: Final = timedelta(days=30)


def issue(user_id: int, purpose: TokenPurpose) -> str:
    """Store a new link for the person and return its token (kept nowhere else)."""
    now = now_utc()
    db.session.execute(
        delete(AccountToken).where(
            AccountToken.user_id == user_id, AccountToken.expires_at < now - KEEP_AFTER_END
        )
    )
    token = new_token()
    db.session.add(
        AccountToken(
            user_id=user_id,
            purpose=purpose.value,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + LIFETIME[purpose],
        )
    )
    db.session.commit()
    return token


def find(token: str, purpose: TokenPurpose) -> AccountToken | None:
    """The link of this token and kind, used or not; None for a malformed or unknown one."""
    if TOKEN_RE.fullmatch(token) is None:
        return None
    found: AccountToken | None = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == token_hash(token), AccountToken.purpose == purpose.value
        )
    )
    return found


def is_open(link: AccountToken, now: datetime) -> bool:
    return link.used_at is None and now < link.expires_at


def use(link: AccountToken, now: datetime) -> bool:
    """Mark the link used, and the person's other open links of its kind with it. False when
    another request used it first: the update only takes a link that is still unused, so two
    requests racing with one link cannot both get through. The caller commits."""
    result = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == link.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        return False
    close_open(link.user_id, (TokenPurpose(link.purpose),), now)
    return True


def close_open(user_id: int, purposes: Iterable[TokenPurpose], now: datetime) -> None:
    """Every open link of these kinds for the person stops working. The caller commits."""
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user_id,
            AccountToken.purpose.in_([p.value for p in purposes]),
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )


def links_of(user_id: int) -> list[AccountToken]:
    """The person's links, oldest first, for the download of everything kept about them."""
    return list(
        db.session.scalars(
            select(AccountToken)
            .where(AccountToken.user_id == user_id)
            .order_by(AccountToken.created_at, AccountToken.id)
        )
    )
