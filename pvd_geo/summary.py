"""What the overview shows above its map, kept on disk so that a fresh server draws it at once.

A fresh server spends about a second importing pandas/geopandas and loading the atlas before its
first page can show anything. The overview's first screen needs little of it: the names of the
départements and régions (selectors), a scope's headline figures and its map (already stored by
:mod:`pvd_geo.store`). This module keeps those as small JSON objects in the same store:

- a :class:`Catalogue` per data version, found from the *data signature* (names, sizes and dates
  of the build's files and of the lists: a few ``stat`` calls, no reading);
- the figures of each scope shown, under the data fingerprint.

Everything is computed from the atlas on the first visit of a data version (or by
``python -m pvd_geo warm``) and read back afterwards; any change of the files or of this code
gives new keys. This module imports neither pandas nor geopandas.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from . import store
from .levels import REGION
from .programmes import registry_file

# What this process already read or wrote, by store key: a rerun reads no file. Bounded (a scope
# is any set of départements).
_SEEN: dict[str, dict] = {}
_SEEN_MAX = 256


def _load(key: str) -> dict | None:
    data = _SEEN.get(key)
    if data is None:
        data = store.load_data(key)
        if data is not None:
            _remember(key, data)
    return data


def _save(key: str, data: dict) -> None:
    store.save_data(key, data)
    _remember(key, data)


def _remember(key: str, data: dict) -> None:
    if len(_SEEN) >= _SEEN_MAX:
        _SEEN.clear()
    _SEEN[key] = data


def data_signature(directory: Path, selections: Path) -> tuple:
    """Names, sizes and dates of the build's files and of the lists (a few stat calls).

    Identifies a data version without reading it: a list imported or updated by another process
    (another replica, the command line) or a new build gives a new signature.
    """
    from .constants import BUILD_LAYERS, EMBEDDED_DIR, META_FILE

    lists = [path for folder in (EMBEDDED_DIR, Path(selections)) for path in sorted(folder.glob("*.[cj]s*"))]
    build = [META_FILE, *(f"{name}.parquet" for name in BUILD_LAYERS)]
    files = [Path(directory) / name for name in build] + lists + [registry_file()]
    signature = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        signature.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(signature)


@dataclass(frozen=True)
class Catalogue:
    """Names of the territories and sources of one data version (no geometry, no table)."""

    fingerprint: str
    departements: list  # [code, nom, code région], by code
    regions: list  # [code, nom], by name
    meta: dict  # the build's metadata (sources and vintages)
    lists: dict  # the lists in use: programme → description with coverage (pvd_geo.credits)

    def departement_labels(self) -> dict[str, str]:
        """``{"30": "Gard (30)", ...}`` in code order, for selectors."""
        return {code: f"{nom} ({code})" for code, nom, _ in self.departements}

    def departement_names(self) -> dict[str, str]:
        return {code: nom for code, nom, _ in self.departements}

    def region_names(self) -> dict[str, str]:
        return {code: nom for code, nom in self.regions}

    def departements_of(self, region: str | None = None) -> list[str]:
        """Codes of a région's départements (all of them without a région), sorted."""
        return sorted(code for code, _, reg in self.departements if region is None or reg == region)


def catalogue_of(atlas) -> Catalogue:
    from . import views

    deps = atlas.departements.sort_values("code")
    regions = atlas.regions.sort_values("nom")
    return Catalogue(
        fingerprint=atlas.fingerprint,
        departements=[
            [str(c), str(n), str(r)] for c, n, r in zip(deps["code"], deps["nom"], deps[REGION.column])
        ],
        regions=[[str(c), str(n)] for c, n in zip(regions["code"], regions["nom"])],
        meta=json.loads(json.dumps(atlas.meta, default=str)),
        lists=views.lists_json(atlas),
    )


def _catalogue_key(signature: tuple) -> str:
    return store.cache_key(hashlib.sha256(repr(signature).encode()).hexdigest(), "donnees", {})


def load_catalogue(signature: tuple) -> Catalogue | None:
    """The catalogue stored for this data signature, or None."""
    data = _load(_catalogue_key(signature)) if signature else None
    try:
        return Catalogue(**data) if data else None
    except TypeError:
        return None


def save_catalogue(signature: tuple, catalogue: Catalogue) -> None:
    _save(_catalogue_key(signature), asdict(catalogue))


def _figures_key(fingerprint: str, departements: list[str]) -> str:
    return store.cache_key(fingerprint, "chiffres", {"deps": sorted(departements)})


def scope_figures(atlas, departements: list[str]) -> dict:
    """Name and headline figures of a scope (computed from the atlas)."""
    from . import views

    totals = atlas.totals(departements)
    return {
        "name": views.scope_name(atlas, departements),
        "totals": {
            k: (v if v is None or isinstance(v, bool) else float(v) if isinstance(v, float) else int(v))
            for k, v in totals.items()
        },
        "covered": _covered_part(atlas, departements),
    }


def _covered_part(atlas, departements: list[str]) -> dict | None:
    """When the PVD list does not cover the whole scope: the part it covers and its figures."""
    from . import views

    part = views.covered_part(atlas, departements)
    if len(part) == len(departements) or not part:
        return None
    totals = atlas.totals(part)
    return {
        "name": views.scope_name(atlas, part),
        "pvd": totals["pvd"],
        "population_pvd": totals["population_pvd"],
    }


def load_figures(fingerprint: str, departements: list[str]) -> dict | None:
    data = _load(_figures_key(fingerprint, departements))
    return data if data and {"name", "totals", "covered"} <= set(data) else None


def save_figures(fingerprint: str, departements: list[str], figures: dict) -> None:
    _save(_figures_key(fingerprint, departements), figures)
