"""Atlas PVD: the Petites villes de demain programme on commune and EPCI boundaries.

Data flows one way: sources → :func:`build` → ``geodata/build`` (GeoParquet) →
:func:`load_atlas` → pages. Nothing here touches Streamlit (see ``pvd_geo.ui``).
"""

from .atlas import Atlas, BuildCorrupt, BuildMissing, load_atlas
from .codes import CodeError, cle_recherche, nom_avec_article, normalise_insee
from .selection import SelectionResult, join_selection
from .stats import STATS_COLUMNS, aggregate, flag_communes, total

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
