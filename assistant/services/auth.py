"""Sign-in: the configured accounts, throttling of password guessing, and server-side sessions.

The authentication model (the README's security section says the same):

- A browser holds one thing: a random session id in a cookie that is signed (itsdangerous,
  with a per-process secret unless ``ASSISTANT_SESSION_SECRET`` is set), ``HttpOnly`` and
  ``SameSite=Strict``. Everything else - who signed in, whether as an administrator, when
  the session expires - is kept on the server, in :class:`Sessions`.
- Rights are never taken from anything else the client sends: not from Gradio's session
  hash (which the browser chooses and puts in URLs), not from a form field.
- Signing in replaces the session id (no session fixation); signing out forgets it.
- Passwords are compared in constant time against every configured account, so the time
  taken does not tell which user names exist.
- Guessing is throttled per client address (back-off doubling from one second to fifteen
  minutes after five failures) and per account (each attempt on an account under attack
  is slowed by up to ten seconds, one at a time): nobody can lock the real administrator
  out, and a guesser gets a few hundred tries an hour at most.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.config import Settings
from assistant.errors import ConfigurationError

__all__ = ["COOKIE_NAME", "Account", "Accounts", "Session", "Sessions", "Throttle"]

COOKIE_NAME = "sa_session"
_SALT = "assistant-session"


@dataclass(frozen=True)
class Account:
    """One configured account; ``admin`` accounts may manage documents."""

    name: str
    password: str = field(repr=False)
    admin: bool = False


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison of two strings (as UTF-8 bytes)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class Accounts:
    """The accounts configured in the settings: the practitioners' sign-in and the administrator."""

    def __init__(self, accounts: Sequence[Account]) -> None:
        self._accounts = tuple(a for a in accounts if a.name and a.password)

    @classmethod
    def from_settings(cls, settings: Settings) -> Accounts:
        accounts = []
        if settings.admin_user and settings.admin_password:
            accounts.append(Account(settings.admin_user, settings.admin_password, admin=True))
        if settings.login_user and settings.login_password:
            accounts.append(Account(settings.login_user, settings.login_password))
        found = cls(accounts)
        if settings.require_login and not found.any():
            raise ConfigurationError(
                "ASSISTANT_REQUIRE_LOGIN is on but no account is configured: set ASSISTANT_LOGIN_USER and "
                "ASSISTANT_LOGIN_PASSWORD (or the admin account)"
            )
        return found

    def any(self, *, admin: bool = False) -> bool:
        return any(a.admin or not admin for a in self._accounts)

    def check(self, user: str, password: str, *, admin_only: bool = False) -> Account | None:
        """The account these credentials open, or None. Every account is compared, always."""
        matched: Account | None = None
        for account in self._accounts:
            ok = _same(user or "", account.name) & _same(password or "", account.password)
            if ok and matched is None and (account.admin or not admin_only):
                matched = account
        return matched


class Throttle:
    """Back-off on failed sign-ins, per client address (refusals) and per account (delays).

    Never a global lock-out: an address that has not failed is never refused, and an
    account under attack is only slowed down, so its owner still gets in.
    """

    def __init__(
        self,
        *,
        free_failures: int = 5,
        window_s: float = 900.0,
        max_backoff_s: float = 900.0,
        account_free_failures: int = 10,
        account_max_delay_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free_failures = free_failures
        self.window_s = window_s
        self.max_backoff_s = max_backoff_s
        self.account_free_failures = account_free_failures
        self.account_max_delay_s = account_max_delay_s
        self._clock = clock
        self._by_address: dict[str, list[float]] = {}
        self._by_account: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._account_locks: dict[str, threading.Lock] = {}

    def _recent(self, table: dict[str, list[float]], key: str, now: float) -> list[float]:
        times = [t for t in table.get(key, ()) if now - t < self.window_s]
        if times:
            table[key] = times
        else:
            table.pop(key, None)
        return times

    def wait_for(self, address: str) -> float:
        """Seconds this address must wait before its next attempt (0 when it may try now)."""
        now = self._clock()
        with self._lock:
            failures = self._recent(self._by_address, address, now)
            if len(failures) < self.free_failures:
                return 0.0
            backoff = min(self.max_backoff_s, 2.0 ** (len(failures) - self.free_failures))
            return max(0.0, failures[-1] + backoff - now)

    def delay_for(self, account: str) -> float:
        """Seconds to slow down an attempt on this account (0 unless it is under attack)."""
        now = self._clock()
        with self._lock:
            failures = self._recent(self._by_account, account.casefold(), now)
            excess = len(failures) - self.account_free_failures
            return 0.0 if excess < 0 else min(self.account_max_delay_s, 2.0 ** min(excess, 16) / 4)

    def account_lock(self, account: str) -> threading.Lock:
        """Attempts on one account are checked one at a time (a guesser cannot run them in parallel)."""
        with self._lock:
            return self._account_locks.setdefault(account.casefold(), threading.Lock())

    def failed(self, account: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            self._by_address.setdefault(address, []).append(now)
            self._by_account.setdefault(account.casefold(), []).append(now)
            if len(self._account_locks) > 10_000:  # user names are attacker-chosen: keep the table bounded
                self._account_locks.clear()

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._by_address.pop(address, None)


@dataclass
class Session:
    """What the server knows about one browser: who signed in and until when."""

    id: str
    handle: str
    """A public name for the session (in logs and Gradio's ``username``); knowing it grants nothing."""
    created: float
    last_seen: float
    user: str | None = None
    admin_until: float = 0.0

    @property
    def signed_in(self) -> bool:
        return self.user is not None

    def is_admin(self, now: float) -> bool:
        return now < self.admin_until


class Sessions:
    """Server-side sessions behind a signed, HttpOnly, SameSite cookie holding only a random id."""

    def __init__(
        self,
        secret: str | None = None,
        *,
        idle_s: float = 8 * 3600,
        absolute_s: float = 12 * 3600,
        admin_idle_s: float = 2 * 3600,
        limit: int = 50_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        from itsdangerous import URLSafeSerializer

        self._serializer = URLSafeSerializer(secret or secrets.token_urlsafe(32), salt=_SALT)
        self.idle_s = idle_s
        self.absolute_s = absolute_s
        self.admin_idle_s = admin_idle_s
        self.limit = limit
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._by_handle: dict[str, str] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> Sessions:
        return cls(settings.session_secret, idle_s=settings.session_hours * 3600)

    # -- cookies --------------------------------------------------------------------------

    def cookie_value(self, session: Session) -> str:
        return str(self._serializer.dumps(session.id))

    def from_cookie(self, value: str | None) -> Session | None:
        """The live session a cookie names, or None (missing, forged, expired or forgotten)."""
        if not value:
            return None
        from itsdangerous import BadSignature

        try:
            session_id = self._serializer.loads(value)
        except BadSignature:
            return None
        if not isinstance(session_id, str):
            return None
        now = self._clock()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if now - session.last_seen > self.idle_s or now - session.created > self.absolute_s:
                self._forget(session)
                return None
            session.last_seen = now
            return session

    def by_handle(self, handle: str | None) -> Session | None:
        if not handle:
            return None
        with self._lock:
            session_id = self._by_handle.get(handle)
            return self._sessions.get(session_id) if session_id else None

    # -- life cycle -----------------------------------------------------------------------

    def new(self) -> Session:
        now = self._clock()
        session = Session(secrets.token_urlsafe(32), "s-" + secrets.token_hex(8), now, now)
        with self._lock:
            if len(self._sessions) >= self.limit:
                self._sweep(now)
            self._sessions[session.id] = session
            self._by_handle[session.handle] = session.id
        return session

    def sign_in(self, session: Session | None, account_name: str, *, admin: bool) -> Session:
        """A fresh session for a user who just signed in (the old id is forgotten)."""
        fresh = self.new()
        with self._lock:
            if session is not None:
                self._forget(session)
            fresh.user = account_name
            fresh.admin_until = fresh.created + self.admin_idle_s if admin else 0.0
        return fresh

    def grant_admin(self, session: Session) -> Session:
        """Administrator rights for a signed-in or anonymous session (with a fresh id)."""
        fresh = self.new()
        with self._lock:
            self._forget(session)
            fresh.user = session.user
            fresh.admin_until = fresh.created + self.admin_idle_s
        return fresh

    def drop_admin(self, session: Session) -> None:
        with self._lock:
            session.admin_until = 0.0

    def is_admin(self, session: Session | None) -> bool:
        return session is not None and session.is_admin(self._clock())

    def forget(self, session: Session) -> None:
        with self._lock:
            self._forget(session)

    def _forget(self, session: Session) -> None:
        self._sessions.pop(session.id, None)
        self._by_handle.pop(session.handle, None)

    def _sweep(self, now: float) -> None:
        for session in list(self._sessions.values()):
            if now - session.last_seen > self.idle_s or now - session.created > self.absolute_s:
                self._forget(session)
        if len(self._sessions) >= self.limit:  # still full: the oldest anonymous sessions go first
            anonymous = sorted((s for s in self._sessions.values() if not s.signed_in), key=lambda s: s.last_seen)
            for session in anonymous[: max(1, self.limit // 10)]:
                self._forget(session)


def address_key(host: str | None) -> str:
    """A stable key for a client address (hashed, so throttling tables hold no raw addresses)."""
    return hashlib.sha256((host or "unknown").encode("utf-8")).hexdigest()[:16]
