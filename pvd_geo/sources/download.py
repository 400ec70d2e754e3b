"""HTTP downloads of official lists (data.gouv.fr), with size limit, timeout and French errors.

Every download goes through :func:`guard_url`, at the first address and at each redirect: only
``https``, and never a host that resolves to a loopback, private, link-local, multicast, reserved
or unspecified address — unless local addresses are allowed explicitly (``allow_local=True``, the
command line's ``--allow-local`` or ``PVD_ALLOW_LOCAL=1``, which the tests and operators set to
serve files from 127.0.0.1; it also allows ``http``). The connection goes to the address that was
checked (the host is resolved once per connection: a name whose answer changes in between cannot
reach a local address). A download has a deadline for the whole transfer, headers included (a
server trickling one byte at a time cannot hold it longer). No address typed by a reader is ever
fetched: the web app downloads only the configured official sources.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import os
import socket
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import PvdError


class DownloadError(PvdError, RuntimeError):
    """The download failed; the message says why, in French."""


class AddressRefused(DownloadError):
    """An address the atlas must not contact (scheme, local or private host)."""


def local_allowed() -> bool:
    """``PVD_ALLOW_LOCAL=1``: the operator's (or the tests') switch for local servers."""
    return os.environ.get("PVD_ALLOW_LOCAL", "") == "1"


def _resolve(host: str, port: int) -> list[str]:
    """Addresses of a host (a function of its own: tests fake the resolution)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


# Networks a download must never reach: loopback, "this host", private (RFC 1918, carrier-grade
# NAT, IPv6 unique local), link-local (cloud metadata at 169.254.169.254), multicast, broadcast and
# reserved. Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are not in it:
# they are no one's internal network, and some sandboxes front public registries with them.
FORBIDDEN_NETWORKS = [
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "64:ff9b:1::/48",
    )
]  # fmt: skip


def _forbidden(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and (ip.ipv4_mapped or ip.sixtofour):
        ip = ip.ipv4_mapped or ip.sixtofour
    return any(ip in network for network in FORBIDDEN_NETWORKS if network.version == ip.version)


def checked_addresses(host: str, port: int, allow_local: bool | None = None) -> list[str]:
    """The addresses of ``host`` the atlas may connect to (all of them, or :class:`AddressRefused`)."""
    allow = local_allowed() if allow_local is None else allow_local
    try:
        addresses = _resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise DownloadError(f"téléchargement impossible ({exc}) : {host}") from exc
    bad = [a for a in addresses if _forbidden(a)]
    if not allow and (bad or not addresses):
        raise AddressRefused(
            f"adresse refusée : {host} désigne une adresse locale ou privée "
            f"({', '.join(bad[:3])}) ; pour un miroir local : PVD_ALLOW_LOCAL=1 ou --allow-local"
        )
    return addresses


class _Deadline:
    """The end of a whole download: when it passes, every socket of the download is shut, so a
    read blocked in any phase (headers, body) fails at once."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                sock.close()
                raise TimeoutError("délai dépassé")
            self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):  # already closed
                    sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def _connection_class(base: type, deadline: _Deadline, allow_local: bool | None) -> type:
    """An ``http.client`` connection that connects to the checked addresses of its host (TLS still
    checks the certificate against the host name) and puts its socket under the deadline."""

    class Connection(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = self._checked_connection

        def _checked_connection(self, address, timeout=None, source_address=None):
            host, port = address
            error: OSError | None = None
            for ip in checked_addresses(host, port, allow_local):
                try:
                    sock = socket.create_connection((ip, port), timeout, source_address)
                except OSError as exc:
                    error = exc
                    continue
                deadline.watch(sock)
                return sock
            raise error or OSError(f"aucune adresse pour {host}")

    return Connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline, allow_local: bool | None):
        super().__init__()
        self.connection = _connection_class(http.client.HTTPConnection, deadline, allow_local)

    def http_open(self, req):
        return self.do_open(self.connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline, allow_local: bool | None):
        self.tls = ssl.create_default_context()
        super().__init__(context=self.tls)
        self.connection = _connection_class(http.client.HTTPSConnection, deadline, allow_local)

    def https_open(self, req):
        return self.do_open(self.connection, req, context=self.tls)


def guard_url(url: str, allow_local: bool | None = None) -> str:
    """``url`` if the atlas may download it, else :class:`AddressRefused` saying why (in French)."""
    allow = local_allowed() if allow_local is None else allow_local
    parts = urllib.parse.urlsplit(url)
    schemes = ("https", "http") if allow else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        allowed = "http ou https" if allow else "https"
        raise AddressRefused(
            f"adresse refusée ({allowed} seulement) : {url[:200]}"
            + ("" if allow else " ; pour un miroir local en http : PVD_ALLOW_LOCAL=1 ou --allow-local")
        )
    if allow:
        return url
    checked_addresses(parts.hostname, parts.port or 443, allow)  # refused early; checked again at connect
    return url


class _GuardedRedirects(urllib.request.HTTPRedirectHandler):
    """Each redirect is checked like the first address."""

    max_redirections = 5

    def __init__(self, allow_local: bool | None):
        super().__init__()
        self.allow_local = allow_local

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        guard_url(urllib.parse.urljoin(req.full_url, newurl), self.allow_local)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass(frozen=True)
class Downloaded:
    """A downloaded file: its bytes, the address it was finally served from (after redirects) and
    the server's ``Last-Modified`` header (or "")."""

    payload: bytes
    url: str
    last_modified: str = ""


def fetch(
    url: str,
    timeout: float = 30.0,
    max_bytes: int = 20_000_000,
    progress: Callable[[int, int | None], None] | None = None,
    allow_local: bool | None = None,
) -> Downloaded:
    """Like :func:`download`, with the final address and the ``Last-Modified`` header. ``timeout``
    bounds the whole transfer (headers included), not each read."""
    guard_url(url, allow_local)
    deadline = _Deadline(timeout)
    opener = urllib.request.build_opener(
        _GuardedRedirects(allow_local),
        _HTTPHandler(deadline, allow_local),
        _HTTPSHandler(deadline, allow_local),
    )
    request = urllib.request.Request(url, headers={"User-Agent": "atlas-pvd"})  # noqa: S310 (guarded)
    try:
        with opener.open(request, timeout=timeout) as response:
            final_url = response.geturl()
            modified = response.headers.get("Last-Modified", "")
            kind = response.headers.get("Content-Type", "")
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if total is not None and total > max_bytes:
                raise DownloadError(
                    f"fichier trop volumineux : {total / 1e6:.1f} Mo (limite {max_bytes / 1e6:.0f} Mo)"
                )
            chunks, received = [], 0
            while chunk := response.read1(65536):
                received += len(chunk)
                if received > max_bytes:
                    raise DownloadError(f"fichier trop volumineux (plus de {max_bytes / 1e6:.0f} Mo)")
                chunks.append(chunk)
                if progress:
                    progress(received, total)
    except AddressRefused:
        raise
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"le serveur a répondu {exc.code} ({exc.reason}) pour {url}") from exc
    except http.client.IncompleteRead as exc:
        raise DownloadError(f"fichier tronqué : {len(exc.partial)} octets reçus sur {url}") from exc
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
        if deadline.expired:
            raise DownloadError(
                f"téléchargement trop long : plus de {timeout:.0f} s pour {url} (serveur trop lent ?)"
            ) from exc
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"téléchargement impossible ({reason}) : {url}") from exc
    finally:
        deadline.cancel()
    if deadline.expired:
        raise DownloadError(
            f"téléchargement trop long : plus de {timeout:.0f} s pour {url} (serveur trop lent ?)"
        )
    payload = b"".join(chunks)
    if total is not None and len(payload) < total:
        raise DownloadError(f"fichier tronqué : {len(payload)} octets reçus sur {total} annoncés")
    looks_html = "text/html" in kind or payload.lstrip()[:15].lower().startswith((b"<!doctype", b"<html"))
    if looks_html:
        raise DownloadError(f"une page HTML a été reçue au lieu d'un CSV : {url}")
    return Downloaded(payload, final_url, modified)
