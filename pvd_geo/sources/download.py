"""HTTP downloads of official lists (data.gouv.fr), with size limit, timeout and French errors."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass


class DownloadError(RuntimeError):
    """The download failed; the message says why, in French."""


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
) -> bytes:
    """Bytes at ``url`` (http/https only), read in chunks; refuses HTML pages and oversized files."""
    return fetch(url, timeout, max_bytes, progress).payload


def fetch(
    url: str,
    timeout: float = 30.0,
    max_bytes: int = 20_000_000,
    progress: Callable[[int, int | None], None] | None = None,
) -> Downloaded:
    """Like :func:`download`, with the final address and the ``Last-Modified`` header."""
    if not url.startswith(("https://", "http://")):
        raise DownloadError(f"adresse refusée (http ou https seulement) : {url}")
    request = urllib.request.Request(url, headers={"User-Agent": "atlas-pvd"})  # noqa: S310 (checked)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
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
    if "text/html" in kind or payload.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        raise DownloadError(f"une page HTML a été reçue au lieu d'un CSV : {url}")
    return Downloaded(payload, final_url, modified)
