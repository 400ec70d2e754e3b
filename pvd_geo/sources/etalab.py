"""Current legal populations and EPCI composition: the npm package
``@etalab/decoupage-administratif`` (MIT), downloaded from the npm registry with Python.

The tarball is pinned (``ETALAB_VERSION``), verified against the ``dist.integrity`` hash the
registry publishes, and cached with that hash beside it so that later builds work offline.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tarfile
import tempfile
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..constants import ETALAB_PACKAGE, ETALAB_VERSION, npm_registry


class EtalabUnavailable(RuntimeError):
    """The package could not be downloaded or verified (message in French)."""


@dataclass(frozen=True)
class EtalabTables:
    """Communes (code, type, population) and EPCI (code, nom, type) with members."""

    communes: pd.DataFrame
    epci: pd.DataFrame
    membres: pd.DataFrame  # commune, epci


def _tarball_name() -> str:
    return f"{ETALAB_PACKAGE.split('/')[-1]}-{ETALAB_VERSION}.tgz"


def _get(url: str, timeout: float) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise EtalabUnavailable(f"adresse refusée : {url}")
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (scheme checked)
        return response.read()


def _integrity_ok(payload: bytes, integrity: str) -> bool:
    algo, _, expected = integrity.partition("-")
    if algo not in ("sha512", "sha384", "sha256"):
        return False
    digest = base64.b64encode(hashlib.new(algo, payload).digest()).decode()
    return digest == expected


def fetch_package(cache: Path, timeout: float = 30.0) -> Path:
    """Return the path of the verified tarball, downloading it into ``cache`` if needed."""
    target = cache / _tarball_name()
    sidecar = target.with_suffix(".integrity")
    if (
        target.exists()
        and sidecar.exists()
        and _integrity_ok(target.read_bytes(), sidecar.read_text().strip())
    ):
        return target
    registry = npm_registry()
    meta_url = f"{registry}/{urllib.parse.quote(ETALAB_PACKAGE, safe='@')}/{ETALAB_VERSION}"
    try:
        meta = json.loads(_get(meta_url, timeout))
        integrity = meta["dist"]["integrity"]
        payload = _get(meta["dist"]["tarball"], timeout)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EtalabUnavailable(f"téléchargement impossible depuis {registry} : {exc}") from exc
    if not _integrity_ok(payload, integrity):
        raise EtalabUnavailable(
            f"empreinte invalide pour {ETALAB_PACKAGE}@{ETALAB_VERSION} : fichier corrompu ou modifié"
        )
    cache.mkdir(parents=True, exist_ok=True)
    _atomic_write(target, payload)
    _atomic_write(sidecar, integrity.encode())
    return target


def _atomic_write(path: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
    os.replace(tmp, path)


def _member(tar: tarfile.TarFile, name: str) -> list[dict]:
    handle = tar.extractfile(f"package/data/{name}")
    if handle is None:
        raise EtalabUnavailable(f"fichier absent de l'archive : data/{name}")
    return json.load(handle)


def read_package(tarball: Path) -> EtalabTables:
    """Read ``data/communes.json`` and ``data/epci.json`` from the tarball."""
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            communes = _member(tar, "communes.json")
            epci = _member(tar, "epci.json")
    except (OSError, tarfile.TarError, ValueError, KeyError) as exc:
        raise EtalabUnavailable(f"archive illisible {tarball.name} : {exc}") from exc
    com = pd.DataFrame(
        [(c["code"], c.get("type", ""), c.get("population")) for c in communes],
        columns=["code", "type", "population"],
    )
    com["population"] = pd.to_numeric(com["population"], errors="coerce")
    epci_df = pd.DataFrame(
        [(e["code"], e["nom"], e.get("type", "")) for e in epci], columns=["code", "nom", "type"]
    )
    membres = pd.DataFrame(
        [(m["code"], e["code"]) for e in epci for m in e.get("membres", [])],
        columns=["commune", "epci"],
    )
    return EtalabTables(communes=com, epci=epci_df, membres=membres)
