"""Atlas PVD: the Petites villes de demain programme on commune and EPCI boundaries.

Data flows one way: sources → :func:`build` → ``geodata/build`` (GeoParquet) →
:func:`load_atlas` → pages. Nothing here touches Streamlit (see ``pvd_geo.ui``).
"""

from __future__ import annotations

import importlib

# Names exported by the package, imported on first use: ``from pvd_geo import mapcache`` (a fresh
# server drawing a stored map) must not pay for pandas and geopandas.
_FROM = {
    "atlas": ("Atlas", "BuildCorrupt", "BuildMissing", "load_atlas"),
    "codes": ("CodeError", "cle_recherche", "nom_avec_article", "normalise_insee"),
    "selection": ("SelectionResult", "join_selection"),
    "stats": ("STATS_COLUMNS", "aggregate", "flag_communes", "total"),
}
_MODULE = {name: module for module, names in _FROM.items() for name in names}


def __getattr__(name: str):
    if name in _MODULE:
        return getattr(importlib.import_module(f".{_MODULE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Atlas",
    "BuildCorrupt",
    "BuildMissing",
    "CodeError",
    "STATS_COLUMNS",
    "SelectionResult",
    "aggregate",
    "cle_recherche",
    "flag_communes",
    "join_selection",
    "load_atlas",
    "nom_avec_article",
    "normalise_insee",
    "total",
]
