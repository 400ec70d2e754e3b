"""Files a reader may hold on the server: a quota per session, per client address and for the whole
server, checked on each upload *before* its body is read.

Streamlit keeps every file sent to ``/_stcore/upload_file/<session>/<file>`` in memory until the
widget drops it or the session ends, with a limit per file only (``server.maxUploadSize``): one
client could send 120 files of 5 MB in two seconds. :class:`UploadQuota` is an ASGI middleware
given to Streamlit's public ``st.App`` (:mod:`pvd_geo.ui.server`): it reads the upload's declared
size (``Content-Length``, required), refuses it with a French message (HTTP 413) when it would
pass a quota, and keeps a ledger of what Streamlit holds — a file counts until it is deleted
(the widget's ``DELETE``) or until its session has been gone longer than Streamlit keeps a
disconnected session's files (``server.disconnectedSessionTTL``, plus a margin).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    files_per_session: int = 5
    bytes_per_session: int = 12 * MIB  # two lists at the 5 MB limit, and their multipart framing
    bytes_per_client: int = 24 * MIB  # several tabs of one reader (or one proxy's address)
    bytes_total: int = 120 * MIB  # every reader together
    grace_s: float = 60.0  # after Streamlit's time for a disconnected session


LIMITS = Limits()
DRAIN_MAX = 6 * MIB  # a refused upload up to Streamlit's limit per file (5 MB) is read and dropped
UPLOAD_PATH = re.compile(r"/_stcore/upload_file/(?P<session>[^/]+)/(?P<file>[^/]+)$")


def client_of(peer: str, forwarded: str) -> str:
    """The reader's address: the peer's, or behind the atlas's proxy (a loopback peer) the one the
    proxy sets in ``X-Forwarded-For`` (its last entry: the proxy replaces what a client sent)."""
    forwarded = forwarded if peer in ("", "127.0.0.1", "::1") else ""
    return forwarded.split(",")[-1].strip() or peer or "inconnue"


def scope_client(scope) -> tuple[str, dict[str, str]]:
    """The client address of an ASGI request (:func:`client_of`) and its headers (lower-case)."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    peer = (scope.get("client") or ("", 0))[0] or ""
    return client_of(peer, headers.get("x-forwarded-for", "")), headers


def _mo(n: int) -> str:
    return f"{n / MIB:.0f} Mo"


@dataclass
class _Session:
    client: str
    files: dict[str, int] = field(default_factory=dict)
    gone_since: float | None = None


class Ledger:
    """What each session holds on the server, from the uploads accepted and deleted."""

    def __init__(
        self,
        limits: Limits = LIMITS,
        active: Callable[[str], bool] = lambda session: True,
        ttl_s: float | Callable[[], float] = 120.0,
    ):
        """``active(session)``: the session is open (its files held); ``ttl_s``: how long files of a
        closed session may still be held (Streamlit's ``server.disconnectedSessionTTL``)."""
        self.limits = limits
        self._active = active
        self._ttl_s = ttl_s
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()

    # -- what Streamlit still holds --------------------------------------------------------------
    def _keep_s(self) -> float:
        ttl = self._ttl_s() if callable(self._ttl_s) else self._ttl_s
        return ttl + self.limits.grace_s

    def _prune(self, now: float) -> None:
        for sid, held in list(self._sessions.items()):
            if not held.files:
                del self._sessions[sid]
            elif self._active(sid):
                held.gone_since = None
            elif held.gone_since is None:
                held.gone_since = now
            elif now - held.gone_since > self._keep_s():
                del self._sessions[sid]

    # -- an upload ---------------------------------------------------------------------------------
    def reserve(
        self, session: str, file: str, size: int, client: str, now: float | None = None
    ) -> str | None:
        """Count ``size`` bytes for ``file`` of ``session`` and None, or the French reason of a refusal
        (nothing counted)."""
        now = time.monotonic() if now is None else now
        lim = self.limits
        with self._lock:
            self._prune(now)
            held = self._sessions.get(session) or _Session(client)
            files = {**held.files, file: size}  # the same file sent again replaces itself
            if len(files) > lim.files_per_session:
                return (
                    f"Envoi refusé : {lim.files_per_session} fichiers au plus par session. "
                    "Retirez un fichier envoyé avant d'en ajouter un autre."
                )
            if sum(files.values()) > lim.bytes_per_session:
                return f"Envoi refusé : {_mo(lim.bytes_per_session)} au plus de fichiers par session."
            by_client = sum(
                sum(s.files.values())
                for sid, s in self._sessions.items()
                if s.client == client and sid != session
            )
            if by_client + sum(files.values()) > lim.bytes_per_client:
                return f"Envoi refusé : {_mo(lim.bytes_per_client)} au plus de fichiers par lecteur."
            total = sum(sum(s.files.values()) for sid, s in self._sessions.items() if sid != session)
            if total + sum(files.values()) > lim.bytes_total:
                return (
                    "Envoi refusé : le serveur reçoit trop de fichiers en ce moment. "
                    "Réessayez dans quelques minutes."
                )
            held.files = files
            self._sessions[session] = held
            return None

    def size_of(self, session: str, file: str) -> int | None:
        with self._lock:
            held = self._sessions.get(session)
            return held.files.get(file) if held else None

    def release(self, session: str, file: str, previous: int | None = None) -> None:
        """``file`` no longer held (or back to its ``previous`` size: a replacement not stored)."""
        with self._lock:
            held = self._sessions.get(session)
            if held is not None:
                if previous is None:
                    held.files.pop(file, None)
                else:
                    held.files[file] = previous

    def held(self) -> dict[str, int]:
        """Bytes counted per session (for tests and the operators' figures)."""
        with self._lock:
            return {sid: sum(s.files.values()) for sid, s in self._sessions.items() if s.files}


class UploadQuota:
    """ASGI middleware: uploads to Streamlit refused before their body is read when they would pass
    a quota of :class:`Ledger`; every other request passes untouched."""

    def __init__(self, app, ledger: Ledger | None = None):
        self.app = app
        self.ledger = ledger or Ledger()

    async def __call__(self, scope, receive, send):
        match = UPLOAD_PATH.search(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope["method"] not in ("PUT", "DELETE"):
            await self.app(scope, receive, send)
            return
        session, file = match["session"], match["file"]
        if scope["method"] == "DELETE":
            await self.app(scope, receive, send)
            self.ledger.release(session, file)
            return
        client, headers = scope_client(scope)
        length = headers.get("content-length", "")
        if not length.isdigit():
            await _refuse(
                send, 411, "Envoi refusé : la taille du fichier n'est pas annoncée (Content-Length)."
            )
            return
        previous = self.ledger.size_of(session, file)
        reason = self.ledger.reserve(session, file, int(length), client)
        if reason:
            if int(length) <= DRAIN_MAX:  # read and dropped (a browser still sending sees the answer)
                await _drain(receive)
            await _refuse(send, 413, reason)
            return
        status = [0]

        async def watch(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if not 200 <= status[0] < 300:  # not stored by Streamlit: not counted
                self.ledger.release(session, file, previous)


async def _drain(receive) -> None:
    """The refused body read in chunks and dropped: no memory held, and the browser, which
    stops reading answers while it sends, gets the refusal instead of a reset connection."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return


async def _refuse(send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
