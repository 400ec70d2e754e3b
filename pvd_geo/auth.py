"""Who may change the shared lists: readers read, administrators write.

- The **operator** (the command line on the server) may always write: :func:`operator`.
- In the web app, a session becomes an administrator only after the server verified it: an
  OpenID Connect login (Streamlit's ``st.login``; the provider in ``.streamlit/secrets.toml``
  ``[auth]``, the allowed e-mail addresses in ``[admin] emails``) or, where no provider is
  configured, a password whose PBKDF2 hash is in ``[admin] password_hash`` (compared in constant
  time, attempts limited per session). With neither, the web app has no write path.
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
from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import PvdError

PBKDF2_ITERATIONS = 600_000
MAX_ATTEMPTS = 5  # wrong passwords per session before a pause
PAUSE_S = 15 * 60


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


@dataclass
class Attempts:
    """Wrong passwords of one session: after :data:`MAX_ATTEMPTS`, a pause of :data:`PAUSE_S`."""

    failures: int = 0
    blocked_until: float = 0.0

    def blocked(self, now: float | None = None) -> float:
        """Seconds left before the next try is allowed (0: allowed)."""
        return max(0.0, self.blocked_until - (time.monotonic() if now is None else now))

    def failed(self, now: float | None = None) -> None:
        self.failures += 1
        if self.failures >= MAX_ATTEMPTS:
            self.blocked_until = (time.monotonic() if now is None else now) + PAUSE_S
            self.failures = 0


def is_admin_email(config: AdminConfig, email: object, logged_in: bool) -> bool:
    """An OpenID Connect user is an administrator when logged in with a listed e-mail."""
    return (
        config.uses_oidc and logged_in and isinstance(email, str) and email.strip().lower() in config.emails
    )
