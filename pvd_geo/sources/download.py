"""HTTP downloads of official lists (data.gouv.fr), with size limit, timeout and French errors.

Every download goes through :func:`guard_url`, at the first address and at each redirect: only
``https``, and never a host that resolves to a loopback, private, link-local, multicast, reserved
or unspecified address — unless local addresses are allowed explicitly (``allow_local=True``, the
command line's ``--allow-local`` or ``PVD_ALLOW_LOCAL=1``, which the tests and operators set to
serve files from 127.0.0.1; it also allows ``http``). No address typed by a reader is ever fetched:
the web app downloads only the configured official sources.
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import socket
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
    try:
        addresses = _resolve(parts.hostname, parts.port or 443)
    except (OSError, UnicodeError) as exc:
        raise DownloadError(f"téléchargement impossible ({exc}) : {url[:200]}") from exc
    bad = [a for a in addresses if _forbidden(a)]
    if bad or not addresses:
        raise AddressRefused(
            f"adresse refusée : {parts.hostname} désigne une adresse locale ou privée "
            f"({', '.join(bad[:3])}) ; pour un miroir local : PVD_ALLOW_LOCAL=1 ou --allow-local"
        )
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


def download(
    url: str,
    timeout: float = 30.0,
    max_bytes: int = 20_000_000,
    progress: Callable[[int, int | None], None] | None = None,
    allow_local: bool | None = None,
) -> bytes:
    """Bytes at ``url`` (see :func:`guard_url`), read in chunks; refuses HTML pages and oversized files."""
    return fetch(url, timeout, max_bytes, progress, allow_local).payload


def fetch(
    url: str,
    timeout: float = 30.0,
    max_bytes: int = 20_000_000,
    progress: Callable[[int, int | None], None] | None = None,
    allow_local: bool | None = None,
) -> Downloaded:
    """Like :func:`download`, with the final address and the ``Last-Modified`` header."""
    guard_url(url, allow_local)
    opener = urllib.request.build_opener(_GuardedRedirects(allow_local))
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
            while chunk := response.read(65536):
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
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"téléchargement impossible ({reason}) : {url}") from exc
    payload = b"".join(chunks)
    if total is not None and len(payload) < total:
        raise DownloadError(f"fichier tronqué : {len(payload)} octets reçus sur {total} annoncés")
    looks_html = "text/html" in kind or payload.lstrip()[:15].lower().startswith((b"<!doctype", b"<html"))
    if looks_html:
        raise DownloadError(f"une page HTML a été reçue au lieu d'un CSV : {url}")
    return Downloaded(payload, final_url, modified)
