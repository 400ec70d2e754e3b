"""Download a pinned package tarball from the npm registry with Python (no Node needed).

The tarball is verified against the ``dist.integrity`` hash the registry publishes and cached
with that hash beside it, so that later calls work offline.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from ..constants import npm_registry


class NpmUnavailable(RuntimeError):
    """A package could not be downloaded or verified (message in French)."""


def _get(url: str, timeout: float) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise NpmUnavailable(f"adresse refusée : {url}")
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (scheme checked)
        return response.read()


def integrity_ok(payload: bytes, integrity: str) -> bool:
    """Check ``payload`` against a Subresource-Integrity string (``sha512-<base64>``)."""
    algo, _, expected = integrity.partition("-")
    if algo not in ("sha512", "sha384", "sha256"):
        return False
    return base64.b64encode(hashlib.new(algo, payload).digest()).decode() == expected


def atomic_write(path: Path, payload: bytes) -> None:
    """Write to a temporary file in the same folder, then rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
    os.replace(tmp, path)


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
