"""Download a pinned package tarball from the npm registry with Python (no Node needed).

The tarball is verified against the ``dist.integrity`` hash the registry publishes and cached
with that hash beside it, so that later calls work offline.
"""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.parse
from pathlib import Path

from ..constants import npm_registry
from ..errors import PvdError
from ..files import atomic_write
from .download import DownloadError, fetch


class NpmUnavailable(PvdError, RuntimeError):
    """A package could not be downloaded or verified (message in French)."""


def _get(url: str, timeout: float) -> bytes:
    """A registry file, through the guarded download (https, no local host unless allowed)."""
    try:
        return fetch(url, timeout=timeout, max_bytes=50_000_000).payload
    except DownloadError as exc:
        raise NpmUnavailable(str(exc)) from exc


def integrity_ok(payload: bytes, integrity: str) -> bool:
    """Check ``payload`` against a Subresource-Integrity string (``sha512-<base64>``)."""
    algo, _, expected = integrity.partition("-")
    if algo not in ("sha512", "sha384", "sha256"):
        return False
    return base64.b64encode(hashlib.new(algo, payload).digest()).decode() == expected


def fetch_tarball(package: str, version: str, cache: Path, timeout: float = 30.0) -> Path:
    """Path of the verified ``package@version`` tarball, downloaded into ``cache`` if needed."""
    target = cache / f"{package.split('/')[-1]}-{version}.tgz"
    sidecar = target.with_suffix(".integrity")
    if (
        target.exists()
        and sidecar.exists()
        and integrity_ok(target.read_bytes(), sidecar.read_text().strip())
    ):
        return target
    registry = npm_registry()
    meta_url = f"{registry}/{urllib.parse.quote(package, safe='@')}/{version}"
    try:
        meta = json.loads(_get(meta_url, timeout))
        integrity = meta["dist"]["integrity"]
        payload = _get(meta["dist"]["tarball"], timeout)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NpmUnavailable(f"téléchargement impossible depuis {registry} : {exc}") from exc
    if not integrity_ok(payload, integrity):
        raise NpmUnavailable(f"empreinte invalide pour {package}@{version} : fichier corrompu ou modifié")
    cache.mkdir(parents=True, exist_ok=True)
    atomic_write(target, payload)
    atomic_write(sidecar, integrity.encode())
    return target
