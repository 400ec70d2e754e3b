"""Who may change the shared lists: readers read, administrators write.

- The **operator** (the command line on the server) may always write: :func:`operator`.
- In the web app, a session becomes an administrator only after the server verified it: an
  OpenID Connect login (Streamlit's ``st.login``; the provider in ``.streamlit/secrets.toml``
  ``[auth]``, the allowed e-mail addresses in ``[admin] emails``) or, where no provider is
  configured, a password whose PBKDF2 hash is in ``[admin] password_hash`` (compared in constant
  time, wrong passwords limited per client address and per process: :class:`Lockout`). With
  neither, the web app has no write path.
- The check is made where the lists are written (:func:`require`, called by
  :func:`pvd_geo.sources.selections.save_selection`): a :class:`Writer` is a capability the server
  issues itself (:func:`operator`, :func:`grant`); nothing a browser sends can make one.

No Streamlit here: :mod:`pvd_geo.ui` does the session side (login form, OIDC).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import PvdError

PBKDF2_ITERATIONS = 600_000
MAX_ATTEMPTS = 5  # wrong passwords from one client address before a pause
PAUSE_S = 15 * 60  # doubled at each new round of wrong passwords
MAX_PAUSE_S = 24 * 3600
GLOBAL_MAX = 30  # wrong passwords from all clients within GLOBAL_WINDOW_S…
GLOBAL_WINDOW_S = 15 * 60
GLOBAL_PAUSE_S = 5 * 60  # …pause every password login for this long
MAX_CLIENTS = 10_000


class WriteDenied(PvdError, PermissionError):
    """A write of the shared lists without an administrator's or the operator's right (French)."""


@dataclass(frozen=True, eq=False)
class Writer:
    """The right to replace a shared list, issued by the server to the operator or to a verified
    administrator session (compared by identity: it cannot be rebuilt from data)."""

    who: str


_OPERATOR = Writer("opérateur (ligne de commande)")
_GRANTED: dict[int, Writer] = {}
_LOCK = threading.Lock()


def operator() -> Writer:
    """The command line's right: whoever runs it is the server's operator."""
    return _OPERATOR


def grant(who: str) -> Writer:
    """A new right for a session the server has just verified (called only by the login code)."""
    writer = Writer(who)
    with _LOCK:
        _GRANTED[id(writer)] = writer
    return writer


def revoke(writer: Writer | None) -> None:
    with _LOCK:
        if writer is not None and _GRANTED.get(id(writer)) is writer:
            del _GRANTED[id(writer)]


def is_writer(candidate: object) -> bool:
    """True only for a right this process issued and has not revoked."""
    if candidate is _OPERATOR:
        return True
    with _LOCK:
        return isinstance(candidate, Writer) and _GRANTED.get(id(candidate)) is candidate


def require(candidate: object) -> Writer:
    """The check at the function that writes: refuse anyone but the operator or an administrator."""
    if not is_writer(candidate):
        raise WriteDenied(
            "écriture refusée : seuls les administrateurs (connectés) et l'opérateur du serveur "
            "(ligne de commande) peuvent modifier les listes partagées"
        )
    return candidate  # type: ignore[return-value]


@dataclass(frozen=True)
class AdminConfig:
    """What ``.streamlit/secrets.toml`` configures for administration."""

    oidc: bool = False  # an [auth] section: st.login is available
    emails: frozenset[str] = field(default_factory=frozenset)  # administrators' e-mails (OIDC)
    password_hash: str = ""  # pbkdf2_sha256$iterations$salt$hash (base64)
    provider: str | None = None  # a named provider of [auth] (e.g. [auth.proconnect]), else the default

    @property
    def enabled(self) -> bool:
        return (self.oidc and bool(self.emails)) or bool(self.password_hash)

    @property
    def uses_oidc(self) -> bool:
        return self.oidc and bool(self.emails)


def config_from(secrets_map: Mapping | None) -> AdminConfig:
    """The administration settings from the secrets (absent or partial: no administrator)."""
    data = dict(secrets_map or {})
    admin = dict(data.get("admin") or {})
    emails = admin.get("emails") or []
    if isinstance(emails, str):
        emails = [emails]
    return AdminConfig(
        oidc=isinstance(data.get("auth"), Mapping) and bool(data["auth"]),
        emails=frozenset(str(e).strip().lower() for e in emails if str(e).strip()),
        password_hash=str(admin.get("password_hash") or ""),
        provider=str(admin["provider"]) if admin.get("provider") else None,
    )


def hash_password(password: str, salt: bytes | None = None, iterations: int = PBKDF2_ITERATIONS) -> str:
    """``pbkdf2_sha256$<iterations>$<salt>$<hash>`` for ``[admin] password_hash``."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    b64 = base64.b64encode
    return f"pbkdf2_sha256${iterations}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, encoded: str) -> bool:
    """Constant-time comparison with a stored hash; a malformed hash verifies nothing."""
    try:
        algo, iterations, salt, expected = encoded.split("$")
        if algo != "pbkdf2_sha256" or not 1_000 <= int(iterations) <= 10_000_000:
            return False
        digest = hashlib.pbkdf2_hmac(
            "sha256", password.encode("utf-8"), base64.b64decode(salt), int(iterations)
        )
        return hmac.compare_digest(digest, base64.b64decode(expected))
    except (ValueError, TypeError):
        return False


class Lockout:
    """Wrong passwords counted per client address and for the whole process (every session of a
    replica), checked before a password is hashed, so that a refusal costs nothing.

    A client's :data:`MAX_ATTEMPTS`-th wrong password pauses it for :data:`PAUSE_S`, doubled at
    each new round (at most :data:`MAX_PAUSE_S`); :data:`GLOBAL_MAX` wrong passwords within
    :data:`GLOBAL_WINDOW_S`, from any clients, pause every password login for
    :data:`GLOBAL_PAUSE_S` (many addresses cannot share the guessing)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[str, list[float]] = {}  # address → [failures, blocked until, rounds]
        self._recent: deque[float] = deque()
        self._global_until = 0.0

    def blocked(self, client: str, now: float | None = None) -> float:
        """Seconds before ``client`` may try a password (0: now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            own = self._clients.get(client)
            return max(0.0, self._global_until - now, (own[1] - now) if own else 0.0)

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            own = self._clients.setdefault(client, [0, 0.0, 0])
            own[0] += 1
            if own[0] >= MAX_ATTEMPTS:
                own[1] = now + min(MAX_PAUSE_S, PAUSE_S * 2 ** own[2])
                own[0], own[2] = 0, own[2] + 1
            self._recent.append(now)
            while self._recent and self._recent[0] < now - GLOBAL_WINDOW_S:
                self._recent.popleft()
            if len(self._recent) >= GLOBAL_MAX:
                self._global_until = now + GLOBAL_PAUSE_S
                self._recent.clear()
            if len(self._clients) > MAX_CLIENTS:  # bounded memory: forget the oldest addresses
                for old in list(self._clients)[: len(self._clients) - MAX_CLIENTS]:
                    del self._clients[old]

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._clients.pop(client, None)


LOCKOUT = Lockout()  # one per process: shared by all its sessions


def is_admin_email(config: AdminConfig, email: object, logged_in: bool) -> bool:
    """An OpenID Connect user is an administrator when logged in with a listed e-mail."""
    return (
        config.uses_oidc and logged_in and isinstance(email, str) and email.strip().lower() in config.emails
    )
