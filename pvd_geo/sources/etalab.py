"""Current legal populations and EPCI composition: the npm package
``@etalab/decoupage-administratif`` (MIT), downloaded from the npm registry with Python.

The tarball is pinned (``ETALAB_VERSION``) and verified (see :mod:`pvd_geo.sources.npm`).
"""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..constants import ETALAB_PACKAGE, ETALAB_VERSION
from ..errors import PvdError
from ..levels import EPCI
from .npm import NpmUnavailable, fetch_tarball


class EtalabUnavailable(PvdError, RuntimeError):
    """The package could not be downloaded or verified (message in French)."""


@dataclass(frozen=True)
class EtalabTables:
    """Communes (code, type, population) and EPCI (code, nom, type) with members; the former codes
    of merged communes (``anciensCodes``: ancien, code of the commune it is now part of)."""

    communes: pd.DataFrame
    epci: pd.DataFrame
    membres: pd.DataFrame  # commune, epci
    anciens: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["ancien", "code"]))


def fetch_package(cache: Path, timeout: float = 30.0) -> Path:
    """Path of the verified Etalab tarball, downloaded into ``cache`` if needed."""
    try:
        return fetch_tarball(ETALAB_PACKAGE, ETALAB_VERSION, cache, timeout)
    except NpmUnavailable as exc:
        raise EtalabUnavailable(str(exc)) from exc


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
        columns=["commune", EPCI.column],
    )
    anciens = pd.DataFrame(
        [
            (str(old), c["code"])
            for c in communes
            if c.get("type") == "commune-actuelle"
            for old in c.get("anciensCodes") or []
        ],
        columns=["ancien", "code"],
    )
    return EtalabTables(communes=com, epci=epci_df, membres=membres, anciens=anciens)
